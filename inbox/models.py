"""What arrived by mail or WeCom and what went back: the exactly-once ledger,
the stored attachments and each channel's health."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket, TicketEvent


class Source(models.TextChoices):
    EMAIL = "email", _("邮件")
    WECOM = "wecom", _("企业微信")


class Outcome(models.TextChoices):
    CREATED = "created", _("新建工单")
    APPENDED = "appended", _("追加到工单")
    IGNORED = "ignored", _("已忽略")
    SENT = "sent", _("已发出")


class ChannelMessage(models.Model):
    """One message in or out. (source, external_id) is unique: the Message-ID
    of a mail or the MsgId of a WeCom message is recorded in the same
    transaction as its ticket, so a second fetch or delivery adds nothing."""

    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    incoming = models.BooleanField(_("收到的"), default=True)
    external_id = models.CharField(_("消息标识"), max_length=255)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="channel_messages"
    )
    event = models.ForeignKey(TicketEvent, on_delete=models.SET_NULL, null=True, blank=True)
    sender = models.CharField(_("发件人"), max_length=255, blank=True)
    subject = models.CharField(_("主题"), max_length=255, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="channel_message_once")
        ]
        indexes = [models.Index(fields=["ticket", "created_at"], name="channel_message_ticket_idx")]
        verbose_name = _("渠道消息")
        verbose_name_plural = _("渠道消息")

    def __str__(self):
        return f"{self.source} {self.external_id}"


class Attachment(models.Model):
    """A file that came with a mail. Stored only under the size limit; always
    served as a download, never rendered."""

    message = models.ForeignKey(
        ChannelMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"))
    file = models.FileField(upload_to="inbox/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.filename

    @property
    def stored(self) -> bool:
        return bool(self.file)


class ChannelState(models.Model):
    """Last success, last error and backlog of one channel, for the status
    page and /healthz; a row in the database so every process agrees."""

    source = models.CharField(max_length=8, choices=Source.choices, primary_key=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    backlog = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.source
