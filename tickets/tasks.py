"""Thin tasks: take ids, call services."""

from celery import shared_task

from tickets import services


@shared_task
def learn_correction(ticket_id, user_id=None):
    services.learn_correction(ticket_id=ticket_id, user_id=user_id)


@shared_task
def send_event_mail(event_id):
    return services.send_event_mail(event_id=event_id)
