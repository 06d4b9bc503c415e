"""Claiming and delivering outbox rows, with retries and backoff."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox import registry
from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

ERROR_KEPT = 2000  # characters of the last error stored on the row


@dataclass
class RelayResult:
    delivered: int = 0
    failed: int = 0

    def __add__(self, other: RelayResult) -> RelayResult:
        return RelayResult(self.delivered + other.delivered, self.failed + other.failed)


def check_kind(kind: str) -> None:
    registry.get(kind)  # raises UnknownKind at enqueue time, not hours later in the relay


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: base, 2x, 4x, ... capped."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _claimable(now):
    return OutboxMessage.objects.filter(delivered_at__isnull=True, available_at__lte=now).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )


def _claim(pk: int, now) -> bool:
    """Take a lease on one row; False when another relay holds or delivered it.

    The conditional UPDATE is the claim itself, so it holds on SQLite (no
    row locks) as well as on PostgreSQL.
    """
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return bool(
        _claimable(now).filter(pk=pk).update(locked_until=now + lease, attempts=F("attempts") + 1)
    )


def _deliver(pk: int) -> bool:
    message = OutboxMessage.objects.get(pk=pk)
    try:
        registry.get(message.kind)(message.payload)
    except Exception as exc:
        wait = backoff(message.attempts)
        OutboxMessage.objects.filter(pk=pk).update(
            locked_until=None,
            available_at=timezone.now() + wait,
            last_error=f"{type(exc).__name__}: {exc}"[:ERROR_KEPT],
        )
        log.warning(
            "outbox %s #%s attempt %s failed (%s: %s); next try in %ss",
            message.kind,
            pk,
            message.attempts,
            type(exc).__name__,
            exc,
            int(wait.total_seconds()),
        )
        return False
    OutboxMessage.objects.filter(pk=pk).update(
        delivered_at=timezone.now(), locked_until=None, last_error=""
    )
    log.info("outbox %s #%s delivered (attempt %s)", message.kind, pk, message.attempts)
    return True


def _deliver_claimed(pks) -> RelayResult:
    result = RelayResult()
    for pk in pks:
        if _deliver(pk):
            result.delivered += 1
        else:
            result.failed += 1
    return result


def deliver(pks) -> RelayResult:
    """Deliver these rows now if they are due and nobody else holds them."""
    now = timezone.now()
    return _deliver_claimed([pk for pk in pks if _claim(pk, now)])


def relay(limit: int | None = None) -> RelayResult:
    """Deliver up to `limit` due rows, oldest first (the beat task and the command)."""
    limit = limit or settings.OUTBOX_BATCH_SIZE
    now = timezone.now()
    with transaction.atomic():
        # SKIP LOCKED: relays in several processes split the due rows instead of
        # queueing behind one another; the lease is taken before the row locks
        # go. (Row locks are a no-op on SQLite, where the conditional lease
        # update alone decides.)
        pks = list(
            _claimable(now)
            .order_by("available_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        claimed = [pk for pk in pks if _claim(pk, now)]
    return _deliver_claimed(claimed)


def deliver_on_commit(pk: int, slow: bool = False) -> None:
    """The first try right after the writer commits; a failure is left to the relay.
    A slow row goes to a background thread whatever the mode says (but "off")."""
    mode = settings.OUTBOX_DELIVER_ON_COMMIT
    if mode == "off":
        return
    if mode == "thread" or slow:
        threading.Thread(target=_deliver_in_thread, args=(pk,), daemon=True).start()
        return
    _deliver_quietly(pk)


def _deliver_quietly(pk: int) -> None:
    try:
        deliver([pk])
    except Exception:  # the request already committed; the relay tries again
        log.exception("outbox #%s: delivery on commit failed", pk)


def _deliver_in_thread(pk: int) -> None:
    try:
        _deliver_quietly(pk)
    finally:
        connection.close()
