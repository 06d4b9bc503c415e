"""The ticket list's filters, shared by the page, its exports and the API."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from guide.models import Route
from tickets import lookups  # noqa: F401  (registers text__grams_contains)
from tickets.models import OPEN_STATUSES, Channel, College, Status
from tickets.selectors import category_choices

OPEN = "open"


def _attrs_html(attrs) -> str:
    """= django/forms/widgets/attrs.html: in the attrs' own order, True as a
    bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


class QuickInputMixin:
    """An <input> written directly, the HTML of django/forms/widgets/input.html
    without a template render per field."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(
            f'<input type="{escape(widget["type"])}" name="{escape(name)}"{shown}'
            f"{_attrs_html(widget['attrs'])}>"
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickDateInput(QuickInputMixin, forms.DateInput):
    pass


DATE = QuickDateInput(attrs={"type": "date"})


class FilterForm(forms.Form):
    """The filter panel's form: its <label>s written directly (the HTML of
    django/forms/label.html), one template render fewer per field."""

    def render(self, template_name=None, context=None, renderer=None):
        if template_name == self.template_name_label and context is not None:
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return mark_safe(label)
            tag = context["tag"]
            return mark_safe(f"<{tag}{_attrs_html(context['attrs'] or {})}>{label}</{tag}>")
        return super().render(template_name, context, renderer)


class QuickSelect(forms.Select):
    """A <select> written directly: Django's widget renders a template per
    option, which made the filter panel's some 100 options most of the list
    page's CPU."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(name)}"{flatatt(widget["attrs"])}>']
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                chosen = " selected" if option["selected"] else ""
                value = "" if option["value"] is None else str(option["value"])
                parts.append(
                    f'<option value="{escape(value)}"{chosen}>{escape(option["label"])}</option>'
                )
        parts.append("</select>")
        return mark_safe("\n".join(parts))


ANY = _("全部")


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", widget=QuickTextInput)
    status = django_filters.ChoiceFilter(
        widget=QuickSelect,
        empty_label=ANY,
        label=_("状态"),
        choices=[(OPEN, _("未结（全部处理中）"))] + list(Status.choices),
        method="filter_status",
    )
    category = django_filters.ChoiceFilter(
        widget=QuickSelect, empty_label=ANY, label=_("问题分类"), choices=category_choices
    )
    route = django_filters.ChoiceFilter(
        widget=QuickSelect, empty_label=ANY, label=_("处理方式"), choices=Route.choices
    )
    college = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        empty_label=ANY,
        label=_("学院"),
        queryset=College.objects.all(),
        to_field_name="code",
    )
    channel = django_filters.ChoiceFilter(
        widget=QuickSelect, empty_label=ANY, label=_("渠道"), choices=Channel.choices
    )
    # Compared as local-midnight datetimes, not created_at::date, so the
    # created_at index serves a date range.
    created_from = django_filters.DateFilter(label=_("起始日期"), method="filter_from", widget=DATE)
    created_to = django_filters.DateFilter(label=_("截止日期"), method="filter_to", widget=DATE)
    candidate_number = django_filters.CharFilter(
        label=_("考生号"), widget=QuickTextInput(attrs={"inputmode": "numeric"})
    )
    due = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("时限"),
        choices=[("overdue", _("已超时"))],
        method="filter_due",
    )
    assignee = django_filters.ChoiceFilter(
        widget=QuickSelect,
        empty_label=ANY,
        label=_("负责人"),
        choices=[("me", _("我")), ("none", _("未指派"))],
        method="filter_assignee",
    )

    class Meta:
        form = FilterForm

    def __init__(self, *args, request=None, category_choices=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from tickets import selectors

        self.filters["category"].extra["choices"] = category_choices or selectors.category_choices()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            # A full candidate number hits the btree index exactly.
            if len(value) == 15:
                return queryset.filter(candidate_number=value)
            return queryset.filter(Q(candidate_number__contains=value) | Q(text__contains=value))
        # A frequent term is found fastest by reading the newest tickets until a
        # page is full; a rare one through the GIN index of character pairs
        # (which also serves the one- and two-character terms the trigram index
        # cannot). The planner misjudges the pairs' selectivity (they occur
        # together, it multiplies them), so ask it about the words alone.
        if common_term(value):
            return queryset.filter(text__ilike_contains=value)
        return queryset.filter(text__grams_contains=value)

    # The list's tabs set these themselves: a tab alone is not a filter.
    TAB_VALUES = {"status": ("", OPEN, Status.REFERRED.value), "assignee": ("", "me")}

    @property
    def panel_open(self) -> bool:
        """Whether the filter panel starts open: only when the user set a filter
        beyond what the tab they are on sets."""
        data = self.data or {}
        for name in self.filters:
            value = data.get(name, "")
            if name in self.TAB_VALUES:
                if value not in self.TAB_VALUES[name]:
                    return True
            elif value:
                return True
        return False

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(
            created_at__lt=_local_midnight(min(value, _LAST_DAY) + timedelta(days=1))
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_due(self, queryset, name, value):
        from tickets.due import overdue_q

        return queryset.filter(overdue_q()) if value == "overdue" else queryset

    # "me" or "none", a string: without this the schema took the type of the
    # model's assignee (an integer id) for the parameter.
    @extend_schema_field({"type": "string", "enum": ["me", "none"]})
    def filter_assignee(self, queryset, name, value):
        if value == "me" and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


# Estimated matching tickets above which a search reads the newest tickets
# (a 50-row page fills within some 10,000 rows) rather than the pairs index.
COMMON_TERM_ROWS = 5000


def common_term(value: str) -> bool:
    """Whether the planner expects many tickets to contain `value` (PostgreSQL's
    sampled statistics of the column; a planning step, no rows read)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    pattern = "%" + connection.ops.prep_for_like_query(value) + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM tickets_ticket WHERE text ILIKE %s", [pattern]
        )
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"] > COMMON_TERM_ROWS


# Any date a person can type, clamped into a range no ticket is outside of, so
# 0001-01-01 or 9999-12-31 filter as "no bound" instead of overflowing.
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _local_midnight(day):
    day = min(max(day, _FIRST_DAY), _LAST_DAY)
    return timezone.make_aware(datetime.combine(day, time.min))
