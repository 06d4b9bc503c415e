from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.models import College


class WeeklyReport(models.Model):
    """The stored figures of one ISO week, for the university or one college.

    The history: a row is written (or rewritten) by the weekly task and by the
    `weekly_report` command; there is at most one row per week and scope, so
    running the task twice for a week leaves one report.
    """

    week_start = models.DateField(_("周一"), help_text=_("ISO 周的周一（北京时间）"))
    iso_week = models.CharField(_("ISO 周"), max_length=8)  # "2026-W47"
    college = models.ForeignKey(
        College,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="weekly_reports",
        verbose_name=_("学院"),
    )
    data = models.JSONField(_("数据"))
    generated_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-week_start", "college__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "college"], name="weeklyreport_one_per_college_week"
            ),
            # NULLs never clash in a unique index: the whole-university row needs its own.
            models.UniqueConstraint(
                fields=["week_start"],
                condition=Q(college__isnull=True),
                name="weeklyreport_one_university_week",
            ),
        ]
        verbose_name = _("周报")
        verbose_name_plural = _("周报")

    def __str__(self):
        scope = str(self.college) if self.college_id else _("全校")
        return f"{self.iso_week} · {scope}"
