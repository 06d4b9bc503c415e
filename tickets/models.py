from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from guide.validators import validate_category_code
from supportdesk import privacy

# 硕士研究生考生号 (candidate number): 15 digits, starting with the unit code.
candidate_number_validator = RegexValidator(
    r"^[0-9]{15}\Z", _("考生号应为15位数字"), code="invalid_candidate_number"
)


class College(models.Model):
    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("学院")
        verbose_name_plural = _("学院")

    def __str__(self):
        # Every form, table and page shows a college through str(); English
        # readers get name_en where the seed has one.
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    EMAIL = "email", _("邮件")
    WECHAT = "wechat", _("企业微信/微信")
    QQ = "qq", _("QQ")
    WALK_IN = "walk_in", _("现场")
    COLLEGE = "college", _("学院转来")


class Status(models.TextChoices):
    NEW = "new", _("新建")
    ANSWERED = "answered", _("已答复")
    ESCALATED = "escalated", _("已升级")
    REFERRED = "referred", _("已转学院")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (Status.NEW, Status.ANSWERED, Status.ESCALATED, Status.REFERRED)


class Ticket(models.Model):
    """One candidate problem. Never holds an ID-card number."""

    # Not columns: set by tickets.reopening on the ticket ticket_create returns
    # when a repeat message joined an open ticket (appended), and reopened it.
    appended: bool = False
    reopened: bool = False

    candidate_name = models.CharField(_("考生姓名"), max_length=100, blank=True)
    candidate_number = models.CharField(
        _("考生号"), max_length=15, blank=True, validators=[candidate_number_validator]
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("学院"),
    )
    contact_phone = models.CharField(_("手机号"), max_length=20, blank=True)
    contact_email = models.EmailField(_("邮箱"), blank=True)
    contact_wechat = models.CharField(_("微信号"), max_length=64, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("考生原话"))

    category = models.CharField(_("问题分类"), max_length=40, validators=[validate_category_code])
    route = models.CharField(_("处理方式"), max_length=20, choices=Route.choices)
    also = models.JSONField(_("其他问题"), default=list, blank=True)
    reply_text = models.TextField(_("答复文本"), blank=True)
    # Whose guide answer the reply is: the category and route it was taken
    # for, so a correction can move it and the page can say which it is.
    # reply_edited: staff changed the text by hand (a correction keeps it).
    reply_category = models.CharField(_("答复所属分类"), max_length=40, blank=True)
    reply_route = models.CharField(_("答复所属处理方式"), max_length=20, blank=True)
    reply_edited = models.BooleanField(_("答复已手动修改"), default=False)

    # The engine's suggestion at intake, kept even after staff change it.
    suggested_category = models.CharField(
        _("建议分类"), max_length=40, validators=[validate_category_code]
    )
    suggested_route = models.CharField(_("建议处理方式"), max_length=20, choices=Route.choices)
    suggested_confidence = models.FloatField(_("建议置信度"))
    suggested_evidence = models.JSONField(_("建议依据"), default=list, blank=True)
    # A ticket suggested "other": its phrases for the report's list of frequent
    # phrases, worked out once from the text when it is written (reports.phrases).
    other_phrases = models.JSONField(null=True, blank=True, editable=False)

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("负责人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_tickets",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    first_answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    # Raised by every save: an action form carries the version it was opened on,
    # and a ticket saved meanwhile refuses it instead of being overwritten.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("已合并到"),
    )
    # A stable key of the source row for bulk imports: importing twice adds nothing.
    source_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["status", "-created_at"], name="ticket_status_idx"),
            models.Index(fields=["college", "-created_at"], name="ticket_college_idx"),
            models.Index(
                fields=["college", "status", "-created_at"], name="ticket_college_status_idx"
            ),
            models.Index(fields=["category", "-created_at"], name="ticket_category_idx"),
            models.Index(fields=["route", "-created_at"], name="ticket_route_idx"),
            models.Index(fields=["channel", "-created_at"], name="ticket_channel_idx"),
            models.Index(fields=["assignee", "status", "-created_at"], name="ticket_assignee_idx"),
            models.Index(fields=["candidate_number"], name="ticket_candidate_idx"),
            # The ticket page lists the candidate's other tickets by number or phone.
            models.Index(fields=["contact_phone"], name="ticket_phone_idx"),
            # ... or email, compared without case (selectors.candidate_history):
            # without it the three-way OR read the whole table for any ticket
            # with an email (1.3 s at a million tickets).
            models.Index(Upper("contact_email"), name="ticket_email_upper_idx"),
        ]
        verbose_name = _("工单")
        verbose_name_plural = _("工单")

    def __str__(self):
        return f"#{self.pk} {self.category}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("tickets:detail", args=[self.pk])

    @property
    def suggestion_needs_review(self) -> bool:
        """The engine was unsure at intake: the page says 请核对 (the
        threshold the admin set, guide.models.TriageSettings)."""
        from guide.triage import engine

        return self.suggested_confidence < engine.thresholds().review_below

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


mask_phone = privacy.mask_phone  # kept importable from here; the rule lives in privacy


class EventKind(models.TextChoices):
    CREATED = "created", _("创建")
    CORRECTED = "corrected", _("修正分类")
    ANSWERED = "answered", _("已答复")
    ESCALATED = "escalated", _("升级至信息中心")
    REFERRED = "referred", _("转学院")
    COMMENTED = "commented", _("备注")
    ASSIGNED = "assigned", _("指派")
    RESOLVED = "resolved", _("解决")
    CLOSED = "closed", _("关闭")
    REOPENED = "reopened", _("重新打开")
    MESSAGE = "message", _("考生来信")
    MERGED = "merged", _("合并")
    CONTACT_VIEWED = "contact_viewed", _("查看联系方式")


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    note = models.TextField(_("备注"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_idx")]
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")

    def __str__(self):
        return f"#{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs):
        # The ticket version this change produced: a stale form lists what came after.
        if self._state.adding and "version" not in self.data and self.ticket_id:
            self.data = {**self.data, "version": self.ticket.version}
        super().save(*args, **kwargs)


class DeskProfile(models.Model):
    """What the user model lacks: the college of an admissions teacher."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile"
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("学院")
    )

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self):
        return f"{self.user_id}: {self.college_id or '-'}"


from tickets.bulk_models import BulkJob  # noqa: E402,F401  -- registered with this app
from tickets.idempotency import IdempotentRequest  # noqa: E402,F401  -- registered with this app
