"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, the same
picture on the page and offline.

Labels are Chinese, so every text names CJK font families first; a machine
without them falls back to its own sans-serif CJK font. Email clients often
drop SVG, so the email draws the same rows as HTML table bars instead
(`bar_rows`, used by templates/reports/_bars_email.html).
"""

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FONT = (
    "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',"
    "'WenQuanYi Micro Hei','Hiragino Sans GB',sans-serif"
)
BAR = "#0b5cad"
BAR_2 = "#1a7f37"
MUTED = "#5b6475"
WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(width: int, height: int, font_size: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" font-size="{font_size}"><title>{escape(title)}</title>'
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#1d2330">'
        f"{escape(title)}</text>"
    )


def bar_rows(rows: list[dict], limit: int = 15) -> list[dict]:
    """[{label, count, pct}] with pct of the largest, for any bar drawing."""
    top = rows[:limit]
    peak = max((r["count"] for r in top), default=0) or 1
    return [
        {"label": r["label"], "count": r["count"], "pct": round(r["count"] * 100 / peak, 1)}
        for r in top
    ]


def hbar_svg(rows: list[dict], *, title: str, limit: int = 15, width: int = 560) -> str:
    """Horizontal bars, largest first; `rows` are the report's [{label, count}]."""
    bars = bar_rows(rows, limit)
    label_w, count_w, row_h, top = 210, 56, 26, 30
    bar_w = width - label_w - count_w
    height = top + max(len(bars), 1) * row_h + 8
    parts = [_open(width, height, 13, title)]
    if not bars:
        parts.append(
            f'<text x="0" y="{top + 16}" fill="{MUTED}">{escape(_("本期没有数据"))}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = max(bar["pct"] * bar_w / 100, 1 if bar["count"] else 0)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="#1d2330">'
            f"<title>{escape(bar['label'])}</title>{escape(_short(bar['label'], 15))}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" height="16" rx="2" '
            f'fill="{BAR}"/><text x="{label_w + length + 6:.1f}" y="{y + 17}" '
            f'fill="{MUTED}">{bar["count"]}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


DAY_SLOT = 44  # px per day: a week's chart fits a 390 px phone at its own size
DAYS_MAX_WIDTH = 1120


def days_svg(by_day: list[dict], *, title: str, width: int | None = None) -> str:
    """New and resolved tickets per day, side by side.

    As wide as its days need (a week: 348 px), not stretched to a desktop
    width: scaled down to a phone, a 1120 px chart's labels were 4 px high.
    Longer ranges keep their size and scroll sideways on a phone."""
    height, top, bottom, left = 240, 56, 42, 40  # the legend sits under the title
    if width is None:
        width = min(DAYS_MAX_WIDTH, max(340, left + DAY_SLOT * len(by_day)))
    plot_h = height - top - bottom
    peak = max((max(d["new"], d["resolved"]) for d in by_day), default=0) or 1
    slot = (width - left) / max(len(by_day), 1)
    bar_w = max(min(slot / 3, 36), 2)
    base = top + plot_h
    parts = [
        _open(width, height, 13, title),
        f'<rect x="{width - 130}" y="28" width="12" height="12" fill="{BAR}"/>'
        f'<text x="{width - 114}" y="39">{escape(_("新建"))}</text>'
        f'<rect x="{width - 64}" y="28" width="12" height="12" fill="{BAR_2}"/>'
        f'<text x="{width - 48}" y="39">{escape(_("解决"))}</text>',
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#dde1e7"/>',
    ]
    every = max(1, len(by_day) // 14)  # long ranges: label every n-th day only
    for i, day in enumerate(by_day):
        x = left + i * slot + (slot - 2 * bar_w) / 2
        for j, (value, colour) in enumerate(((day["new"], BAR), (day["resolved"], BAR_2))):
            h = value * plot_h / peak
            bx = x + j * bar_w
            parts.append(
                f'<rect x="{bx:.1f}" y="{base - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{value}</title></rect>'
            )
            if value and len(by_day) <= 14:
                parts.append(
                    f'<text x="{bx + bar_w / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
                    f'font-size="11" fill="{MUTED}">{value}</text>'
                )
        if i % every == 0:
            date = dt.date.fromisoformat(day["day"])
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{base + 16}" text-anchor="middle">{date:%m-%d}</text>'
                f'<text x="{cx:.1f}" y="{base + 32}" text-anchor="middle" fill="{MUTED}">'
                f"{escape(str(WEEKDAYS[date.weekday()]))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
