"""What the page and the email show of a report dict: labels in the active
language and the charts. The numbers are never recomputed here."""

from html import escape

from django.urls import reverse
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports import charts
from reports.build import NO_COLLEGE, labels
from tickets.models import College

DIMENSIONS = {
    "by_category": "category",
    "by_route": "route",
    "by_channel": "channel",
    "by_college": "college",
    "by_status": "status",
}


def localized(data: dict) -> dict:
    """A copy with every label in the active language (the stored one is Chinese).

    Only the rows that get a label are copied; the rest of the dict is the
    caller's (a deepcopy of a whole report was a tenth of the page's CPU)."""
    names = labels()
    names["college"][NO_COLLEGE] = _("（未填学院）")
    data = dict(data)
    for key, dimension in DIMENSIONS.items():
        data[key] = [
            {**row, "label": names[dimension].get(row["code"], row["label"])} for row in data[key]
        ]
    data["generated_label"] = _when(data["generated_at"])
    data["as_of_label"] = _when(data["as_of"])
    data["triage"] = [
        {**row, "label": names["category"].get(row["category"], row["label"])}
        for row in data["triage"]
    ]
    data["open_escalations"] = [
        {
            **row,
            "category_label": names["category"].get(row["category"], row["category"]),
            "college_label": names["college"].get(row["college"], row["college"]),
        }
        for row in data["open_escalations"]
    ]
    return data


# The page's three long tables (50 escalations, the triage and category rows)
# are written here, not by template tags: per cell a tag, a lookup and a
# localize() took ~2 ms of the page's CPU at a million tickets. The HTML is
# what the template wrote, byte for byte (14 report pages, both languages,
# compared before and after this change).
def table_rows(data: dict, *, links_tickets: bool) -> dict[str, SafeString]:
    return {
        "escalations": _escalation_rows(data["open_escalations"], links_tickets),
        "triage": _triage_rows(data["triage"]),
        "by_category": _category_rows(data["by_category"]),
    }


def college_options(selected) -> SafeString:
    """The scope picker's <option>s, one per college as str(college) names it."""
    english = (translation.get_language() or "").startswith("en")
    chosen = selected.pk if selected is not None else None
    return mark_safe(
        "".join(
            f'<option value="{escape(code)}"{" selected" if pk == chosen else ""}>'
            f"{escape(name_en if english and name_en else name)}</option>"
            for pk, code, name, name_en in College.objects.values_list(
                "pk", "code", "name", "name_en"
            )
        )
    )


def _number(value) -> str:
    # What {{ value }} writes for a number in the active language.
    return str(value) if isinstance(value, int) else formats.localize(value)


def _escalation_rows(rows: list[dict], links_tickets: bool) -> SafeString:
    if not rows:
        return mark_safe(f'<tr><td colspan="5">{escape(_("没有未结的升级工单。"))}</td></tr>')
    # "/tickets/<pk>/" as head + pk + tail: one reverse() per page, not per row.
    marker = "2147483647"
    head, tail = reverse("tickets:detail", args=[marker]).split(marker)
    out = []
    for e in rows:
        pk = e["id"]
        ticket = f'<a href="{head}{pk}{tail}">#{pk}</a>' if links_tickets else f"#{pk}"
        out.append(
            f"<tr><td>{ticket}</td><td>{escape(e['category_label'])}</td>"
            f"<td>{escape(e['college_label'])}</td>\n"
            f"      <td>{escape(e['created_at'][:16])}</td>"
            f'<td class="num">{_number(e["age_hours"])}</td></tr>\n    '
        )
    return mark_safe("".join(out))


def _triage_rows(rows: list[dict]) -> SafeString:
    if not rows:
        return mark_safe(f'<tr><td colspan="6">{escape(_("本期没有工单。"))}</td></tr>')
    out = []
    for r in rows:
        rate = r["acceptance_rate"]
        weak = " weak" if rate is not None and rate < 0.7 else ""
        shown = "—" if rate is None else f"{round(float(rate) * 100)}%"
        out.append(
            f'<tr><td>{escape(r["label"])} <code class="muted">{escape(r["category"])}</code>'
            f'</td><td class="num">{r["suggested"]}</td>\n'
            f'      <td class="num">{r["accepted"]}</td>'
            f'<td class="num">{r["category_overridden"]}</td>'
            f'<td class="num">{r["route_overridden"]}</td>\n'
            f'      <td class="num{weak}">{shown}</td></tr>\n    '
        )
    return mark_safe("".join(out))


def _category_rows(rows: list[dict]) -> SafeString:
    if not rows:
        return mark_safe(f'<tr><td colspan="4">{escape(_("本期没有工单。"))}</td></tr>')
    out = []
    for r in rows:
        sign = "+" if r["delta"] > 0 else ""
        out.append(
            f'<tr><td>{escape(r["label"])} <code class="muted">{escape(r["code"])}</code>'
            f'</td><td class="num">{r["count"]}</td>\n'
            f'      <td class="num">{r["previous"]}</td>'
            f'<td class="num">{sign}{r["delta"]}</td></tr>\n    '
        )
    return mark_safe("".join(out))


def _when(iso: str) -> str:
    """'2026-11-23T08:00:05.1+08:00' -> '2026-11-23 08:00' (already Beijing time)."""
    return iso[:16].replace("T", " ")


def chart_specs(data: dict) -> list[tuple[str, str]]:
    specs = [
        ("by_category", _("按问题分类")),
        ("by_route", _("按处理方式")),
        ("by_channel", _("按渠道")),
        ("by_status", _("按当前状态")),
    ]
    if data["scope"]["college"] is None:
        specs.append(("by_college", _("按学院")))
    return specs


def page_charts(data: dict) -> dict:
    return {
        "days": charts.days_svg(data["by_day"], title=_("每日新建与解决")),
        "bars": [charts.hbar_svg(data[key], title=title) for key, title in chart_specs(data)],
    }


def email_bars(data: dict) -> list[dict]:
    return [
        {"title": title, "rows": charts.bar_rows(data[key])} for key, title in chart_specs(data)
    ]


def email_days(data: dict) -> list[dict]:
    peak = max((max(d["new"], d["resolved"]) for d in data["by_day"]), default=0) or 1
    return [
        {
            **d,
            "label": d["day"][5:],
            "new_pct": round(d["new"] * 100 / peak),
            "resolved_pct": round(d["resolved"] * 100 / peak),
        }
        for d in data["by_day"]
    ]


def scope_name(data: dict) -> str:
    college = data["scope"]["college"]
    if not college:
        return _("全校")
    return labels()["college"].get(college["code"]) or college["name"]


def period_name(data: dict) -> str:
    period = data["period"]
    span = f"{period['first_day']} ~ {period['last_day']}"
    if not period["iso_week"]:
        return span
    return _("%(week)s（%(span)s）") % {"week": period["iso_week"], "span": span}
