"""Correcting a ticket's category or route, and the reply that follows it.

A correction moves the reply to the new category's answer for the new route,
unless staff had edited the reply by hand: then their text stays and the page
offers the new answer (`do_take_answer`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guide import answers
from guide.models import Route
from guide.selectors import category_codes
from tickets import events
from tickets.actions.base import check_perm, clean_note, locked
from tickets.actions.create import learn
from tickets.models import EventKind
from tickets.permissions import WORK


def check_correct(actor, ticket, *, category, route, note="") -> dict:
    check_perm(actor, WORK, ticket)
    errors = {}
    for field, value, allowed in (
        ("category", category, category_codes()),
        ("route", route, Route.values),
    ):
        if value not in allowed:
            errors[field] = _("无效的取值：%(value)s") % {"value": value}
    if errors:
        raise ValidationError(errors)
    return {"category": category, "route": route, "note": clean_note(note)}


def do_correct(actor, ticket, *, category, route, note=""):
    """Staff override of category or route; the engine learns from it."""
    with transaction.atomic():
        ticket = locked(ticket)
        before = {"category": ticket.category, "route": ticket.route}
        after = {"category": category, "route": route}
        if before == after:
            return ticket
        ticket.category, ticket.route = category, route
        fields = ["category", "route", "updated_at"]
        moved = not ticket.reply_edited
        if moved:
            ticket.reply_text = answers.answer(category, route)
            ticket.reply_category, ticket.reply_route = category, route
            fields += ["reply_text", "reply_category", "reply_route"]
        ticket.save(update_fields=fields)
        events.record(
            ticket, actor, EventKind.CORRECTED, note, before=before, after=after, reply_moved=moved
        )
        learn(ticket, actor)
    return ticket


def check_take_answer(actor, ticket) -> dict:
    check_perm(actor, WORK, ticket)
    return {}


def do_take_answer(actor, ticket):
    """Replace a hand-edited reply by the current category's answer for its route."""
    with transaction.atomic():
        ticket = locked(ticket)
        ticket.reply_text = answers.answer(ticket.category, ticket.route)
        ticket.reply_category, ticket.reply_route = ticket.category, ticket.route
        ticket.reply_edited = False
        ticket.save(
            update_fields=[
                "reply_text",
                "reply_category",
                "reply_route",
                "reply_edited",
                "updated_at",
            ]
        )
    return ticket


def category_answer_pending(ticket) -> bool:
    """The reply belongs to another category or route than the ticket now has
    (edited by hand, so a correction kept it): the page offers the answer."""
    return bool(ticket.reply_text) and (ticket.reply_category, ticket.reply_route) != (
        ticket.category,
        ticket.route,
    )
