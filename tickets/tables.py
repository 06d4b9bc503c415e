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
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.html import avoid_wrapping, conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django_tables2.templatetags.django_tables2 import render_attrs, table_page_range

from guide.models import Route
from tickets.due import WAITING
from tickets.models import OPEN_STATUSES, College, Status, Ticket, mask_phone

CREATED_FORMAT = "m-d H:i"
EMPTY = "—"


# What the rows show: the page reads only these columns (not the texts, the
# reply, the suggestion's evidence), as plain values.
ROW_FIELDS = (
    "id",
    "created_at",
    "candidate_name",
    "candidate_number",
    "contact_phone",
    "college_id",
    "college__name",
    "college__name_en",
    "category",
    "route",
    "status",
    "assignee_id",
    "assignee__username",
    "resolved_at",
)


def ticket_rows(queryset):
    """The queryset's tickets as TicketRow objects from one .values() query:
    no model instance per row (nor per row's college and assignee), some 1.7 ms
    less per 50-row page. Still a queryset: django-tables2 sorts and pages it."""
    rows = queryset.values(*ROW_FIELDS)
    rows._iterable_class = _RowIterable
    return rows


class _RowIterable(ValuesIterable):
    def __iter__(self):
        colleges, users = {}, {}
        for values in super().__iter__():
            yield TicketRow(values, colleges, users)


class TicketRow:
    """What the list reads of a Ticket (the same attribute names), made from
    the values of ROW_FIELDS. A page's rows share one object per college and
    per assignee."""

    __slots__ = (
        "pk",
        "created_at",
        "candidate_name",
        "candidate_number",
        "contact_phone",
        "college_id",
        "college",
        "category",
        "route",
        "status",
        "assignee_id",
        "assignee",
        "resolved_at",
    )

    def __init__(self, values, colleges, users):
        self.pk = values["id"]
        self.created_at = values["created_at"]
        self.candidate_name = values["candidate_name"]
        self.candidate_number = values["candidate_number"]
        self.contact_phone = values["contact_phone"]
        self.category = values["category"]
        self.route = values["route"]
        self.status = values["status"]
        self.resolved_at = values["resolved_at"]
        self.college_id = college = values["college_id"]
        if college is not None and college not in colleges:
            colleges[college] = _College(values["college__name"], values["college__name_en"])
        self.college = colleges.get(college)
        self.assignee_id = user = values["assignee_id"]
        if user is not None and user not in users:
            users[user] = _User(values["assignee__username"])
        self.assignee = users.get(user)

    @property
    def id(self):
        return self.pk

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.pk])


class _College:
    __slots__ = ("name", "name_en")
    __str__ = College.__str__

    def __init__(self, name, name_en):
        self.name, self.name_en = name, name_en


class _User:
    __slots__ = ("username",)

    def __init__(self, username):
        self.username = username

    def get_username(self):
        return self.username

    __str__ = get_username


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

    def __init__(self, data=None, *args, category_titles=None, **kwargs):
        if isinstance(data, QuerySet) and data.model is Ticket:
            data = ticket_rows(data)
        super().__init__(data, *args, **kwargs)
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

    # -- the whole table, as tickets/ticket_table.html writes it ------------

    def page_html(self):
        """The table and its pagination: the HTML `{% render_table %}` writes
        with tickets/ticket_table.html (byte for byte, its whitespace too;
        tests/tickets/test_list_table.py compares them), without a second
        template render, its context processors and a template node per
        header cell and page link. Needs RequestConfig(...).configure(self)."""
        request = self.request
        out = [
            '\n\n\n<div class="table-container">\n    \n        <table ',
            render_attrs(self.attrs),
            ">\n            ",
            self._thead_html(request) if self.show_header else "",
            "\n            \n<tbody ",
            _attr_html(self.attrs, "tbody"),
            ">\n",
        ]
        body = self.body_html()
        if body:
            out += [body, "\n"]
        elif self.empty_text:
            out.append(
                f'<tr><td colspan="{len(self.columns)}">{conditional_escape(self.empty_text)}'
                "</td></tr>\n"
            )
        out.append("\n</tbody>\n\n            \n            \n            \n        </table>\n    ")
        out.append("\n\n    \n        ")
        page = getattr(self, "page", None)
        if page and self.paginator.num_pages > 1:
            out.append(self._pagination_html(request, page))
        out.append("\n    \n</div>\n\n")
        return mark_safe("".join(out))

    def _thead_html(self, request):
        out = ["\n<thead ", _attr_html(self.attrs, "thead"), ">\n<tr>\n"]
        sort_field = self.prefixed_order_by_field
        for column in self.columns:
            out.append(f"\n<th {column.attrs['th'].as_html()}")
            ordered = column.is_ordered
            descending = ordered and column.order_by_alias.is_descending
            if ordered:
                out.append(f' aria-sort="{"descending" if descending else "ascending"}"')
            header = conditional_escape(column.header)
            if column.orderable:
                href = _querystring(request, sort_field, column.order_by_alias.next)
                out.append(f'><a href="{href}">{header}</a>')
            else:
                out.append(f">{header}")
            if ordered:
                arrow = "▼" if descending else "▲"
                out.append(f'<span class="sort-dir" aria-hidden="true">{arrow}</span>')
            out.append("</th>\n")
        out.append("\n</tr>\n</thead>\n")
        return "".join(out)

    def _pagination_html(self, request, page):
        field = self.prefixed_page_field
        out = ['\n        <ul class="pagination">\n            ']
        link = '\n                    <li class="{}">\n                        <a href="{}">\n'
        link += "                            {}\n                        </a>\n"
        link += "                    </li>\n                "
        if page.has_previous():
            href = _querystring(request, field, page.previous_page_number())
            out += ["\n                ", link.format("previous", href, _t("previous"))]
            out.append("\n            ")
        out.append("\n            ")
        if page.has_previous() or page.has_next():
            out.append("\n            \n                ")
            for p in table_page_range(page, self.paginator):
                active = 'class="active"' if p == page.number else ""
                out.append(f"\n                    <li {active}>\n                        ")
                if p == "...":
                    out.append('\n                            <a href="#">...</a>\n')
                else:
                    href = _querystring(request, field, p)
                    out.append(
                        f'\n                            <a href="{href}">\n'
                        f"                                {p}\n                            </a>\n"
                    )
                out.append("                        \n                    </li>\n                ")
            out.append("\n            \n            ")
        out.append("\n            ")
        if page.has_next():
            href = _querystring(request, field, page.next_page_number())
            out += ["\n                ", link.format("next", href, _t("next"))]
            out.append("\n            ")
        out.append("\n        </ul>\n        ")
        return "".join(out)

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
        self._spans = {}
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
        return self._since(record.created_at, self._now)

    def _cell_handling(self, record):
        if record.resolved_at is None or record.status in OPEN_STATUSES:
            return EMPTY
        return self._since(record.created_at, record.resolved_at)

    def _since(self, start, end):
        """= escape(timesince(start, end, depth=1)), each distinct "3 小时"
        written once per page. Under four weeks no month can have passed, so
        the largest whole unit is counted directly; beyond, timesince's
        calendar arithmetic decides."""
        delta = end - start
        if delta < _FOUR_WEEKS:
            unit, count = "minute", 0
            if delta.days * 86400 + delta.seconds > 0:
                seconds = delta.total_seconds()
                for name, chunk in _CHUNKS:
                    if seconds >= chunk:
                        unit, count = name, int(seconds // chunk)
                        break
            key = (unit, count)
            text = self._spans.get(key)
            if text is None:
                text = self._spans[key] = _esc(
                    avoid_wrapping(self._durations[unit] % {"num": count})
                )
            return text
        return _esc(timesince(start, end, depth=1, time_strings=self._durations))

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


def _attr_html(attrs, name) -> str:
    # = {{ table.attrs.<name>.as_html }}: "" unless that entry has as_html()
    value = attrs.get(name)
    return value.as_html() if hasattr(value, "as_html") else ""


def _querystring(request, key, value) -> str:
    # = {% querystring_replace key=value %} of django-tables2
    params = dict(request.GET)
    params[key] = value
    return escape("?" + urlencode(params, doseq=True))


_FOUR_WEEKS = dt.timedelta(days=28)
# timesince's units below a month, largest first
_CHUNKS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60))


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
