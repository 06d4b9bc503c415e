"""Writing side effects into the outbox and reading its backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from outbox import relay
from outbox.models import OutboxMessage


def enqueue(
    kind: str,
    payload: dict,
    *,
    dedupe_key: str | None = None,
    delay: timedelta | None = None,
    slow: bool = False,
) -> OutboxMessage:
    """Record a side effect in the caller's transaction; delivered after it commits.

    With a `dedupe_key` already in the outbox the existing row is returned and
    nothing new is delivered. A `slow` one (a model refit) is delivered on
    commit in a background thread even where delivery is otherwise inline
    (Celery eager): it must never hold the request that caused it.
    """
    relay.check_kind(kind)
    message = OutboxMessage(kind=kind, payload=payload, dedupe_key=dedupe_key)
    if delay:
        message.available_at = timezone.now() + delay
    if dedupe_key is None:
        message.save()
    else:
        try:
            # A savepoint: a duplicate leaves the caller's transaction usable.
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    if not delay:
        transaction.on_commit(partial(relay.deliver_on_commit, message.pk, slow=slow))
    return message


def enqueue_mail(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """A ready-made e-mail, sent as written (kind "mail")."""
    payload: dict[str, object] = {"subject": subject, "body": body, "to": list(to)}
    for name, value in (
        ("from_email", from_email),
        ("html", html),
        ("reply_to", reply_to),
        ("headers", headers),
    ):
        if value:
            payload[name] = value
    return enqueue("mail", payload, dedupe_key=dedupe_key)


def enqueue_task(
    name: str, *args, dedupe_key: str | None = None, slow: bool = False, **kwargs
) -> OutboxMessage:
    """A Celery task by name, queued once the broker takes it (kind "celery.task";
    `slow`: see enqueue -- run eagerly, the task itself runs in that thread)."""
    return enqueue(
        "celery.task",
        {"task": name, "args": list(args), "kwargs": kwargs},
        dedupe_key=dedupe_key,
        slow=slow,
    )


@dataclass(frozen=True)
class Backlog:
    undelivered: int
    oldest_created_at: datetime | None

    @property
    def oldest_age_seconds(self) -> int:
        if self.oldest_created_at is None:
            return 0
        return max(0, int((timezone.now() - self.oldest_created_at).total_seconds()))


def backlog() -> Backlog:
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True)
    summary = pending.aggregate(oldest=Min("created_at"))
    return Backlog(undelivered=pending.count(), oldest_created_at=summary["oldest"])
