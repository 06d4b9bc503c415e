"""Writes that do not move the lifecycle: notes, assignment, and the record
of a teacher reading a referred candidate's contact."""

from django.db import transaction
from django.utils.translation import gettext as _

from tickets import events
from tickets.actions.base import check_perm, clean_note, locked
from tickets.models import EventKind
from tickets.permissions import COMMENT, WORK


def check_comment(actor, ticket, *, note="") -> dict:
    check_perm(actor, COMMENT, ticket, _("无权备注此工单。"))
    return {"note": clean_note(note, required_message=_("请填写备注内容。"))}


def do_comment(actor, ticket, *, note):
    with transaction.atomic():
        events.record(ticket, actor, EventKind.COMMENTED, note)
    return ticket


def check_assign(actor, ticket, *, assignee) -> dict:
    check_perm(actor, WORK, ticket)
    return {"assignee": assignee}


def do_assign(actor, ticket, *, assignee):
    with transaction.atomic():
        ticket = locked(ticket)
        if ticket.assignee_id == getattr(assignee, "pk", None):
            return ticket
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee", "updated_at"])
        events.record(
            ticket, actor, EventKind.ASSIGNED, assignee=assignee.get_username() if assignee else ""
        )
    return ticket


def do_record_contact_view(actor, ticket):
    """A college teacher saw the candidate's full contact: kept on the timeline."""
    with transaction.atomic():
        return events.record(ticket, actor, EventKind.CONTACT_VIEWED)
