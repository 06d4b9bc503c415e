"""Which open tickets waited too long: a threshold per route (settings.TICKET_DUE_HOURS)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tickets.models import Status

# Answered tickets wait for the candidate, not for the desk.
WAITING = (Status.NEW, Status.ESCALATED, Status.REFERRED)


def overdue_q(now=None) -> Q:
    now = now or timezone.now()
    by_route = Q()
    for route, hours in settings.TICKET_DUE_HOURS.items():
        by_route |= Q(route=route, created_at__lt=now - timedelta(hours=hours))
    return Q(status__in=WAITING) & by_route


def is_overdue(ticket, now=None) -> bool:
    hours = settings.TICKET_DUE_HOURS.get(ticket.route)
    if hours is None or ticket.status not in WAITING:
        return False
    return ticket.created_at < (now or timezone.now()) - timedelta(hours=hours)
