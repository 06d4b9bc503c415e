"""A transactional outbox: every side effect (mail, a queued task, a WeCom
message) is first a row written in the same transaction as the change that
causes it, then delivered by a relay with retries, so a broker or mail-server
outage delays a side effect but never loses it, and a rolled-back change never
sends anything.

Use it in three steps:

1. Register a handler for a kind, in a module named `outbox_handlers.py` of
   any installed app (found at start-up, like admin.py)::

       from outbox.registry import handler

       @handler("wecom.reply")
       def send_wecom_reply(payload: dict) -> None:
           ...  # raise to have the relay retry later with backoff

2. Enqueue inside the writer's transaction::

       from outbox.services import enqueue

       with transaction.atomic():
           ticket.save()
           enqueue("wecom.reply", {"ticket_id": ticket.pk}, dedupe_key=f"reply:{event.pk}")

   The payload must be JSON. A `dedupe_key` makes a repeated enqueue (a retried
   request, a redelivered task) return the existing row instead of a second
   one. Built-in kinds: "mail" (outbox.services.enqueue_mail) and
   "celery.task" (outbox.services.enqueue_task).

3. Delivery: once the transaction commits, the new rows are delivered at once
   (in-process when Celery is eager, in a background thread of the web
   process otherwise: OUTBOX_DELIVER_ON_COMMIT; always in a thread for an
   `enqueue(..., slow=True)` row, such as the triage model's refit). A failed delivery is retried
   by the relay -- the Celery beat task `outbox.tasks.relay` when REDIS_URL is
   set, `python manage.py relay` (cron, or `--loop`) otherwise -- after
   OUTBOX_RETRY_SECONDS * 2**(attempts-1), at most OUTBOX_RETRY_MAX_SECONDS.

Each row is claimed by one relay only (SELECT ... FOR UPDATE SKIP LOCKED, then a
conditional lease update, safe with several processes and on SQLite), and is
marked delivered once its handler returns. Handlers should be idempotent: a
process killed between the side effect and the mark delivers again after the
lease (OUTBOX_LEASE_SECONDS) runs out.
"""
