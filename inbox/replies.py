"""The desk's answer goes back the way the question came: a mail threaded on
the candidate's mail, or a WeCom message to the member.

`queue_answer` runs inside the answer's transaction and only writes rows (the
outbox entry, and for mail the reply's Message-ID in the ledger, so a reply
to it threads even before it is sent); the outbox delivers with retries, so
an outage of the mail server or of WeCom delays the answer, never loses it.
"""

import re
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guide.categories import CATEGORY_CODES
from inbox.models import ChannelMessage, Outcome, Source
from inbox.wecom import api as wecom_api
from tickets.models import Channel, TicketEvent

MAIL_REPLY = "inbox.mail_reply"
WECOM_REPLY = "inbox.wecom_reply"
REPLY_PREFIXES = re.compile(r"^\s*((re|fw|fwd|回复|答复|转发)\s*[:：]\s*|\[#\d+\]\s*)+", re.I)


def answer_route(ticket) -> str:
    """How an answer on this ticket reaches the candidate: "email" for a
    ticket that came into the mailbox, "wecom" for one from the WeCom app
    (when its message API is configured), "" when staff send it themselves."""
    if ticket.channel == Channel.EMAIL and ticket.contact_email:
        if ChannelMessage.objects.filter(
            ticket=ticket, source=Source.EMAIL, incoming=True
        ).exists():
            return "email"
    if ticket.channel == Channel.WECHAT and ticket.contact_wechat and _wecom_on():
        if ChannelMessage.objects.filter(ticket=ticket, source=Source.WECOM).exists():
            return "wecom"
    return ""


def queue_answer(ticket, event) -> str:
    """Queue the answer `event` (kind answered) to the candidate's channel;
    the route taken ("" for none)."""
    from outbox.services import enqueue

    route = answer_route(ticket)
    if route == "email":
        message_id = make_msgid(domain=settings.MAIL_REPLY_FROM.rpartition("@")[2] or None)
        ChannelMessage.objects.create(
            source=Source.EMAIL,
            incoming=False,
            external_id=message_id,
            ticket=ticket,
            event=event,
            sender=settings.MAIL_REPLY_FROM,
            subject=reply_subject(ticket)[:255],
            outcome=Outcome.SENT,
        )
        enqueue(
            MAIL_REPLY,
            {"event_id": event.pk, "message_id": message_id},
            dedupe_key=f"{MAIL_REPLY}:{event.pk}",
        )
    elif route == "wecom":
        enqueue(WECOM_REPLY, {"event_id": event.pk}, dedupe_key=f"{WECOM_REPLY}:{event.pk}")
    if route:
        # The timeline says how it goes out until the handler notes it went.
        event.data = {**event.data, "via": route}
        event.save(update_fields=["data"])
    return route


def _wecom_on() -> bool:
    return bool(settings.WECOM_CORP_ID and settings.WECOM_SECRET and settings.WECOM_AGENT_ID)


def original_subject(ticket) -> str:
    first = (
        ChannelMessage.objects.filter(ticket=ticket, source=Source.EMAIL, incoming=True)
        .order_by("created_at", "id")
        .first()
    )
    subject = REPLY_PREFIXES.sub("", first.subject if first else "").strip()
    return subject or ticket.text.splitlines()[0][:60]


def reply_subject(ticket) -> str:
    return f"[#{ticket.pk}] {original_subject(ticket)}"


def guide_link(ticket) -> str:
    try:
        if ticket.category in CATEGORY_CODES:
            return settings.SITE_URL + reverse("guide:category", args=[ticket.category])
        return settings.SITE_URL + reverse("guide:index")
    except NoReverseMatch:
        return settings.SITE_URL


def answer_text(ticket, reply) -> str:
    """The reply with the guide link and the desk's contact (always in Chinese:
    candidates read it)."""
    with translation.override("zh-hans"):
        return "\n".join(
            [
                reply,
                "",
                _("办理指南：%(url)s") % {"url": guide_link(ticket)},
                _("电子科技大学信息中心服务台 %(phone)s") % {"phone": settings.INFO_CENTER_PHONE},
            ]
        )


def _thread_ids(ticket, own_id) -> list[str]:
    return list(
        ChannelMessage.objects.filter(ticket=ticket, source=Source.EMAIL)
        .exclude(external_id=own_id)
        .exclude(external_id__endswith="@no-message-id>")
        .order_by("created_at", "id")
        .values_list("external_id", flat=True)
    )


def send_mail_reply(payload: dict) -> None:
    """Outbox handler: mail the answer, threaded, and note it on the timeline."""
    event = TicketEvent.objects.select_related("ticket").get(pk=payload["event_id"])
    if event.data.get("mailed_at"):
        return  # a redelivery after the mail went out: never mail twice
    ticket = event.ticket
    message_id = payload["message_id"]
    headers = {"Message-ID": message_id}
    thread = _thread_ids(ticket, message_id)
    latest_incoming = (
        ChannelMessage.objects.filter(ticket=ticket, source=Source.EMAIL, incoming=True)
        .exclude(external_id__endswith="@no-message-id>")
        .order_by("-created_at", "-id")
        .values_list("external_id", flat=True)
        .first()
    )
    if latest_incoming:
        headers["In-Reply-To"] = latest_incoming
    if thread:
        headers["References"] = " ".join(thread[-20:])
    EmailMessage(
        subject=reply_subject(ticket),
        body=answer_text(ticket, event.data.get("reply") or ticket.reply_text),
        from_email=settings.MAIL_REPLY_FROM,
        to=[ticket.contact_email],
        headers=headers,
    ).send(fail_silently=False)
    _mark_sent(event, "mailed_at")


def send_wecom_reply(payload: dict) -> None:
    """Outbox handler: the answer as a WeCom text message to the member."""
    event = TicketEvent.objects.select_related("ticket").get(pk=payload["event_id"])
    if event.data.get("wecom_sent_at"):
        return
    ticket = event.ticket
    wecom_api.send_text(ticket.contact_wechat, answer_text(ticket, event.data.get("reply") or ""))
    _mark_sent(event, "wecom_sent_at")


def _mark_sent(event, key):
    with transaction.atomic():
        event = TicketEvent.objects.select_for_update().get(pk=event.pk)
        event.data = {**event.data, key: timezone.now().isoformat()}
        event.save(update_fields=["data"])
