"""The built-in kinds: a ready-made e-mail, and a Celery task by name."""

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from outbox.registry import handler


@handler("mail")
def send_mail(payload: dict) -> None:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        reply_to=payload.get("reply_to"),
        headers=payload.get("headers"),
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    message.send(fail_silently=False)


@handler("celery.task")
def queue_task(payload: dict) -> None:
    name, args, kwargs = payload["task"], payload.get("args", []), payload.get("kwargs", {})
    if current_app.conf.task_always_eager:
        current_app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)
    else:
        # No publish retries: a broker that is down fails this try at once and
        # the outbox retries later, instead of the relay hanging on it.
        current_app.send_task(name, args=args, kwargs=kwargs, retry=False)
