"""Report pages: parse the period and scope, load or build, render."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import display, exports
from reports.access import may_see_reports, report_scope, sees_all_reports
from reports.models import WeeklyReport
from reports.periods import PeriodError, date_range, iso_week, last_week
from reports.services import report_figures, store_weekly_report
from tickets.permissions import WORK


def _period(params):
    if params.get("from") or params.get("to"):
        return date_range(params.get("from", ""), params.get("to", ""))
    if params.get("week"):
        return iso_week(params["week"])
    return last_week()


def _query(period, college, **extra) -> str:
    params = (
        {"week": period.iso_week}
        if period.is_iso_week
        else {"from": period.first_day.isoformat(), "to": period.last_day.isoformat()}
    )
    if college is not None:
        params["college"] = college.code
    params.update(extra)
    return urlencode(params)


def report(request):
    college = report_scope(request.user, request.GET.get("college"))
    status = 200
    try:
        period = _period(request.GET)
    except PeriodError as exc:
        messages.error(request, _("无法识别的周期：%(error)s。已显示上周。") % {"error": exc})
        period, status = last_week(), 400
    data, stored = report_figures(period, college)
    data = display.localized(data)
    # Desk staff (all tickets) and teachers (their college's) may open the ticket itself.
    links_tickets = rules.has_perm(WORK, request.user) or (
        college is not None and not sees_all_reports(request.user)
    )
    context = {
        "data": data,
        "stored": stored,
        "college": college,
        "period": period,
        "charts": display.page_charts(data),
        "scope_name": display.scope_name(data),
        "period_name": display.period_name(data),
        "query": _query(period, college),
        "previous_query": _query(period.previous(), college),
        "next_query": _query(period.next(), college),
        "college_options": display.college_options(college)
        if sees_all_reports(request.user)
        else None,
        "sees_all": sees_all_reports(request.user),
        "rows": display.table_rows(data, links_tickets=links_tickets),
        "history": WeeklyReport.objects.filter(college=college).only("iso_week", "week_start")[:12],
    }
    return render(request, "reports/report.html", context, status=status)


def export(request, fmt):
    college = report_scope(request.user, request.GET.get("college"))
    try:
        period = _period(request.GET)
    except PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    data = display.localized(report_figures(period, college)[0])
    if fmt == "csv":
        body, content_type = exports.to_csv(data), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data, fmt)}"'
    return response


def email_preview(request):
    """The HTML email exactly as recipients get it, to check it renders."""
    from reports.emails import email_context

    college = report_scope(request.user, request.GET.get("college"))
    try:
        period = _period(request.GET)
    except PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    data = report_figures(period, college)[0]
    context = email_context(data)
    # The preview is a page of the desk too: a way back to the report it shows.
    context["preview_back_url"] = reverse("reports:report") + "?" + _query(period, college)
    return HttpResponse(render_to_string("reports/email.html", context))


@require_POST
def rebuild(request):
    """Store this week's figures again (report viewers, desk and admins only)."""
    if not sees_all_reports(request.user):
        raise PermissionDenied
    college = report_scope(request.user, request.POST.get("college"))
    try:
        period = iso_week(request.POST.get("week", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:report")
    store_weekly_report(period=period, college=college)
    messages.success(request, _("已重新生成 %(week)s 的周报。") % {"week": period.iso_week})
    return redirect(reverse("reports:report") + "?" + _query(period, college))


def history(request):
    college = report_scope(request.user, request.GET.get("college"))
    if not may_see_reports(request.user):
        raise PermissionDenied
    rows = WeeklyReport.objects.filter(college=college).only(
        "iso_week", "week_start", "generated_at", "sent_at", "college", "data"
    )
    page = Paginator(rows, 52).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/history.html",
        {"page": page, "college": college, "scope_name": str(college) if college else _("全校")},
    )
