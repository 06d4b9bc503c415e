"""Thin tasks: take ids, call services."""

from celery import shared_task

from tickets import services


@shared_task
def send_event_mail(event_id):
    # Kept for messages queued before the outbox; new mail goes through it.
    return services.send_event_mail(event_id=event_id)
