"""A ticket's moves through its lifecycle: answer, escalate, refer, resolve,
close, reopen. Each `check_*` authorises and validates without writing (and
refuses a move the lifecycle forbids from the status it sees); each `do_*`
re-reads the row under a lock, moves it, records the event and queues its
mail, in one transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbox.replies import queue_answer
from supportdesk.privacy import mask_id_numbers
from tickets import events, notifications, selectors
from tickets.actions.base import (
    TransitionNotAllowed,
    check_perm,
    check_transition,
    clean_note,
    locked,
    move,
)
from tickets.models import EventKind, Status
from tickets.permissions import RESOLVE, WORK
from tickets.validation import TEXT_MAX_LENGTH, length_error


def _take(ticket, actor):
    if ticket.assignee_id is None and actor is not None and actor.is_authenticated:
        ticket.assignee = actor


def check_answer(actor, ticket, *, reply_text="", note="") -> dict:
    check_perm(actor, WORK, ticket)
    check_transition(ticket, Status.ANSWERED)
    reply_text = mask_id_numbers((reply_text or "").strip())
    if not reply_text:
        raise ValidationError({"reply_text": [_("请填写发给考生的答复。")]})
    if message := length_error(reply_text, TEXT_MAX_LENGTH):
        raise ValidationError({"reply_text": [message]})
    return {"reply_text": reply_text, "note": clean_note(note)}


def do_answer(actor, ticket, *, reply_text, note=""):
    """The reply was sent to the candidate. A text other than the offered one
    is a hand edit: a later correction keeps it."""
    with transaction.atomic():
        ticket = locked(ticket)
        move(ticket, Status.ANSWERED)
        if reply_text != ticket.reply_text.strip():
            ticket.reply_edited = True
        ticket.reply_text = reply_text
        if ticket.first_answered_at is None:
            ticket.first_answered_at = timezone.now()
        _take(ticket, actor)
        ticket.save()
        event = events.record(
            ticket,
            actor,
            EventKind.ANSWERED,
            note,
            reply=reply_text,
            reply_category=ticket.reply_category,
            reply_route=ticket.reply_route,
            reply_edited=ticket.reply_edited,
        )
        # A ticket that came by mail or WeCom is answered there, through the outbox.
        queue_answer(ticket, event)
    return ticket


def check_escalate(actor, ticket, *, note="", tried="") -> dict:
    check_perm(actor, WORK, ticket)
    check_transition(ticket, Status.ESCALATED)
    return {"note": clean_note(note), "tried": (tried or "").strip()}


def do_escalate(actor, ticket, *, note="", tried=""):
    """Escalate to the info-center: the note is mailed and kept in the timeline."""
    with transaction.atomic():
        ticket = locked(ticket)
        move(ticket, Status.ESCALATED)
        message = note or notifications.escalation_note(ticket, tried)
        _take(ticket, actor)
        ticket.save()
        event = events.record(
            ticket, actor, EventKind.ESCALATED, message, to=settings.INFO_CENTER_EMAIL
        )
        notifications.deliver(event)
    return ticket


def check_refer(actor, ticket, *, note="") -> dict:
    check_perm(actor, WORK, ticket)
    check_transition(ticket, Status.REFERRED)
    if ticket.college_id is None:
        raise ValidationError({"college": [_("请先填写考生所在学院。")]})
    return {"note": clean_note(note)}


def do_refer(actor, ticket, *, note=""):
    """Refer to the candidate's college: its admissions teachers are notified."""
    with transaction.atomic():
        ticket = locked(ticket)
        if ticket.college_id is None:
            raise ValidationError({"college": [_("请先填写考生所在学院。")]})
        move(ticket, Status.REFERRED)
        ticket.save()
        recipients = selectors.college_teacher_emails(ticket.college)
        event = events.record(ticket, actor, EventKind.REFERRED, note, to=recipients)
        notifications.deliver(event)
    return ticket


def check_resolve(actor, ticket, *, note="") -> dict:
    """Desk staff resolve any open ticket; a teacher what was referred to them."""
    check_perm(actor, RESOLVE, ticket, _("无权解决此工单。"))
    check_transition(ticket, Status.RESOLVED)
    return {"note": clean_note(note)}


def do_resolve(actor, ticket, *, note=""):
    with transaction.atomic():
        ticket = locked(ticket)
        move(ticket, Status.RESOLVED)
        ticket.resolved_at = timezone.now()
        ticket.save()
        events.record(ticket, actor, EventKind.RESOLVED, note)
    return ticket


def check_close(actor, ticket, *, note="") -> dict:
    check_perm(actor, WORK, ticket)
    check_transition(ticket, Status.CLOSED)
    return {"note": clean_note(note)}


def do_close(actor, ticket, *, note=""):
    with transaction.atomic():
        ticket = locked(ticket)
        move(ticket, Status.CLOSED)
        if ticket.resolved_at is None:
            ticket.resolved_at = timezone.now()
        ticket.save()
        events.record(ticket, actor, EventKind.CLOSED, note)
    return ticket


def check_reopen(actor, ticket, *, note="") -> dict:
    """A resolved or closed ticket opens again as new; the reason is required."""
    check_perm(actor, WORK, ticket)
    note = clean_note(note, required_message=_("重新打开需要说明原因。"))
    if ticket.is_open:
        raise TransitionNotAllowed(_("工单仍在处理中，无需重新打开。"))
    return {"note": note}


def do_reopen(actor, ticket, *, note):
    with transaction.atomic():
        ticket = locked(ticket)
        if ticket.is_open:
            raise TransitionNotAllowed(_("工单仍在处理中，无需重新打开。"))
        ticket.status = Status.NEW
        ticket.resolved_at = None
        ticket.save()
        events.record(ticket, actor, EventKind.REOPENED, note)
    return ticket
