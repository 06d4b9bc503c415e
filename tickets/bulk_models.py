"""A bulk action too large for one request, and how far it got."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJob(models.Model):
    """One bulk action over a fixed list of ticket ids, run by a worker.

    Each ticket is acted on in its own transaction together with `done`, so a
    job killed midway resumes at the next ticket and nothing is applied twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20)
    params = models.JSONField(default=dict, blank=True)
    ticket_ids = models.JSONField(default=list)
    # Tickets saved after this moment changed since the desk chose them: skipped.
    as_of = models.DateTimeField()
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    # reason -> count, and the first few skipped ticket ids with their reason
    skipped = models.JSONField(default=dict, blank=True)
    skipped_examples = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("批量操作")
        verbose_name_plural = _("批量操作")

    def __str__(self):
        return f"#{self.pk} {self.action} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
