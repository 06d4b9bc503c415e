"""A new message from a candidate about a problem they already have a ticket
for goes to that ticket instead of opening a duplicate.

`ticket_create` asks `same_problem` for every live message (the desk's
intake, the API, mail and WeCom intake alike); a backdated or imported row is
a record of the past and always a ticket of its own.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from guide.categories import ABSTAIN_CATEGORY
from tickets import events
from tickets.models import OPEN_STATUSES, EventKind, Status, Ticket

# A resolved ticket older than this is another episode: a new ticket.
REOPEN_WITHIN = timedelta(days=30)
IDENTITY_FIELDS = ("candidate_number", "contact_phone", "contact_email")


def same_problem(new: Ticket):
    """The candidate's latest ticket of the same category still worth reopening, or None."""
    # The candidate number identifies a candidate; a phone or an email only
    # when the message has no number (two candidates may share a parent's phone).
    identity = Q()
    if new.candidate_number:
        identity = Q(candidate_number=new.candidate_number)
    else:
        for name in ("contact_phone", "contact_email"):
            if getattr(new, name):
                identity |= Q(**{name: getattr(new, name)})
    if not identity or not new.category or new.category == ABSTAIN_CATEGORY:
        # "Other" is no problem identity: two unclassified messages may be anything.
        return None
    recent = timezone.now() - REOPEN_WITHIN
    return (
        Ticket.objects.filter(identity, category=new.category, merged_into__isnull=True)
        .filter(Q(status__in=OPEN_STATUSES) | Q(status=Status.RESOLVED, resolved_at__gte=recent))
        .order_by("-created_at", "-id")
        .first()
    )


def add_message(existing: Ticket, new: Ticket, actor) -> Ticket:
    """Record the message on the existing ticket; answered or resolved ones open again.

    Called inside ticket_create's transaction.
    """
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=existing.pk)
    before = ticket.status
    if ticket.status in (Status.ANSWERED, Status.RESOLVED):
        # The answer did not solve it: back in the queue.
        ticket.status = Status.NEW
        ticket.resolved_at = None
    for name in ("candidate_name", *IDENTITY_FIELDS, "contact_wechat"):
        if not getattr(ticket, name) and getattr(new, name):
            setattr(ticket, name, getattr(new, name))
    if ticket.college_id is None and new.college_id:
        ticket.college_id = new.college_id
    ticket.save()
    kind = EventKind.REOPENED if before != ticket.status else EventKind.MESSAGE
    events.record(
        ticket, actor, kind, new.text, message=True, channel=new.channel, status_before=before
    )
    ticket.reopened = kind == EventKind.REOPENED
    ticket.appended = True
    return ticket
