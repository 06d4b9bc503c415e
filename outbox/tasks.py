"""The relay as a Celery task, run by beat every OUTBOX_RELAY_EVERY seconds."""

from celery import shared_task

from outbox import relay as outbox_relay


@shared_task(ignore_result=True)
def relay() -> dict:
    result = outbox_relay.relay()
    return {"delivered": result.delivered, "failed": result.failed}
