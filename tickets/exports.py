"""CSV and XLSX of the list's filtered rows, for a person to read: titles
rather than codes (the codes in their own columns, for machines), local times
as YYYY-MM-DD HH:MM, college names in the UI language, phones masked.

Rows come from one `values_list` query read in chunks (no model instance per
row) and labels are looked up in dicts built once per export, so a row costs a
few microseconds; files are streamed (see supportdesk.spreadsheets). An export
stops at settings.EXPORT_MAX_ROWS with a message saying so.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.db import connections
from django.db.models import CharField, Func
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guide.models import Route
from supportdesk import privacy, spreadsheets
from tickets.models import Channel, Status

CHUNK = 2000
TIME_FORMAT = "%Y-%m-%d %H:%M"
FIELDS = (
    "id",
    "created_at",
    "candidate_name",
    "candidate_number",
    "college__name",
    "college__name_en",
    "contact_phone",
    "channel",
    "category",
    "route",
    "status",
    "assignee__username",
    "text",
)
# Characters per column in the XLSX (wide characters count double).
WIDTHS = (8, 17, 10, 17, 24, 14, 12, 24, 16, 14, 14, 10, 10, 60)
# The columns whose text comes from outside the code (names, numbers, colleges,
# category titles and codes, usernames, the candidate's words): only these can
# start like a formula. The rest are numbers, times, masked phones and labels.
TEXT_COLUMNS = (2, 3, 4, 7, 8, 12, 13)


class LocalMinute(Func):
    """A timestamp as YYYY-MM-DD HH:MM in settings.TIME_ZONE, formatted by
    PostgreSQL: reading a datetime through the driver and Django's time-zone
    loader, then formatting it, cost more than the rest of an export's row."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError("LocalMinute is for PostgreSQL; elsewhere Python formats")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", (
            *params,
            settings.TIME_ZONE,
        )


def headers():
    return [
        "id",
        _("创建时间"),
        _("考生姓名"),
        _("考生号"),
        _("学院"),
        _("手机号"),
        _("渠道"),
        _("问题分类"),
        _("分类代码"),
        _("处理方式"),
        _("处理方式代码"),
        _("状态"),
        _("负责人"),
        _("考生原话"),
    ]


def rows(queryset, category_titles, limit=None):
    """One list per ticket, in the list's order (newest first). Labels are read
    now, in the request's language; the rows are made while the response streams."""
    english = (get_language() or "").startswith("en")
    channels = {value: str(label) for value, label in Channel.choices}
    routes = {value: str(label) for value, label in Route.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    qs = queryset.order_by("-created_at", "-id")
    if connections[qs.db].vendor == "postgresql":
        fields = ("id", "local_minute", *FIELDS[2:])
        qs = qs.annotate(local_minute=LocalMinute("created_at"))
        local = None
    else:
        fields = FIELDS
        local = ZoneInfo(settings.TIME_ZONE)
    qs = qs.values_list(*fields)
    if limit is not None:
        qs = qs[:limit]
    return _rows(qs, english, local, channels, routes, statuses, category_titles)


def _rows(qs, english, local, channels, routes, statuses, category_titles):
    mask_phone = privacy.mask_phone
    mask_contacts = privacy.mask_contacts
    for (
        pk,
        created,
        name,
        number,
        college,
        college_en,
        phone,
        channel,
        category,
        route,
        status,
        assignee,
        text,
    ) in qs.iterator(chunk_size=CHUNK):
        if local is not None:
            created = created.astimezone(local).strftime(TIME_FORMAT)
        if phone:
            # The usual 11 digits without a function call; the rule is privacy's.
            if len(phone) == 11 and phone.isdigit():
                phone = f"{phone[:3]}****{phone[7:]}"
            else:
                phone = mask_phone(phone)
        yield [
            pk,
            created,
            name,
            number,
            (college_en if english and college_en else college) or "",
            phone or "",
            channels.get(channel, channel),
            category_titles.get(category, category),
            category,
            routes.get(route, route),
            route,
            statuses.get(status, status),
            assignee or "",
            mask_contacts(text),
        ]


def too_many(queryset) -> bool:
    """More rows than one export may hold? Reads one row past the cap."""
    cap = settings.EXPORT_MAX_ROWS
    return queryset.order_by().values("pk")[cap : cap + 1].exists()


def response(request, queryset, fmt, name, category_titles):
    """The download, or back to the list with a message when it is too big."""
    if too_many(queryset):
        cap = settings.EXPORT_MAX_ROWS
        messages.error(
            request,
            _(
                "一次最多导出 %(cap)s 行，当前筛选结果超过此数："
                "请缩小筛选范围（如日期、状态）后再导出。"
            )
            % {"cap": f"{cap:,}"},
        )
        query = request.GET.copy()
        query.pop("export", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    data = rows(queryset, category_titles, limit=settings.EXPORT_MAX_ROWS)
    if fmt == "csv":
        return spreadsheets.csv_response(headers(), data, f"{name}.csv", text_columns=TEXT_COLUMNS)
    sheet = (_("工单"), headers(), data, WIDTHS)
    return spreadsheets.xlsx_response([sheet], f"{name}.xlsx")
