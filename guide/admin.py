from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from guide.models import FaqCategory, GuideSection, GuideStep, TriageSettings


class GuideStepInline(admin.TabularInline):
    model = GuideStep
    extra = 0
    fields = ["number", "anchor", "title", "text"]


@admin.register(GuideSection)
class GuideSectionAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "key"]
    inlines = [GuideStepInline]


@admin.register(FaqCategory)
class FaqCategoryAdmin(SimpleHistoryAdmin):
    """History (who, when, before/after) of every answer change comes from
    django-simple-history's "history" button on each category."""

    list_display = ["order", "code", "title", "default_route", "other_route"]
    list_display_links = ["code", "title"]
    readonly_fields = ["code"]
    filter_horizontal = ["steps"]
    history_list_display = ["answer"]
    fieldsets = [
        (None, {"fields": ["code", "title", "title_en", "symptoms", "steps"]}),
        (
            _("答复与处理方式"),
            {
                "fields": [
                    "answer",
                    "default_route",
                    "other_route",
                    "other_route_condition",
                    "other_route_answer",
                ]
            },
        ),
        (_("匹配知识"), {"fields": ["keywords", "example_phrasings"]}),
    ]

    def save_model(self, request, obj, form, change):
        """Browsers send a textarea's line breaks as CRLF: stored as LF, and a
        save that changes nothing else leaves no history row."""
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(obj, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            if all(
                getattr(stored, f.attname) == getattr(obj, f.attname)
                for f in obj._meta.concrete_fields
            ):
                return
        obj._change_reason = _("在管理后台编辑")
        super().save_model(request, obj, form, change)


@admin.register(TriageSettings)
class TriageSettingsAdmin(SimpleHistoryAdmin):
    """One row: the list goes straight to it (to the add form, with the
    settings' values, until it is first saved). Every web and worker process
    uses a change within 2 s (guide.knowledge_store.version)."""

    fields = ["waited_long_days", "deadline_near_days", "review_below"]
    history_list_display = fields

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TriageSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if TriageSettings.objects.filter(pk=1).exists():
            return redirect(reverse("admin:guide_triagesettings_change", args=[1]))
        return redirect(reverse("admin:guide_triagesettings_add"))

    def save_model(self, request, obj, form, change):
        obj._change_reason = _("在管理后台编辑")
        super().save_model(request, obj, form, change)
