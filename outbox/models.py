from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One side effect waiting to be delivered (or delivered, kept for the record)."""

    kind = models.CharField(_("类型"), max_length=100)
    payload = models.JSONField(_("内容"), default=dict)
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    available_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    locked_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发送事务")
        verbose_name_plural = _("待发送事务")
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=Q(delivered_at__isnull=True),
                name="outbox_undelivered",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None
