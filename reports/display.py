"""What the page and the email show of a report dict: labels in the active
language and the charts. The numbers are never recomputed here."""

import copy

from django.utils.translation import gettext as _

from reports import charts
from reports.build import NO_COLLEGE, labels

DIMENSIONS = {
    "by_category": "category",
    "by_route": "route",
    "by_channel": "channel",
    "by_college": "college",
    "by_status": "status",
}


def localized(data: dict) -> dict:
    """A copy with every label in the active language (the stored one is Chinese)."""
    names = labels()
    names["college"][NO_COLLEGE] = _("（未填学院）")
    data = copy.deepcopy(data)
    for key, dimension in DIMENSIONS.items():
        for row in data[key]:
            row["label"] = names[dimension].get(row["code"], row["label"])
    data["generated_label"] = _when(data["generated_at"])
    data["as_of_label"] = _when(data["as_of"])
    for row in data["triage"]:
        row["label"] = names["category"].get(row["category"], row["label"])
    for row in data["open_escalations"]:
        row["category_label"] = names["category"].get(row["category"], row["category"])
        row["college_label"] = names["college"].get(row["college"], row["college"])
    return data


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
