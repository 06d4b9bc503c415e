from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guide.categories import answer_for
from guide.triage.engine import Thresholds


class Route(models.TextChoices):
    """The four routes of categories.md; the codes are a contract."""

    GUIDE_ANSWER = "guide_answer", _("按指南答复")
    ESCALATE = "escalate", _("升级至信息中心")
    REFER_COLLEGE = "refer_college", _("转学院招生老师")
    MANUAL = "manual", _("人工处理")


class GuideSection(models.Model):
    """A part of the activation guide: 前言, 步骤一, 附件一, 常见问题 ..."""

    key = models.SlugField(_("锚点"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("指南章节")
        verbose_name_plural = _("指南章节")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('guide:index')}#{self.key}"


class GuideStep(models.Model):
    """A numbered step, note or FAQ entry of a section, with its own stable anchor."""

    section = models.ForeignKey(GuideSection, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("序号"))
    anchor = models.SlugField(_("锚点"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))

    class Meta:
        ordering = ["section__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="guide_step_unique_number"),
        ]
        verbose_name = _("指南步骤")
        verbose_name_plural = _("指南步骤")

    def __str__(self):
        return f"{self.section.title} · {self.title}"

    def get_absolute_url(self):
        return f"{reverse('guide:index')}#{self.anchor}"


class FaqCategoryQuerySet(models.QuerySet):
    def in_guide_order(self):
        return self.order_by("order")

    def with_steps(self):
        return self.prefetch_related("steps__section")


class FaqCategory(models.Model):
    """One of the 14 problem categories of categories.md and the desk's answer to it."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    symptoms = models.TextField(_("问题表现"))
    steps = models.ManyToManyField(
        GuideStep, blank=True, related_name="categories", verbose_name=_("指南步骤")
    )
    answer = models.TextField(_("答复文本"), help_text=_("服务台发给考生的答复"))
    default_route = models.CharField(_("默认处理方式"), max_length=20, choices=Route.choices)
    other_route = models.CharField(
        _("另一处理方式"), max_length=20, choices=Route.choices, blank=True
    )
    other_route_condition = models.TextField(_("另一处理方式的条件"), blank=True)
    other_route_answer = models.TextField(
        _("另一处理方式的答复"), blank=True, help_text=_("升级或转学院时发给考生的说明")
    )
    keywords = models.TextField(
        _("关键词"),
        blank=True,
        # The example's terms are the lexicon's own (Chinese) words in any language.
        help_text=format_lazy(
            "{}{}",
            _(
                "每行一条规则：同一句中须同时出现的词用 + 连接，!词 表示该词不能出现，"
                "*n 为权重。例如："
            ),
            "统一认证 + 激活 + !完成 *3",
        ),
    )
    example_phrasings = models.TextField(
        _("示例问法"), blank=True, help_text=_("每行一个考生的真实问法")
    )
    # The matching-knowledge fields (keywords, example_phrasings) a person
    # overrode in the admin: those rule; the others follow the shipped
    # guide/knowledge files, so shipped updates still reach them. The admin
    # sets and drops them (guide.admin.FaqCategoryForm).
    local_fields = models.JSONField(_("本地覆盖的字段"), default=list, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("顺序"))
    history = HistoricalRecords(excluded_fields=["order"])

    objects = FaqCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_absolute_url(self):
        return reverse("guide:category", args=[self.code])

    @property
    def display_title(self) -> str:
        """The title in the active language (title_en under English, when set)."""
        from django.utils.translation import get_language

        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title

    def clean(self):
        # the same validation as the shipped files: an unknown tag or a bad
        # weight is refused with its line and term
        from guide.knowledge_errors import knowledge_error
        from guide.triage import files

        try:
            files.check_rules(self.keywords, files.SHIPPED.tags, file=str(_("关键词")))
        except files.KnowledgeError as error:
            raise ValidationError({"keywords": knowledge_error(error)}) from error

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    def example_list(self) -> list[str]:
        return [line.strip() for line in self.example_phrasings.splitlines() if line.strip()]

    def answer_for(self, route: str) -> str:
        return answer_for(
            route=route,
            answer=self.answer,
            other_route=self.other_route,
            other_route_answer=self.other_route_answer,
        )


class LabelledExample(models.Model):
    """A message with its right category and route, that the triage engine
    learns from with no code change (nearest-neighbour over these texts).

    Rows come from desk staff correcting a ticket's suggested category or
    route (source=correction), or from a data import (source=import).
    """

    class Source(models.TextChoices):
        CORRECTION = "correction", _("服务台更正")
        IMPORT = "import", _("导入")

    text = models.TextField(_("考生原话"))
    category = models.CharField(_("分类"), max_length=40)
    route = models.CharField(_("处理方式"), max_length=20, choices=Route.choices)
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.CORRECTION
    )
    # A plain id, not a foreign key: the guide app must not depend on tickets.
    ticket_id = models.PositiveIntegerField(_("工单"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("标注样例")
        verbose_name_plural = _("标注样例")

    def __str__(self):
        return f"{self.category}/{self.route}: {self.text[:40]}"


class TriageModel(models.Model):
    """A fitted version of the triage engine's learned layer: its weights as
    JSON, read by every web and worker process (the latest row wins, picked up
    within 2 s through the knowledge version). Written by guide.training."""

    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    examples = models.PositiveIntegerField(_("训练样例数"))
    # the newest labelled example it learned from: a retrain with nothing newer is skipped
    through_example_id = models.PositiveIntegerField(_("最新样例"), null=True, blank=True)
    weights = models.TextField(_("权重"))
    figures = models.JSONField(_("交叉验证指标"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("分诊模型")
        verbose_name_plural = _("分诊模型")

    def __str__(self):
        return f"#{self.pk} ({self.examples})"


ENGINE_DEFAULTS = Thresholds()


def _threshold_default(setting: str, field: str) -> float:
    """The deployment's TRIAGE_* setting, or the engine's default when unset:
    the defaults are written once, in guide.triage.engine.Thresholds."""
    value = getattr(settings, setting, None)
    return float(value) if value is not None else float(getattr(ENGINE_DEFAULTS, field))


def default_waited_long_days() -> float:
    return _threshold_default("TRIAGE_WAITED_LONG_DAYS", "waited_long_days")


def default_deadline_near_days() -> float:
    return _threshold_default("TRIAGE_DEADLINE_NEAR_DAYS", "deadline_near_days")


def default_review_below() -> float:
    return _threshold_default("TRIAGE_REVIEW_BELOW", "review_below")


def validate_positive(value) -> None:
    if value is None or value <= 0:
        raise ValidationError(_("须为正数"), code="not_positive")


MAX_DAYS = 365


class TriageSettings(models.Model):
    """The triage engine's thresholds, set in the admin by the info-center
    lead: one row (pk 1); until it is saved the settings TRIAGE_* are in force.
    They travel with the engine's knowledge (knowledge_store.load, picked up by
    every process through knowledge_store.version within 2 s)."""

    waited_long_days = models.FloatField(
        _("“等很久”的天数"),
        default=default_waited_long_days,
        validators=[validate_positive, MaxValueValidator(MAX_DAYS)],
        help_text=_("考生说已等了至少这么多天（如激活后一直没进群）才算等很久"),
    )
    deadline_near_days = models.FloatField(
        _("“时间临近”的天数"),
        default=default_deadline_near_days,
        validators=[validate_positive, MaxValueValidator(MAX_DAYS)],
        help_text=_("复试等时间点在这么多天以内才算临近"),
    )
    review_below = models.FloatField(
        _("“请核对”的置信度阈值"),
        default=default_review_below,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("置信度低于该值（0 到 1）的建议标注“请核对”"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分诊阈值")
        verbose_name_plural = _("分诊阈值")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(waited_long_days__gt=0, waited_long_days__lte=MAX_DAYS)
                & models.Q(deadline_near_days__gt=0, deadline_near_days__lte=MAX_DAYS)
                & models.Q(review_below__gte=0, review_below__lte=1),
                name="guide_triage_settings_in_range",
            ),
        ]

    def __str__(self):
        return str(_("分诊阈值"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "TriageSettings":
        """The saved row, or the settings' defaults while there is none."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
