"""Logging a new ticket: `check_create_ticket` validates (nothing saved),
`do_create_ticket` saves it with its events and what the engine learns."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guide import answers
from guide.knowledge_store import record_correction
from guide.models import LabelledExample
from guide.triage import suggest
from tickets import events, reopening, selectors, validation
from tickets.actions.base import check_perm
from tickets.models import College, EventKind, Ticket
from tickets.permissions import ADD


def check_create_ticket(
    *,
    actor,
    text,
    channel,
    candidate_number="",
    candidate_name="",
    college=None,
    contact_phone="",
    contact_email="",
    contact_wechat="",
    suggestion=None,
    created_at=None,
    category=None,
    route=None,
    reply_text=None,
    source_key=None,
    assignee=None,
) -> Ticket:
    """The new ticket, validated and not saved, with the engine's suggestion as
    its snapshot. `actor` None is the system (a mail or WeCom channel); a user
    must have the intake permission. `college` is a College, its code or its
    name. `category`/`route` given and differing from the suggestion are a
    correction (the reply becomes that category's answer). Raises
    ValidationError with every field error at once."""
    if actor is not None and actor.is_authenticated:
        check_perm(actor, ADD)
    text = (text or "").strip()
    if suggestion is None and text:
        suggestion = suggest(text)
    errors: dict[str, str | list[str]] = {}  # ValidationError takes either per field
    if isinstance(college, str):
        written = college.strip()
        college = selectors.resolve_college(written) if written else None
        if written and college is None:
            errors["college"] = _("未知学院。")
    values = validation.ticket_values(
        text=text,
        channel=channel,
        candidate_number=candidate_number,
        candidate_name=candidate_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_wechat=contact_wechat,
        suggestion=suggestion,
        category=category,
        route=route,
        reply_text=reply_text,
    )
    if reply_text is None and (values["category"], values["route"]) != (
        values["suggested_category"],
        values["suggested_route"],
    ):
        values["reply_text"] = answers.answer(values["category"], values["route"])
        values["reply_category"], values["reply_route"] = values["category"], values["route"]
    ticket = Ticket(
        **values,
        college=college if isinstance(college, College) else None,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        assignee=assignee,
        source_key=source_key,
    )
    if created_at is not None:
        ticket.created_at = created_at
    errors.update(validation.field_errors(values))
    try:
        ticket.full_clean(exclude=["source_key"] if source_key is None else None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return ticket


def do_create_ticket(ticket, *, actor, fold_repeat=False) -> Ticket:
    """Save a checked new ticket, its "created" event and, when staff chose
    another category or route than the engine, the correction it learns from.
    With `fold_repeat`, a message of a candidate whose same problem is still
    open goes onto that ticket instead (tickets.reopening)."""
    with transaction.atomic():
        if fold_repeat:
            # The same candidate with the same problem again: their open ticket.
            existing = reopening.same_problem(ticket)
            if existing is not None:
                return reopening.add_message(existing, ticket, actor)
        ticket.save()
        events.record_created(ticket, actor)
        before = {"category": ticket.suggested_category, "route": ticket.suggested_route}
        after = {"category": ticket.category, "route": ticket.route}
        if after != before:
            events.record(ticket, actor, EventKind.CORRECTED, before=before, after=after)
            learn(ticket, actor)
    return ticket


def create_ticket(*, actor, **fields) -> Ticket:
    ticket = check_create_ticket(actor=actor, **fields)
    # A message of now (not a dated import or demo row) may repeat an open ticket.
    fresh = fields.get("created_at") is None and fields.get("source_key") is None
    return do_create_ticket(ticket, actor=actor, fold_repeat=fresh)


def learn(ticket, actor) -> None:
    """The corrected labels become an example the engine learns from, in the
    caller's transaction: a correction and its lesson are saved together.
    The latest correction of a ticket is its label: an earlier, contradicted
    one would teach the engine both answers."""
    LabelledExample.objects.filter(
        ticket_id=ticket.pk, source=LabelledExample.Source.CORRECTION
    ).delete()
    record_correction(
        text=ticket.text,
        category=ticket.category,
        route=ticket.route,
        ticket_id=ticket.pk,
        user=actor if getattr(actor, "pk", None) else None,
    )
