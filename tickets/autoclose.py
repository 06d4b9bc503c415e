"""Answered tickets nobody touched for N days are resolved by a rule.

Run daily by Celery beat (tickets.tasks.close_answered) and by
`manage.py close_answered` where there is no beat. A candidate who writes
again reopens the ticket (see tickets.reopening), so closing early costs
nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import events
from tickets.models import EventKind, Status, Ticket

RULE = "auto_close_answered"


def due(days=None, now=None):
    """Answered tickets whose last save is older than `days`."""
    days = settings.AUTO_CLOSE_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Ticket.objects.filter(status=Status.ANSWERED, updated_at__lt=cutoff).order_by("id")


def close_answered(days=None, *, dry_run=False, now=None) -> list[int]:
    """Resolve every due ticket, each in its own transaction; the ids resolved."""
    days = settings.AUTO_CLOSE_DAYS if days is None else days
    now = now or timezone.now()
    ids = list(due(days, now).values_list("pk", flat=True))
    if dry_run:
        return ids
    closed = []
    for ticket_id in ids:
        with transaction.atomic():
            # Re-checked under the lock: a desk answering it again meanwhile wins.
            ticket = due(days, now).select_for_update(of=("self",)).filter(pk=ticket_id).first()
            if ticket is None:
                continue
            ticket.status = Status.RESOLVED
            ticket.resolved_at = now
            ticket.save()
            events.record(
                ticket,
                None,
                EventKind.RESOLVED,
                _("已答复 %(days)s 天无回复，自动解决。") % {"days": days},
                rule=RULE,
                days=days,
            )
        closed.append(ticket_id)
    return closed
