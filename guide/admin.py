from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from guide.knowledge_store import LOCAL_FIELDS
from guide.loading import shipped_knowledge
from guide.models import FaqCategory, GuideSection, GuideStep, TriageSettings
from guide.triage import files


class GuideStepInline(admin.TabularInline):
    model = GuideStep
    extra = 0
    fields = ["number", "anchor", "title", "text"]


@admin.register(GuideSection)
class GuideSectionAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "key"]
    inlines = [GuideStepInline]


def _lines(text: str | None) -> str:
    """A knowledge field as compared: LF line ends, no trailing blanks."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _shipped(code: str, name: str) -> str | None:
    """The field's value in the shipped guide/knowledge files (None: not there)."""
    if code not in files.SHIPPED.categories:
        return None
    return shipped_knowledge(code)[name]


class FaqCategoryForm(forms.ModelForm):
    """The matching knowledge: a field not overridden shows the shipped value
    (the one in force) and stays shipped unless it is changed; a changed one
    becomes a local override; "follow shipped" drops an override. Keyword
    rules are checked by the start-up validator (FaqCategory.clean)."""

    follow_shipped_keywords = forms.BooleanField(
        label=_("放弃本地关键词，恢复跟随发布版本"), required=False
    )
    follow_shipped_example_phrasings = forms.BooleanField(
        label=_("放弃本地示例问法，恢复跟随发布版本"), required=False
    )

    class Meta:
        model = FaqCategory
        fields = [
            "title",
            "title_en",
            "symptoms",
            "steps",
            "answer",
            "default_route",
            "other_route",
            "other_route_condition",
            "other_route_answer",
            *LOCAL_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        local = set(self.instance.local_fields or ())
        for name in LOCAL_FIELDS:
            shipped = _shipped(self.instance.code, name)
            if name in self.fields and shipped is not None and name not in local:
                self.initial[name] = shipped

    def clean(self):
        cleaned = super().clean()
        code = self.instance.code
        local = set(self.instance.local_fields or ())
        stored = {name: getattr(self.instance, name) for name in LOCAL_FIELDS}
        for name in LOCAL_FIELDS:
            if name not in cleaned:
                continue
            shipped = _shipped(code, name)
            if shipped is None:  # a category of this deployment's own: all local
                local.add(name)
            elif cleaned.get(f"follow_shipped_{name}"):
                cleaned[name] = shipped
                local.discard(name)
            elif name not in local and _lines(cleaned[name]) == _lines(shipped):
                cleaned[name] = stored[name]  # untouched: still following shipped
            else:
                local.add(name)
        self._local_fields = [name for name in LOCAL_FIELDS if name in local]
        return cleaned

    def save(self, commit=True):
        self.instance.local_fields = self._local_fields
        return super().save(commit)


@admin.register(FaqCategory)
class FaqCategoryAdmin(SimpleHistoryAdmin):
    """History (who, when, before/after) of every answer change comes from
    django-simple-history's "history" button on each category. The matching
    knowledge is shown beside the shipped files' value, with the tags a rule
    may use."""

    form = FaqCategoryForm
    list_display = ["order", "code", "title", "default_route", "other_route", "overrides"]
    list_display_links = ["code", "title"]
    readonly_fields = [
        "code",
        "knowledge_status",
        "shipped_keywords",
        "shipped_example_phrasings",
        "lexicon_tags",
    ]
    filter_horizontal = ["steps"]
    history_list_display = ["answer"]

    def get_fieldsets(self, request, obj=None):
        local = set(obj.local_fields or ()) if obj else set()
        knowledge: list = ["knowledge_status"]
        for name in LOCAL_FIELDS:
            knowledge.append((name, f"shipped_{name}"))
            if obj and name in local and _shipped(obj.code, name) is not None:
                knowledge.append(f"follow_shipped_{name}")
            if name == "keywords":
                knowledge.append("lexicon_tags")
        return [
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
            (
                _("匹配知识"),
                {
                    "fields": knowledge,
                    "description": _(
                        "左边是本分类在用的值，右边是随系统发布的值（guide/knowledge）。"
                        "改动左边的值即成为本地覆盖，此后该字段不再跟随发布版本的更新；"
                        "勾选“恢复跟随发布版本”可放弃本地覆盖。"
                    ),
                },
            ),
        ]

    @admin.display(description=_("本地覆盖"))
    def overrides(self, obj):
        names = [str(FaqCategory._meta.get_field(n).verbose_name) for n in obj.local_fields]
        return str(_("、")).join(names)

    @admin.display(description=_("知识来源"))
    def knowledge_status(self, obj):
        if not obj.code or obj.code not in files.SHIPPED.categories:
            return _("发布版本中没有此分类：关键词和示例问法都是本地的")
        local = set(obj.local_fields or ())
        return format_html_join(
            "",
            "<div>{}{}{}</div>",
            (
                (
                    FaqCategory._meta.get_field(name).verbose_name,
                    _("："),
                    _("本地覆盖（不再跟随发布版本）") if name in local else _("跟随发布版本"),
                )
                for name in LOCAL_FIELDS
            ),
        )

    def _shipped_display(self, obj, name):
        shipped = _shipped(obj.code, name) if obj.code else None
        if shipped is None:
            return "-"
        return format_html('<pre class="shipped-knowledge">{}</pre>', shipped)

    @admin.display(description=_("发布版本的关键词"))
    def shipped_keywords(self, obj):
        return self._shipped_display(obj, "keywords")

    @admin.display(description=_("发布版本的示例问法"))
    def shipped_example_phrasings(self, obj):
        return self._shipped_display(obj, "example_phrasings")

    @admin.display(description=_("规则可用的标签"))
    def lexicon_tags(self, obj):
        """Every term a rule may use (lexicon.toml); a tag's title shows the
        first of its spellings."""
        lexicon = files.SHIPPED.lexicon
        return format_html(
            '<div class="lexicon-tags">{}</div>',
            format_html_join(
                " ",
                '<code title="{}">{}</code>',
                (("、".join(lexicon.get(tag, ())[:8]), tag) for tag in sorted(files.SHIPPED.tags)),
            ),
        )

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
