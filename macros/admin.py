from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from guide.models import FaqCategory
from macros.models import CannedReply


def category_choices() -> list[tuple[str, str]]:
    """The categories table's rows, in the guide's order (read per form, not at import)."""
    return [(c.code, f"{c.title} ({c.code})") for c in FaqCategory.objects.in_guide_order()]


class CannedReplyForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=CannedReply._meta.get_field("category").verbose_name, choices=category_choices
    )

    class Meta:
        model = CannedReply
        fields = ["name", "category", "route", "body", "order", "active"]


@admin.register(CannedReply)
class CannedReplyAdmin(SimpleHistoryAdmin):
    """Who changed which reply when comes from simple-history, like the category answers."""

    form = CannedReplyForm
    list_display = ["name", "category", "route", "order", "active"]
    list_filter = ["category", "route", "active"]
    search_fields = ["name", "body"]
    history_list_display = ["body"]
