"""The ticket list's filters, shared by the page, its exports and the API."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator
from drf_spectacular.utils import extend_schema_field

from guide.models import Route
from tickets import lookups  # noqa: F401  (registers text__grams_contains)
from tickets.models import OPEN_STATUSES, Channel, College, Status
from tickets.selectors import category_choices
from tickets.widgets import DjangoLayoutSelect, QuickSelect

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

    def grid_html(self):
        """The panel's fields, as the loop in tickets/list.html wrote them:
        `{% for field in form %}<div>{{ field.label_tag }}{{ field }}` and the
        field's errors `</div>{% endfor %}`, with the template's whitespace."""
        parts = []
        for field in self:
            errors = field.errors
            shown = "".join(f"<li>{conditional_escape(e)}</li>" for e in errors)
            shown = f'<ul class="errorlist">{shown}</ul>' if errors else ""
            parts.append(f"\n    <div>{field.label_tag()}{field}{shown}</div>\n  ")
        return mark_safe("".join(parts))

    def render(self, template_name=None, context=None, renderer=None):
        if template_name == self.template_name_label and context is not None:
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return mark_safe(label)
            tag = context["tag"]
            return mark_safe(f"<{tag}{_attrs_html(context['attrs'] or {})}>{label}</{tag}>")
        return super().render(template_name, context, renderer)


class OneQueryModelChoiceIterator(ModelChoiceIterator):
    """A model field's options from one plain query: Django reads them with
    .iterator(), on PostgreSQL a server-side cursor (DECLARE, FETCH, CLOSE)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class OneQueryModelChoiceField(ModelChoiceField):
    iterator = OneQueryModelChoiceIterator


class OneQueryModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OneQueryModelChoiceField


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
    college = OneQueryModelChoiceFilter(
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
        widget=DjangoLayoutSelect,
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
        # together, it multiplies them), so the choice is made here, from its
        # estimates for the term and for each pair alone (search_share).
        # Counting up to a cap (the bulk bar, count_qs) reads ~cap/share rows
        # in a scan, so there the pairs index serves terms up to a larger share.
        limit = COUNT_SCAN_ABOVE if self._counting else PAGE_WALK_ABOVE
        matches, tickets = self._expected_matches(value)
        if matches > max(limit * tickets, SCAN_MIN_ROWS):
            return queryset.filter(text__ilike_contains=value)
        return queryset.filter(text__grams_contains=value)

    _counting = False

    def _expected_matches(self, value):
        known = self.__dict__.setdefault("_expected", {})
        if value not in known:
            known[value] = expected_matches(value)
        return known[value]

    @property
    def count_qs(self):
        """The rows of `qs`, asked in the way that finds the first COUNT_CAP of
        them fastest (no order): the bulk bar's "N tickets match"."""
        self._counting = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self._counting = False

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


# Share of the tickets a term is expected in, above which the list's page reads
# the newest tickets until 50 match (~50/share rows through the created_at
# index) instead of every match through the pairs index (at 1,000,000 tickets,
# warm: 群聊, 0.26 %, 25 ms walking, 7 ms by the index; 换号, 0.53 %, 11 and 15
# ms). The planner's estimate for a pair it has no statistics of is 0.5 %: such
# a term goes to the pairs index.
PAGE_WALK_ABOVE = 0.01
# The same for counting the first 1,001 matches in any order: a scan reads
# ~1,001/share rows, the pairs index every match (a bitmap of 72,000 ids took
# 43 ms at 1M; scanning 400,000 rows for a 0.25 % term, 500 ms).
COUNT_SCAN_ABOVE = 0.04
# Below this many expected matches the pairs index serves either way (a small
# table, where the planner's estimates say little).
SCAN_MIN_ROWS = 1000


def expected_matches(value: str) -> tuple[float, float]:
    """(tickets PostgreSQL expects to contain `value`, tickets in all): the
    first the smaller of its estimates for the ILIKE and for each character
    pair alone (a term cannot be in more tickets than its rarest pair).
    Planning only, no rows read, one round trip; (0, 0) on other databases."""
    import json

    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0, 0.0
    lowered = value.lower()
    pairs = sorted({lowered[i : i + 2] for i in range(len(lowered) - 1)}) or [lowered]
    pattern = "%" + connection.ops.prep_for_like_query(value) + "%"
    explain = "EXPLAIN (FORMAT JSON) SELECT 1 FROM tickets_ticket"
    statements = [explain, f"{explain} WHERE text ILIKE %s"]
    statements += [f"{explain} WHERE supportdesk_grams(text) @> ARRAY[%s]"] * len(pairs)
    rows = []
    with connection.cursor() as cursor:
        # Several statements in one execute (client-side binding): one result each.
        cursor.execute("; ".join(statements), [pattern, *pairs])
        while True:
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            rows.append(plan[0]["Plan"]["Plan Rows"])
            if not cursor.nextset():
                break
    return min(rows[1:]), rows[0]


# Any date a person can type, clamped into a range no ticket is outside of, so
# 0001-01-01 or 9999-12-31 filter as "no bound" instead of overflowing.
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _local_midnight(day):
    day = min(max(day, _FIRST_DAY), _LAST_DAY)
    return timezone.make_aware(datetime.combine(day, time.min))
