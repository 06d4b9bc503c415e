"""`Idempotency-Key` on POST /api/tickets/: a bot that retries a create gets
the first response again (for 24 hours) instead of a second ticket.

The stored response is written in the same transaction as the ticket, under a
unique (user, key): two concurrent retries cannot both create -- the second
waits on the first's row and then replays it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

KEY_MAX_LENGTH = 200
KEPT_FOR = timedelta(hours=24)


class IdempotentRequest(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()

    class Meta:
        app_label = "tickets"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


def run_once(user, key: str, run) -> tuple[int, dict, bool]:
    """(status, body, replayed): `run()` -> (status, body) at most once per user and key."""
    if not key:
        status, body = run()
        return status, body, False
    stored = _stored(user, key)
    if stored is not None:
        return stored.status, stored.body, True
    try:
        with transaction.atomic():
            status, body = run()
            IdempotentRequest.objects.create(user=user, key=key, status=status, body=body)
    except IntegrityError:
        stored = _stored(user, key)
        if stored is None:
            raise
        return stored.status, stored.body, True
    return status, body, False


def _stored(user, key):
    rows = IdempotentRequest.objects.filter(user=user, key=key)
    stored = rows.first()
    if stored is not None and stored.created_at < timezone.now() - KEPT_FOR:
        rows.delete()  # expired: the key may be used again
        return None
    return stored
