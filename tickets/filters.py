"""The ticket list's filters, shared by the page, its exports and the API."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from tickets import lookups  # noqa: F401  (registers text__grams_contains)
from tickets.models import OPEN_STATUSES, Channel, College, Status
from tickets.selectors import category_choices

OPEN = "open"
DATE = forms.DateInput(attrs={"type": "date"})
ANY = _("全部")


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("状态"),
        choices=[(OPEN, _("未结（全部处理中）"))] + list(Status.choices),
        method="filter_status",
    )
    category = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("问题分类"), choices=category_choices
    )
    route = django_filters.ChoiceFilter(empty_label=ANY, label=_("处理方式"), choices=Route.choices)
    college = django_filters.ModelChoiceFilter(
        empty_label=ANY, label=_("学院"), queryset=College.objects.all(), to_field_name="code"
    )
    channel = django_filters.ChoiceFilter(empty_label=ANY, label=_("渠道"), choices=Channel.choices)
    # Compared as local-midnight datetimes, not created_at::date, so the
    # created_at index serves a date range.
    created_from = django_filters.DateFilter(label=_("起始日期"), method="filter_from", widget=DATE)
    created_to = django_filters.DateFilter(label=_("截止日期"), method="filter_to", widget=DATE)
    candidate_number = django_filters.CharFilter(
        label=_("考生号"), widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    assignee = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("负责人"),
        choices=[("me", _("我")), ("none", _("未指派"))],
        method="filter_assignee",
    )

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
        # Any length, Chinese or not: on PostgreSQL a GIN index of character pairs
        # serves the one- and two-character terms the trigram index cannot.
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
        return queryset.filter(created_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == "me" and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))
