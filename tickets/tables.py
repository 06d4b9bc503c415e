import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket


class TicketTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    created_at = tables.DateTimeColumn(verbose_name=_("创建时间"), format="m-d H:i")
    candidate = tables.Column(
        verbose_name=_("考生"), empty_values=(), order_by=("candidate_number",)
    )
    college = tables.Column(verbose_name=_("学院"), order_by=("college_id",))
    category = tables.Column(verbose_name=_("问题分类"))
    route = tables.Column(verbose_name=_("处理方式"))
    status = tables.Column(verbose_name=_("状态"))
    assignee = tables.Column(verbose_name=_("负责人"), order_by=("assignee_id",))
    age = tables.Column(verbose_name=_("时长"), empty_values=(), order_by=("-created_at",))

    class Meta:
        model = Ticket
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
        )
        order_by = ("-created_at",)
        attrs = {"class": "tickets"}
        row_attrs = {"data-status": lambda record: record.status}
        empty_text = _("没有符合条件的工单。")

    def __init__(self, *args, category_titles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_titles = category_titles or {}

    def render_candidate(self, record):
        # Phones are always masked in lists.
        name = record.candidate_name or "—"
        return format_html(
            '{}<br><small class="muted">{} {}</small>',
            name,
            record.candidate_number,
            record.masked_phone,
        )

    def render_category(self, value, record):
        return self.category_titles.get(record.category, record.category)

    def render_route(self, value, record):
        return format_html(
            '<span class="badge {}">{}</span>', record.route, record.get_route_display()
        )

    def render_status(self, value, record):
        return format_html(
            '<span class="badge status-{}">{}</span>', record.status, record.get_status_display()
        )

    def render_assignee(self, value):
        return value.get_username()

    def render_age(self, record):
        end = record.resolved_at or timezone.now()
        return timesince(record.created_at, end, depth=1)
