from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A running job that has committed nothing for this long lost its worker.
STALL_AFTER = timedelta(minutes=5)


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """One uploaded (or command-line) file and how far its import got.

    Each batch of rows commits together with `rows_done`, so after a crash the
    job resumes from the last committed batch; the per-row `source_key` on
    Ticket makes re-reading a row harmless anyway.
    """

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    # The command imports from a path on disk without copying it.
    path = models.CharField(max_length=1000, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    default_channel = models.CharField(_("默认渠道"), max_length=10, blank=True)
    file_format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(_("总行数（估计）"), null=True, blank=True)
    # Data rows read so far (committed), the resume point.
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新建工单"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重复跳过"), default=0)
    error_count = models.PositiveIntegerField(_("错误行"), default=0)
    blank_count = models.PositiveIntegerField(_("空行"), default=0)
    ignored_columns = models.JSONField(default=list, blank=True)
    # The file's own header of each column read ("candidate_number": "考号"):
    # row errors name a column as the person who made the file wrote it.
    column_headers = models.JSONField(default=dict, blank=True)
    # A problem with the whole file (unreadable, no text column, crash).
    failure = models.TextField(_("失败原因"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but no batch committed for minutes: the worker died."""
        quiet = timezone.now() - self.updated_at
        return self.status in (JobStatus.RUNNING, JobStatus.PENDING) and quiet > STALL_AFTER

    @property
    def may_resume(self) -> bool:
        return self.status == JobStatus.FAILED or self.is_stalled

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))


class ImportRowError(models.Model):
    """A row that was not imported, by its spreadsheet row number (header = row 1)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=40, blank=True)
    reason = models.CharField(_("原因"), max_length=300)
    value = models.CharField(_("内容摘录"), max_length=200, blank=True)

    class Meta:
        ordering = ["job", "row_number", "id"]
        indexes = [models.Index(fields=["job", "row_number"], name="import_error_row_idx")]
        verbose_name = _("导入错误行")
        verbose_name_plural = _("导入错误行")

    def __str__(self):
        return f"row {self.row_number}: {self.reason}"
