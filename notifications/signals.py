from django.db.models.signals import post_save
from django.dispatch import receiver

from tickets.models import TicketEvent


@receiver(post_save, sender=TicketEvent, dispatch_uid="notify_teacher_action")
def _on_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from notifications.services import notify_teacher_action

        notify_teacher_action(instance)
