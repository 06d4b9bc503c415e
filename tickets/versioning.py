"""No silent overwrite: an action carries the version of the ticket it was
opened on, and a ticket saved meanwhile refuses it.

Every Ticket.save() raises `version`; every event records the version its
change produced. A view or API call sets `ticket.expected_version` from the
form; the write's row lock (`check_current`) compares it with the locked row
and raises StaleTicket, naming what changed, before anything is written.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleTicket(ValidationError):
    """The ticket changed since the form was opened (HTTP 409 in the API)."""

    def __init__(self, ticket, expected, changes):
        self.ticket = ticket
        self.expected = expected
        self.changes = changes
        message = _("工单已被他人更新")
        if changes:
            message += _("：%(changes)s。未作任何修改，请查看后重试。") % {
                "changes": "；".join(changes)
            }
        else:
            message += _("。未作任何修改，请查看后重试。")
        super().__init__(message, code="stale")


def expect(ticket, version):
    """Mark the version the actor saw; '' or None means no check (internal callers)."""
    try:
        ticket.expected_version = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        ticket.expected_version = None
    return ticket


def changes_since(ticket, version) -> list[str]:
    """What happened to the ticket after `version`, oldest first, as short lines."""
    rows = ticket.events.select_related("actor").filter(data__version__gt=version)
    lines = []
    for event in rows.order_by("created_at", "id")[:10]:
        when = timezone.localtime(event.created_at).strftime("%H:%M")
        who = event.actor.get_username() if event.actor else _("系统")
        lines.append(f"{when} {who} {event.get_kind_display()}")
    return lines


def check_current(seen, locked):
    """Called with the caller's ticket and the freshly locked row of it."""
    expected = getattr(seen, "expected_version", None)
    if expected is not None and locked.version != expected:
        raise StaleTicket(locked, expected, changes_since(locked, expected))
