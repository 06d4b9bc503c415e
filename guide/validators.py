"""Validation against the categories table: a new category is a row (plus its
answer), never a code change or a migration of the apps that use it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guide.models import FaqCategory


def validate_category_code(value: str) -> None:
    if not FaqCategory.objects.filter(code=value).exists():
        raise ValidationError(
            _("未知的问题分类：%(code)s"), code="unknown_category", params={"code": value}
        )
