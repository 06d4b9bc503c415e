"""Thin tasks: take ids, call services."""

from celery import shared_task

from tickets import services


@shared_task
def send_event_mail(event_id):
    return services.send_event_mail(event_id=event_id)
