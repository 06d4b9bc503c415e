"""What the ticket page shows of the channels: how an answer will be sent,
and the messages and attachments that came with the ticket."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from inbox import replies
from inbox.models import ChannelMessage

register = template.Library()


@register.simple_tag
def answer_route(ticket):
    return replies.answer_route(ticket)


@register.inclusion_tag("inbox/ticket_channel.html")
def channel_messages(ticket):
    messages = list(
        ChannelMessage.objects.filter(ticket=ticket)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    return {"messages": messages}


@register.filter
def sent_time(iso: str) -> str:
    """When a channel delivery went out (stored as ISO 8601 in the event's data)."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    return date_format(timezone.localtime(moment), "m-d H:i")
