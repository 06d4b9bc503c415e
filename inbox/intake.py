"""A received mail or WeCom message becomes a ticket, or joins the ticket it
answers. Exactly once: the message's id is recorded in the same transaction
as the ticket, so a fetch killed before it flagged the mail, or a WeCom
retry, finds the id and adds nothing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inbox import mailparse
from inbox.followup import candidate_wrote, live_ticket
from inbox.models import Attachment, ChannelMessage, Outcome, Source
from tickets.actions import create_ticket
from tickets.models import OPEN_STATUSES, Channel, Ticket
from tickets.validation import TEXT_MAX_LENGTH


def already_received(source, external_id) -> bool:
    return ChannelMessage.objects.filter(source=source, external_id=external_id).exists()


def receive_mail(mail) -> ChannelMessage | None:
    """Record one parsed mail (inbox.mailparse.ParsedMail); None if it was seen before."""
    try:
        with transaction.atomic():
            if already_received(Source.EMAIL, mail.message_id):
                return None
            return _receive_mail(mail)
    except IntegrityError:  # a parallel fetch recorded it first
        return None


def _receive_mail(mail):
    record = ChannelMessage(
        source=Source.EMAIL,
        external_id=mail.message_id,
        sender=mail.sender,
        subject=mail.subject,
    )
    problems = list(mail.problems)
    if mail.automatic or mail.sender in own_addresses():
        record.outcome = Outcome.IGNORED
        record.note = mail.automatic or _("本服务台自己发出的邮件")
        record.save()
        return record
    text, problems = _fit(mail.body, problems)
    ticket = mail_thread(mail)
    if ticket is not None:
        record.ticket = ticket
        record.outcome = Outcome.APPENDED
        candidate_wrote(ticket, text=text or _("（邮件无正文）"), channel=Channel.EMAIL)
    else:
        intro = "\n\n".join(part for part in (mail.subject, text) if part)
        if not text:
            problems.append(_("邮件无正文"))
        record.ticket = _new_ticket(
            text=(intro or _("（邮件无主题、无正文）"))[:TEXT_MAX_LENGTH],
            channel=Channel.EMAIL,
            contact_email=mail.sender,
            candidate_number=mailparse.candidate_number(f"{mail.subject}\n{mail.body}"),
            problems=problems,
        )
        record.outcome = _created_or_joined(record.ticket)
    record.note = "；".join(problems)
    record.save()
    _store_attachments(record, mail.attachments)
    return record


def own_addresses() -> set[str]:
    """Our own reply address: a mail from it is a loop, never a ticket."""
    return {settings.MAIL_REPLY_FROM.lower()} if settings.MAIL_REPLY_FROM else set()


def mail_thread(mail) -> Ticket | None:
    """The ticket a mail answers: a known Message-ID in In-Reply-To/References,
    or [#id] in the subject when the sender is that ticket's contact (a
    stranger cannot write into someone else's ticket by typing its number)."""
    if mail.thread_ids:
        known = (
            ChannelMessage.objects.filter(
                source=Source.EMAIL, external_id__in=mail.thread_ids, ticket__isnull=False
            )
            .select_related("ticket")
            .first()
        )
        if known is not None:
            return live_ticket(known.ticket)
    if mail.ticket_tag is not None:
        return live_ticket(
            Ticket.objects.filter(
                pk=mail.ticket_tag, contact_email__iexact=mail.sender, channel=Channel.EMAIL
            ).first()
        )
    return None


def _fit(text, problems):
    if len(text) > TEXT_MAX_LENGTH:
        problems = [*problems, _("正文过长，只保留前 %(n)s 字") % {"n": TEXT_MAX_LENGTH}]
        text = text[:TEXT_MAX_LENGTH]
    return text, problems


def _new_ticket(*, problems, **fields):
    """Create through the ticket service; a contact field it rejects is
    dropped with a note rather than losing the message."""
    try:
        return create_ticket(actor=None, **fields)
    except ValidationError as exc:
        rejected = set(exc.message_dict) - {"text", "channel"}
        if not rejected:
            raise
        for name in rejected:
            problems.append(
                _("无法使用的%(field)s：%(value)s")
                % {
                    "field": Ticket._meta.get_field(name).verbose_name,
                    "value": fields.get(name, ""),
                }
            )
            fields[name] = ""
        return create_ticket(actor=None, **fields)


def _store_attachments(record, attachments):
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    for part in attachments:
        attachment = Attachment(
            message=record,
            ticket=record.ticket,
            filename=part.filename,
            content_type=part.content_type,
            size=len(part.payload),
        )
        if attachment.size <= limit:
            # The stored name is ours: the sender's filename never reaches the disk.
            attachment.file.save("attachment.bin", ContentFile(part.payload), save=False)
        attachment.save()


def receive_wecom(message) -> ChannelMessage | None:
    """A WeCom text message (inbox.wecom.callback.WeComMessage): a new ticket,
    or the member's open ticket when there is one. None when WeCom delivered
    it before (it retries a callback it got no answer to) or it is not text."""
    if message.msg_type != "text" or not message.content:
        return None
    external_id = message.msg_id or f"{message.userid}:{message.created}"
    try:
        with transaction.atomic():
            if already_received(Source.WECOM, external_id):
                return None
            return _receive_wecom(message, external_id)
    except IntegrityError:  # a parallel delivery of the same message
        return None


def _receive_wecom(message, external_id):
    text, problems = _fit(message.content, [])
    record = ChannelMessage(
        source=Source.WECOM,
        external_id=external_id,
        sender=message.userid,
        note="；".join(problems),
    )
    ticket = (
        Ticket.objects.filter(
            channel=Channel.WECHAT,
            contact_wechat=message.userid,
            status__in=OPEN_STATUSES,
            merged_into__isnull=True,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if ticket is not None:
        record.ticket, record.outcome = ticket, Outcome.APPENDED
        candidate_wrote(ticket, text=text, channel=Channel.WECHAT)
    else:
        record.ticket = _new_ticket(
            text=text,
            channel=Channel.WECHAT,
            contact_wechat=message.userid,
            candidate_number=mailparse.candidate_number(text),
            problems=problems,
        )
        record.outcome = _created_or_joined(record.ticket)
    record.save()
    return record


def _created_or_joined(ticket):
    # ticket_create adds a message about a problem the candidate already has a
    # ticket for to that ticket (tickets.reopening) and says so.
    return Outcome.APPENDED if getattr(ticket, "appended", False) else Outcome.CREATED
