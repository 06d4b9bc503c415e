"""The candidate wrote again on a ticket (a mail reply, a WeCom message)."""

from django.db import transaction
from django.utils.translation import gettext as _

from tickets.models import EventKind, Status, Ticket, TicketEvent

# The desk thought it was done: a new message puts the ticket back in the queue.
REOPEN_FROM = (Status.ANSWERED, Status.RESOLVED, Status.CLOSED)


def candidate_wrote(ticket, *, text, channel, **data) -> TicketEvent:
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        event = TicketEvent.objects.create(
            ticket=ticket, kind=EventKind.MESSAGE, note=text, data={"channel": channel, **data}
        )
        if ticket.status in REOPEN_FROM:
            ticket.status = Status.NEW
            ticket.resolved_at = None
            ticket.save(update_fields=["status", "resolved_at", "updated_at"])
            TicketEvent.objects.create(
                ticket=ticket, kind=EventKind.REOPENED, note=_("考生再次来信，工单重新打开。")
            )
    return event
