"""The weekly email: plain text plus HTML with the charts as table bars
(email clients drop SVG and scripts; tables render everywhere)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reports import display, exports
from tickets.selectors import college_teacher_emails


def recipients_for(college) -> list[str]:
    """The whole-university report: settings.REPORT_RECIPIENTS (env, comma
    separated). A college's: the e-mail of each active admissions teacher of it."""
    if college is None:
        return list(settings.REPORT_RECIPIENTS)
    return college_teacher_emails(college)


def _page_url(data: dict) -> str:
    params = (
        {"week": data["period"]["iso_week"]}
        if data["period"]["iso_week"]
        else {"from": data["period"]["first_day"], "to": data["period"]["last_day"]}
    )
    if data["scope"]["college"]:
        params["college"] = data["scope"]["college"]["code"]
    return f"{settings.SITE_URL}{reverse('reports:report')}?{urlencode(params)}"


def _escalations_url(data: dict) -> str:
    params = {"status": "escalated"}
    if data["scope"]["college"]:
        params["college"] = data["scope"]["college"]["code"]
    return f"{settings.SITE_URL}{reverse('tickets:list')}?{urlencode(params)}"


def email_context(data: dict) -> dict:
    data = display.localized(data)
    return {
        "data": data,
        "bars": display.email_bars(data),
        "days": display.email_days(data),
        "tables": exports.tables(data),
        "scope_name": display.scope_name(data),
        "period_name": display.period_name(data),
        "page_url": _page_url(data),
        "escalations_url": _escalations_url(data),
        "info_center_phone": settings.INFO_CENTER_PHONE,
    }


def report_message(report, to: list[str]) -> EmailMultiAlternatives:
    # Recipients read Chinese; the language is fixed, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        context = email_context(report.data)
        subject = _("【信息中心服务台】周报 %(period)s · %(scope)s") % {
            "period": context["period_name"],
            "scope": context["scope_name"],
        }
        text = render_to_string("reports/email.txt", context)
        html = render_to_string("reports/email.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message
