"""What every ticket action shares: the lifecycle, the row lock, the permission check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tickets.models import Status, Ticket
from tickets.validation import NOTE_MAX_LENGTH

# Which status a ticket may move to from which. Reopening is its own action.
TRANSITIONS = {
    Status.NEW: {
        Status.ANSWERED,
        Status.ESCALATED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.ANSWERED: {
        Status.ANSWERED,
        Status.ESCALATED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.ESCALATED: {Status.ANSWERED, Status.REFERRED, Status.RESOLVED, Status.CLOSED},
    Status.REFERRED: {Status.ANSWERED, Status.ESCALATED, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.CLOSED},
    Status.CLOSED: set(),
}


class TransitionNotAllowed(ValidationError):
    """The lifecycle forbids this move from the ticket's current status (HTTP 409 in the API)."""


def allowed_targets(ticket) -> set[str]:
    return {s.value for s in TRANSITIONS[Status(ticket.status)]}


def check_transition(ticket, target) -> None:
    if target not in TRANSITIONS[Status(ticket.status)]:
        raise TransitionNotAllowed(
            _("工单当前状态为“%(status)s”，不能变为“%(target)s”。")
            % {"status": ticket.get_status_display(), "target": Status(target).label}
        )


def move(ticket, target) -> None:
    check_transition(ticket, target)
    ticket.status = target


def check_perm(actor, perm, ticket=None, message="") -> None:
    if actor is None or not actor.has_perm(perm, ticket):
        raise PermissionDenied(message or _("只有服务台人员可以执行此操作。"))


def clean_note(note, *, required_message="") -> str:
    note = (note or "").strip()
    if required_message and not note:
        raise ValidationError({"note": [required_message]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": [
                    _("备注过长：%(n)d 字，上限 %(max)d 字")
                    % {"n": len(note), "max": NOTE_MAX_LENGTH}
                ]
            }
        )
    return note


def locked(ticket) -> Ticket:
    """Re-read the row under a lock so two desks acting at once do not race,
    and refuse the action if the ticket changed since the actor's form was
    opened (tickets.versioning)."""
    from tickets import versioning

    row = Ticket.objects.select_for_update(of=("self",)).select_related("college").get(pk=ticket.pk)
    versioning.check_current(ticket, row)
    return row
