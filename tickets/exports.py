"""CSV and XLSX of the list's filtered rows. Phones masked, rows streamed in
chunks so a large export never holds the whole table in memory."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

CHUNK = 2000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


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
        _("处理方式"),
        _("状态"),
        _("负责人"),
        _("考生原话"),
    ]


def rows(queryset):
    qs = queryset.select_related("college", "assignee").order_by("-created_at", "-id")
    for t in qs.iterator(chunk_size=CHUNK):
        yield [
            t.pk,
            timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
            t.candidate_name,
            t.candidate_number,
            t.college.name if t.college else "",
            t.masked_phone,
            t.get_channel_display(),
            t.category,
            t.route,
            t.get_status_display(),
            t.assignee.get_username() if t.assignee else "",
            t.text,
        ]


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset, filename):
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 CSV with Chinese text only with a BOM
        yield writer.writerow(headers())
        for row in rows(queryset):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset, filename):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("tickets")
    ws.append(headers())
    for i, row in enumerate(rows(queryset)):
        if i >= XLSX_MAX_ROWS:
            break
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
