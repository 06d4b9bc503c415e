"""The ticket list's table.

django-tables2 sorts, paginates and heads the table; the rows are written by
`TicketTable.body_html` in one pass over the page's records. Its own row
rendering inspected the signature of a render method for every cell and looked
up every label again (some 60 ms of CPU for a 50-row page); here each column's
cell is a plain function of the record and the labels are read once per page.
A column without such a function (one added later) falls back to
django-tables2's cell rendering, so the HTML is the same either way.
"""

import datetime as dt
from html import escape as _esc

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from tickets.due import WAITING
from tickets.models import OPEN_STATUSES, Status, Ticket

CREATED_FORMAT = "m-d H:i"
EMPTY = "—"


class TicketTable(tables.Table):
    # Ticked rows belong to the bulk bar's form (form= attribute), wherever it is.
    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "td__input": {"form": "bulk-form", "name": "ids"},
            "th__input": {"id": "select-page", "aria-label": _("全选本页")},
        },
    )
    id = tables.Column(verbose_name="#", linkify=True)
    created_at = tables.DateTimeColumn(verbose_name=_("创建时间"), format=CREATED_FORMAT)
    candidate = tables.Column(
        verbose_name=_("考生"), empty_values=(), order_by=("candidate_number",)
    )
    college = tables.Column(verbose_name=_("学院"), order_by=("college_id",))
    category = tables.Column(verbose_name=_("问题分类"))
    route = tables.Column(verbose_name=_("处理方式"))
    status = tables.Column(verbose_name=_("状态"))
    assignee = tables.Column(verbose_name=_("负责人"), order_by=("assignee_id",))
    # How long an open ticket has waited: the younger, the shorter.
    age = tables.Column(verbose_name=_("时长"), empty_values=(), order_by=("-created_at",))
    # How long a resolved ticket took; open ones sort last either way.
    handling = tables.Column(verbose_name=_("处理时长"), empty_values=())

    class Meta:
        model = Ticket
        template_name = "tickets/ticket_table.html"
        fields = (
            "id",
            "created_at",
            "candidate",
            "college",
            "category",
            "route",
            "status",
            "assignee",
            "age",
            "handling",
        )
        sequence = ("select", "...")
        order_by = ("-created_at",)
        attrs = {"class": "tickets"}
        row_attrs = {"data-status": lambda record: record.status}
        empty_text = _("没有符合条件的工单。")

    def __init__(self, *args, category_titles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_titles = category_titles or {}

    # -- sorting --------------------------------------------------------

    def order_handling(self, queryset, is_descending):
        from django.db.models import DurationField, ExpressionWrapper, F

        took = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
        took = took.desc(nulls_last=True) if is_descending else took.asc(nulls_last=True)
        return queryset.order_by(took, "-id"), True

    # -- django-tables2's per-cell path (also used by any export of the table) --

    def render_candidate(self, record):
        return self._candidate(record)

    def render_category(self, value, record):
        return self.category_titles.get(record.category, record.category)

    def render_route(self, value, record):
        return self._route(record)

    def render_status(self, value, record):
        return self._status(record)

    def render_assignee(self, value):
        return value.get_username()

    def render_age(self, record):
        return self._age(record)

    def render_handling(self, record):
        return self._handling(record)

    # -- the page's rows in one pass --------------------------------------

    def body_html(self):
        """The <tbody>'s rows as one safe string, the same HTML the template
        loop of django-tables2 writes. What is the same for many rows (a
        status badge, a college's name, the URL around an id, a "3 hours")
        is written once per page."""
        self._now = timezone.now()
        self._tz = timezone.get_current_timezone()
        self._route_labels = {value: str(label) for value, label in Route.choices}
        self._status_labels = {value: str(label) for value, label in Status.choices}
        self._titles = {code: escape(title) for code, title in self.category_titles.items()}
        self._route_badges = {}
        self._status_badges = {}
        self._names = {}
        self._durations = _Durations()
        # "/tickets/<pk>/" as head + pk + tail: one reverse() per page, not per row.
        marker = "2147483647"
        self._url_head, self._url_tail = reverse("tickets:detail", args=[marker]).split(marker)
        due_hours = settings.TICKET_DUE_HOURS
        due_after = {route: dt.timedelta(hours=hours) for route, hours in due_hours.items()}
        cells = []
        for column in self.columns:
            td = column.attrs["td"].as_html()
            fast = getattr(self, f"_cell_{column.name}", None)
            cells.append((f"<td {td}>", column.name, fast))
        out = []
        now = self._now
        for row in self.paginated_rows:
            record = row.record
            # = row.attrs (row_attrs above plus even/odd), without its per-row introspection
            css = row.get_even_odd_css_class()
            # Waited past its route's limit (settings.TICKET_DUE_HOURS): tickets.due.is_overdue.
            wait = due_after.get(record.route)
            if wait is not None and record.status in WAITING and record.created_at < now - wait:
                css += " overdue"
            parts = [f'<tr data-status="{_esc(record.status)}" class="{css}">']
            for opening, name, fast in cells:
                content = fast(record) if fast else conditional_escape(row.get_cell(name))
                parts.append(f"{opening}{content}</td>")
            parts.append("</tr>")
            out.append("".join(parts))
        return mark_safe("\n".join(out))

    def _cell_select(self, record):
        return f'<input type="checkbox" name="ids" value="{record.pk}" form="bulk-form" />'

    def _cell_id(self, record):
        pk = record.pk
        return f'<a href="{_esc(f"{self._url_head}{pk}{self._url_tail}")}">{pk}</a>'

    def _cell_created_at(self, record):
        # = date_format(localtime(created_at), CREATED_FORMAT) ("m-d H:i")
        return f"{record.created_at.astimezone(self._tz):%m-%d %H:%M}"

    def _cell_candidate(self, record):
        # Phones are always masked in lists.
        return (
            f"{_esc(record.candidate_name or EMPTY)}<br>"
            f'<small class="muted">{_esc(record.candidate_number)} {_esc(record.masked_phone)}'
            "</small>"
        )

    def _cell_college(self, record):
        if not record.college_id:
            return EMPTY
        key = ("college", record.college_id)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = _esc(str(record.college))
        return name

    def _cell_category(self, record):
        return self._titles.get(record.category) or _esc(record.category)

    def _cell_route(self, record):
        badge = self._route_badges.get(record.route)
        if badge is None:
            badge = self._route_badges[record.route] = self._route(record)
        return badge

    def _cell_status(self, record):
        badge = self._status_badges.get(record.status)
        if badge is None:
            badge = self._status_badges[record.status] = self._status(record)
        return badge

    def _cell_assignee(self, record):
        if not record.assignee_id:
            return EMPTY
        key = ("user", record.assignee_id)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = _esc(record.assignee.get_username())
        return name

    def _cell_age(self, record):
        if record.status not in OPEN_STATUSES:
            return EMPTY
        return _esc(timesince(record.created_at, self._now, depth=1, time_strings=self._durations))

    def _cell_handling(self, record):
        if record.resolved_at is None or record.status in OPEN_STATUSES:
            return EMPTY
        return _esc(
            timesince(record.created_at, record.resolved_at, depth=1, time_strings=self._durations)
        )

    # -- shared by both paths ---------------------------------------------

    def _candidate(self, record):
        # Phones are always masked in lists.
        return format_html(
            '{}<br><small class="muted">{} {}</small>',
            record.candidate_name or EMPTY,
            record.candidate_number,
            record.masked_phone,
        )

    def _route(self, record):
        labels = getattr(self, "_route_labels", None) or dict(Route.choices)
        return format_html(
            '<span class="badge {}">{}</span>', record.route, labels.get(record.route, record.route)
        )

    def _status(self, record):
        labels = getattr(self, "_status_labels", None) or dict(Status.choices)
        return format_html(
            '<span class="badge status-{}">{}</span>',
            record.status,
            labels.get(record.status, record.status),
        )

    def _age(self, record):
        if record.status not in OPEN_STATUSES:
            return EMPTY
        return timesince(record.created_at, getattr(self, "_now", None), depth=1)

    def _handling(self, record):
        if record.resolved_at is None or record.status in OPEN_STATUSES:
            return EMPTY
        return timesince(record.created_at, record.resolved_at, depth=1)


class _Durations(dict):
    """timesince()'s time strings, each "%(num)d 小时" written once per number
    per page: the lazy ngettext behind them costs more than the rest of a cell.
    django.utils.html.escape is html.escape (`_esc`), without its lazy wrapper."""

    def __missing__(self, name):
        value = self[name] = _Plural(TIME_STRINGS[name])
        return value


class _Plural:
    def __init__(self, lazy):
        self.lazy, self.done = lazy, {}

    def __mod__(self, params):
        num = params["num"]
        text = self.done.get(num)
        if text is None:
            text = self.done[num] = self.lazy % params
        return text
