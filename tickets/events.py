"""The one builder of timeline events: no other module creates a TicketEvent
(tests/tickets/test_one_event_builder.py). A single write records its event
with `record`; the bulk paths (the importer's batches, the benchmark load)
build the same rows with `values` / `created_values` and insert them many at a
time with `insert`."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from supportdesk.privacy import mask_id_numbers
from supportdesk.rawinsert import RawInsert
from tickets.models import EventKind, Ticket, TicketEvent

Actor = AbstractBaseUser | AnonymousUser | None  # None: the system (auto-close, a fetch)

# Keys of an event's data that hold text the desk typed (a reply to the
# candidate, a merge's note), masked like the note itself.
TYPED_KEYS = ("reply", "note")


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _masked(note: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # No ID-card number is stored, whatever the desk typed into a note or reply.
    for key in TYPED_KEYS:
        if isinstance(data.get(key), str):
            data[key] = mask_id_numbers(data[key])
    return mask_id_numbers(note), data


def record(ticket: Ticket, actor: Actor, kind: str, note: str = "", /, **data: Any) -> TicketEvent:
    # Positional-only: the data may have a "note" of its own (a merge's note).
    note, data = _masked(note, data)
    return TicketEvent.objects.create(
        ticket=ticket, actor_id=_actor_id(actor), kind=kind, note=note, data=data
    )


def values(
    *,
    ticket_id: int,
    actor_id: int | None,
    kind: str,
    note: str = "",
    created_at: dt.datetime | None = None,
    **data: Any,
) -> dict[str, Any]:
    """An event as TicketEvent column values (attname -> value), for `insert`."""
    note, data = _masked(note, data)
    return {
        "ticket_id": ticket_id,
        "actor_id": actor_id,
        "kind": str(kind),
        "note": note,
        "created_at": created_at or timezone.now(),
        "data": data,
    }


def insert(rows: Iterable[Mapping[str, Any]]) -> None:
    """Many events (each from `values`) in multi-row INSERTs: no save(), no signals."""
    RawInsert(TicketEvent)([dict(row) for row in rows])


def created_data(
    *, channel: str, category: str, route: str, confidence: float, **extra: Any
) -> dict[str, Any]:
    """What a "created" event keeps: the channel and the engine's suggestion at intake."""
    return {
        "channel": str(channel),
        "suggestion": {"category": category, "route": route, "confidence": float(confidence)},
        **extra,
    }


def record_created(ticket: Ticket, actor: Actor) -> TicketEvent:
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


def created_values(
    *, ticket_id: int, actor_id: int | None, created_at: dt.datetime | None = None, **data: Any
) -> dict[str, Any]:
    """A "created" event as TicketEvent column values, for `insert`."""
    return values(
        ticket_id=ticket_id,
        actor_id=actor_id,
        kind=EventKind.CREATED,
        created_at=created_at,
        **created_data(**data),
    )


def insert_created(rows: Iterable[Mapping[str, Any]]) -> None:
    """Many "created" events, each row the keyword arguments of `created_values`."""
    insert(created_values(**row) for row in rows)
