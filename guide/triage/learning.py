"""Desk corrections become labelled examples the engine learns from.

`record_correction` is called by the ticket workflow when staff override the
suggested category or route. The row is written in the caller's transaction;
the process that saved it rechecks on commit, every other process's engine
notices it within `knowledge.RECHECK_SECONDS` (it compares a cheap database
version of the knowledge with the one its in-memory index was built from), and
each rebuilds its index (~0.1 s) — no code change, no restart, no Celery task.
"""

from django.db import transaction

from guide.models import FaqCategory, LabelledExample, Route
from supportdesk.privacy import mask_id_numbers

from . import knowledge

MAX_TEXT = 4000  # the engine reads no further; keeps the index small


def record_correction(
    *, text: str, category: str, route: str, ticket_id: int | None = None, user=None
) -> None:
    """Store `text` as an example of `category` handled by `route`."""
    text = mask_id_numbers((text or "").strip())  # never an ID-card number in an example
    if not FaqCategory.objects.filter(code=category).exists():
        raise ValueError(f"unknown category code: {category!r}")
    if route not in Route.values:
        raise ValueError(f"unknown route: {route!r}")
    if not text:
        return  # nothing to learn from
    LabelledExample.objects.create(
        text=text[:MAX_TEXT],
        category=category,
        route=route,
        ticket_id=ticket_id,
        created_by=user if getattr(user, "pk", None) else None,
        source=LabelledExample.Source.CORRECTION,
    )
    # this process need not wait for its next periodic check
    transaction.on_commit(knowledge.recheck)
