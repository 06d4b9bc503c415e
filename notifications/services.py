"""Who is told when a college teacher acts on a referred ticket, and how."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Notification
from tickets import roles
from tickets.models import EventKind, Status

TOLD_OF = (EventKind.COMMENTED, EventKind.RESOLVED)


def _was_referred(ticket) -> bool:
    return (
        ticket.status == Status.REFERRED or ticket.events.filter(kind=EventKind.REFERRED).exists()
    )


def recipients(ticket):
    """The ticket's assignee, or every active desk member when it has none."""
    if ticket.assignee_id and ticket.assignee.is_active:
        return [ticket.assignee]
    return list(get_user_model().objects.filter(is_active=True, groups__name=roles.DESK).distinct())


def notify_teacher_action(event):
    """Called for every new ticket event; acts on a teacher's comment or resolution
    of a referred ticket, in the event's transaction."""
    if event.kind not in TOLD_OF or event.actor is None:
        return []
    actor = event.actor
    if roles.is_desk(actor) or roles.college_of(actor) is None:
        return []
    ticket = event.ticket
    if event.kind == EventKind.COMMENTED and not _was_referred(ticket):
        return []
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, ticket=ticket, event=event) for user in recipients(ticket)]
    )
    if settings.NOTIFY_DESK_BY_MAIL:
        _mail(event, [n.recipient.email for n in rows if n.recipient.email])
    return rows


def _mail(event, to):
    from outbox.services import enqueue_mail

    if not to:
        return
    with translation.override("zh-hans"):
        verb = _("备注了") if event.kind == EventKind.COMMENTED else _("解决了")
        subject = _("[服务台] %(teacher)s %(verb)s工单 #%(id)s") % {
            "teacher": event.actor.get_username(),
            "verb": verb,
            "id": event.ticket_id,
        }
        body = "\n".join(
            [
                subject,
                "",
                event.note or "",
                "",
                f"{settings.SITE_URL}/tickets/{event.ticket_id}/",
            ]
        )
    enqueue_mail(subject=subject, body=body, to=to, dedupe_key=f"notify-event-{event.pk}")


def unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def mark_read(user, ids=None):
    qs = unread(user)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    with transaction.atomic():
        return qs.update(read_at=timezone.now())
