"""The one builder of timeline events. A single write records its event with
`record`; the bulk importer builds the same rows with `created_values` and
inserts them many at a time."""

from django.utils import timezone

from supportdesk.privacy import mask_id_numbers
from tickets.models import EventKind, TicketEvent


def _actor_id(actor):
    return actor.pk if actor is not None and actor.is_authenticated else None


def record(ticket, actor, kind, note="", **data) -> TicketEvent:
    # No ID-card number is stored, whatever the desk typed into a note or reply.
    if isinstance(data.get("reply"), str):
        data["reply"] = mask_id_numbers(data["reply"])
    return TicketEvent.objects.create(
        ticket=ticket, actor_id=_actor_id(actor), kind=kind, note=mask_id_numbers(note), data=data
    )


def created_data(*, channel, category, route, confidence, **extra) -> dict:
    """What a "created" event keeps: the channel and the engine's suggestion at intake."""
    return {
        "channel": str(channel),
        "suggestion": {"category": category, "route": route, "confidence": float(confidence)},
        **extra,
    }


def record_created(ticket, actor) -> TicketEvent:
    return record(
        ticket,
        actor,
        EventKind.CREATED,
        **created_data(
            channel=ticket.channel,
            category=ticket.suggested_category,
            route=ticket.suggested_route,
            confidence=ticket.suggested_confidence,
        ),
    )


def created_values(*, ticket_id, actor_id, created_at=None, **data) -> dict:
    """A "created" event as TicketEvent column values (attname -> value), for bulk inserts."""
    return {
        "ticket_id": ticket_id,
        "actor_id": actor_id,
        "kind": EventKind.CREATED.value,
        "note": "",
        "created_at": created_at or timezone.now(),
        "data": created_data(**data),
    }
