"""A report as tables: the CSV and XLSX downloads (and the email's plain text)
are cut from the same report dict the page shows."""

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from supportdesk import spreadsheets


def tables(data: dict) -> list[tuple[str, list[str], list[list]]]:
    """[(title, headers, rows)] in display order."""
    totals, change = data["totals"], data["change"]
    # Titles, not codes, where a person reads them.
    categories = {r["code"]: r["label"] for r in data["by_category"]}
    colleges = {r["code"]: r["label"] for r in data["by_college"]}
    summary_rows = [
        [_("新建工单"), totals["new"], change["new"]["previous"], change["new"]["delta"]],
        [
            _("已解决"),
            totals["resolved"],
            change["resolved"]["previous"],
            change["resolved"]["delta"],
        ],
        [
            _("重新打开"),
            totals["reopened"],
            change["reopened"]["previous"],
            change["reopened"]["delta"],
        ],
        [_("未结升级工单"), totals["open_escalations"], "", ""],
        [
            _("首次答复时长中位数（小时）"),
            totals["median_first_answer_hours"],
            change["median_first_answer_hours"]["previous"],
            change["median_first_answer_hours"]["delta"],
        ],
        [
            _("解决时长中位数（小时）"),
            totals["median_resolution_hours"],
            change["median_resolution_hours"]["previous"],
            change["median_resolution_hours"]["delta"],
        ],
        [_("分类建议采纳率"), totals["acceptance_rate"], data["previous"]["acceptance_rate"], ""],
    ]
    result = [
        (_("概况"), [_("指标"), _("本期"), _("上期"), _("变化")], summary_rows),
        (
            _("按问题分类"),
            [_("代码"), _("分类"), _("本期"), _("上期"), _("变化")],
            [
                [r["code"], r["label"], r["count"], r["previous"], r["delta"]]
                for r in data["by_category"]
            ],
        ),
    ]
    for key, title in (
        ("by_route", _("按处理方式")),
        ("by_channel", _("按渠道")),
        ("by_college", _("按学院")),
        ("by_status", _("按当前状态")),
    ):
        result.append(
            (
                title,
                [_("代码"), _("名称"), _("工单数")],
                [[r["code"], r["label"], r["count"]] for r in data[key]],
            )
        )
    result += [
        (
            _("每日"),
            [_("日期"), _("新建"), _("解决")],
            [[d["day"], d["new"], d["resolved"]] for d in data["by_day"]],
        ),
        (
            _("分类建议采纳"),
            [
                _("建议分类"),
                _("名称"),
                _("建议数"),
                _("采纳"),
                _("改分类"),
                _("仅改处理方式"),
                _("采纳率"),
            ],
            [
                [
                    r["category"],
                    r["label"],
                    r["suggested"],
                    r["accepted"],
                    r["category_overridden"],
                    r["route_overridden"],
                    r["acceptance_rate"],
                ]
                for r in data["triage"]
            ],
        ),
        (
            _("未结升级工单"),
            [_("工单"), _("分类"), _("学院"), _("创建时间"), _("已等待（小时）")],
            [
                [
                    e["id"],
                    categories.get(e["category"], e["category"]),
                    colleges.get(e["college"], e["college"]),
                    _minutes(e["created_at"]),
                    e["age_hours"],
                ]
                for e in data["open_escalations"]
            ],
        ),
        (
            _("“其他”类高频短语"),
            [_("短语"), _("工单数")],
            [[p["phrase"], p["count"]] for p in data["other_phrases"]],
        ),
    ]
    return result


def _cell(value):
    return "" if value is None else value


def _minutes(stamp):
    """An ISO timestamp (stored in the report) as the desk's YYYY-MM-DD HH:MM."""
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return stamp


def _title(data: dict) -> str:
    period = data["period"]
    scope = data["scope"]["college"]["name"] if data["scope"]["college"] else _("全校")
    when = period["iso_week"] or f"{period['first_day']}~{period['last_day']}"
    return f"{when} {scope}"


def to_csv(data: dict) -> bytes:
    """One file, one table after another, each headed by its title; no cell
    can become a formula (supportdesk.spreadsheets.neutral).

    UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it right.
    """
    neutral = spreadsheets.neutral_row
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        neutral([_title(data), data["period"]["first_day"], data["period"]["last_day"]])
    )
    for title, headers, rows in tables(data):
        writer.writerow([])
        writer.writerow(neutral([title]))
        writer.writerow(neutral(headers))
        writer.writerows([neutral(row) for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(data: dict) -> bytes:
    """One sheet per table, each with a bold frozen header and columns as wide
    as their contents."""
    sheets = []
    for title, headers, rows in tables(data):
        cells = [[_cell(v) for v in row] for row in rows]
        widths = [spreadsheets.width_of([h, *(r[i] for r in cells)]) for i, h in enumerate(headers)]
        sheets.append((title, headers, cells, widths))
    with spreadsheets.xlsx_file(sheets) as f:
        return f.read()


def filename(data: dict, ext: str) -> str:
    period = data["period"]
    when = period["iso_week"] or f"{period['first_day']}_{period['last_day']}"
    scope = data["scope"]["college"]["code"] if data["scope"]["college"] else "all"
    return f"report-{when}-{scope}.{ext}"
