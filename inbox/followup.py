"""The candidate wrote again on a ticket (a mail reply, a WeCom message): the
same rule as any repeat message (tickets.reopening), so an answered or
resolved ticket opens again."""

from tickets import reopening
from tickets.models import Status, Ticket


def live_ticket(ticket):
    """Where a message on `ticket` belongs: the ticket it was merged into, and
    none for a closed one (closing is final: the message starts a new ticket)."""
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    if ticket is None or ticket.status == Status.CLOSED:
        return None
    return ticket


def candidate_wrote(ticket, *, text, channel) -> Ticket:
    """Record the message on the ticket (in the caller's transaction)."""
    return reopening.add_message(ticket, Ticket(text=text, channel=channel), None)
