"""The ticket list's table.

django-tables2 sorts, paginates and heads the table; the rows are written by
`TicketTable.body_html` in one pass over the page's records. Its own row
rendering inspected the signature of a render method for every cell and looked
up every label again (some 60 ms of CPU for a 50-row page); here each column's
cell is a plain function of the record and the labels are read once per page.
A column without such a function (one added later) falls back to
django-tables2's cell rendering, so the HTML is the same either way.
"""

import django_tables2 as tables
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from tickets.due import is_overdue
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
        loop of django-tables2 writes."""
        self._now = timezone.now()
        self._route_labels = {value: str(label) for value, label in Route.choices}
        self._status_labels = {value: str(label) for value, label in Status.choices}
        self._titles = {code: escape(title) for code, title in self.category_titles.items()}
        cells = []
        for column in self.columns:
            td = column.attrs["td"].as_html()
            fast = getattr(self, f"_cell_{column.name}", None)
            cells.append((f"<td {td}>", column.name, fast))
        out = []
        for row in self.paginated_rows:
            record = row.record
            # = row.attrs (row_attrs above plus even/odd), without its per-row introspection
            css = row.get_even_odd_css_class()
            if is_overdue(record, self._now):
                css += " overdue"  # waited past its route's limit (settings.TICKET_DUE_HOURS)
            parts = [f'<tr data-status="{escape(record.status)}" class="{css}">']
            for opening, name, fast in cells:
                content = fast(record) if fast else conditional_escape(row.get_cell(name))
                parts.append(f"{opening}{content}</td>")
            parts.append("</tr>")
            out.append("".join(parts))
        return mark_safe("\n".join(out))

    def _cell_select(self, record):
        return f'<input type="checkbox" name="ids" value="{record.pk}" form="bulk-form" />'

    def _cell_id(self, record):
        return f'<a href="{escape(record.get_absolute_url())}">{record.pk}</a>'

    def _cell_created_at(self, record):
        return escape(date_format(timezone.localtime(record.created_at), CREATED_FORMAT))

    def _cell_candidate(self, record):
        return self._candidate(record)

    def _cell_college(self, record):
        return escape(str(record.college)) if record.college_id else EMPTY

    def _cell_category(self, record):
        return self._titles.get(record.category) or escape(record.category)

    def _cell_route(self, record):
        return self._route(record)

    def _cell_status(self, record):
        return self._status(record)

    def _cell_assignee(self, record):
        return escape(record.assignee.get_username()) if record.assignee_id else EMPTY

    def _cell_age(self, record):
        return escape(self._age(record))

    def _cell_handling(self, record):
        return escape(self._handling(record))

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
