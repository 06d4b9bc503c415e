"""Merge a duplicate ticket into another.

The source's text and events move to the target's timeline, the target keeps
its own contact fields and gains the source's where it has none, and the
source is closed with a link to the target. Desk staff merge any two tickets;
a college teacher only two of their own college's.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import events, roles, versioning
from tickets.models import EventKind, Status, Ticket, TicketEvent

# Kept from the source where the target has none.
CONTACT_FIELDS = (
    "candidate_name",
    "candidate_number",
    "contact_phone",
    "contact_email",
    "contact_wechat",
    "college",
)


def check_merge(actor, source, into):
    if not _may_merge(actor, source, into):
        raise PermissionDenied(_("无权合并这两个工单。"))
    if source.pk == into.pk:
        raise ValidationError({"into": [_("不能合并到工单本身。")]})
    if source.status == Status.CLOSED:
        raise ValidationError(_("工单 #%(id)s 已关闭，不能合并。") % {"id": source.pk})
    if into.merged_into_id or into.status == Status.CLOSED:
        raise ValidationError(
            {"into": [_("目标工单 #%(id)s 已关闭或已被合并。") % {"id": into.pk}]}
        )


def _may_merge(actor, source, into):
    if roles.is_desk(actor):
        return True
    college = roles.college_of(actor)
    return college is not None and source.college_id == into.college_id == college.pk


def ticket_merge(*, actor, source, into, note=""):
    """Merge `source` into `into`; returns the target."""
    with transaction.atomic():
        # Both rows locked, lower id first, so two opposite merges cannot deadlock.
        locked = {
            t.pk: t
            for t in Ticket.objects.select_for_update(of=("self",))
            .filter(pk__in=[source.pk, into.pk])
            .order_by("pk")
        }
        versioning.check_current(source, locked[source.pk])
        source, into = locked[source.pk], locked[into.pk]
        check_merge(actor, source, into)
        moved = TicketEvent.objects.filter(ticket=source).update(ticket=into)
        kept = []
        for name in CONTACT_FIELDS:
            attname = Ticket._meta.get_field(name).attname
            if not getattr(into, attname) and getattr(source, attname):
                setattr(into, attname, getattr(source, attname))
                kept.append(name)
        into.save()
        events.record(
            into,
            actor,
            EventKind.MERGED,
            source.text,
            # "from" is a keyword in Python: the data by mapping
            **{"from": source.pk, "events": moved, "kept": kept, "note": note},
        )
        source.status = Status.CLOSED
        source.merged_into = into
        source.resolved_at = source.resolved_at or timezone.now()
        source.save()
        events.record(source, actor, EventKind.MERGED, (note or "").strip(), into=into.pk)
    return into
