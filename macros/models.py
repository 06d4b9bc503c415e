from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guide.models import Route
from guide.validators import validate_category_code
from macros import placeholders


class CannedReplyQuerySet(models.QuerySet):
    def for_ticket(self, ticket):
        """Active replies of the ticket's category, for its route or any route."""
        return self.filter(active=True, category=ticket.category).filter(
            models.Q(route="") | models.Q(route=ticket.route)
        )


class CannedReply(models.Model):
    """A named reply of one category (and optionally one route), with placeholders.

    The category's own answer stays the default; these are the alternatives
    the desk picks from on the ticket page and in bulk actions.
    """

    name = models.CharField(_("名称"), max_length=100)
    # Checked against the categories table, as Ticket.category is: a category
    # added there needs no code change or migration here.
    category = models.CharField(_("问题分类"), max_length=40, validators=[validate_category_code])
    route = models.CharField(
        _("处理方式"), max_length=20, choices=Route.choices, blank=True, help_text=_("留空表示任意")
    )
    body = models.TextField(
        _("答复文本"),
        help_text=format_lazy(
            "{}{}", _("可用占位符："), " ".join(f"{{{name}}}" for name in placeholders.PLACEHOLDERS)
        ),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    objects = CannedReplyQuerySet.as_manager()

    class Meta:
        ordering = ["category", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="canned_reply_unique_name")
        ]
        verbose_name = _("常用答复")
        verbose_name_plural = _("常用答复")

    def __str__(self):
        return self.name

    def clean(self):
        unknown = placeholders.unknown_names(self.body)
        if unknown:
            raise ValidationError(
                {"body": _("未知占位符：%(names)s") % {"names": "、".join(unknown)}}
            )

    def fill(self, ticket) -> str:
        return placeholders.fill(self.body, ticket)
