"""The figures of a report, computed in the database (GROUP BY), never by
looping over tickets: one statement for all the counts and medians
(`_figures`), one for the open escalations listed, one for the "other" texts.

`build_report(period, college=None)` returns a plain, JSON-ready dict. Its keys
are a contract (the page, the CSV/XLSX, the email and `weekly_report --format
json` all show this one dict):

    schema              1
    period              {first_day, last_day, iso_week|null, timezone, start, end}
    scope               {college: null | {code, name}}
    generated_at        ISO timestamp of the build
    as_of               the moment ages are measured to: min(generated_at, period end)
    totals              {new, resolved, reopened, open_escalations,
                         median_first_answer_hours, median_resolution_hours,
                         suggestions_accepted, suggestions_overridden, acceptance_rate}
    previous            the same totals (except open_escalations) for the period before
    change              {key: {current, previous, delta, pct|null}} for new, resolved,
                        reopened and the two medians
    by_category, by_route, by_channel, by_college, by_status
                        [{code, label, count}] of tickets created in the period,
                        largest first; by_category rows also carry previous and delta
    by_day              [{day, new, resolved}] for every day of the period
    open_escalations    [{id, category, college, created_at, age_hours}], oldest first
                        (at most 50; totals.open_escalations has the full count)
    triage              [{category, label, suggested, accepted, category_overridden,
                          route_overridden, acceptance_rate}] per suggested category
    other_phrases       [{phrase, count}] frequent phrases of tickets suggested "other"

Definitions:
  * new: created in the period. by_* counts are over new tickets; by_status is
    their status at build time.
  * resolved: resolved_at in the period and status resolved/closed now. A ticket
    resolved, reopened and resolved again counts once, at its last resolution;
    one reopened and still open does not count.
  * reopened: tickets with a "reopened" event in the period.
  * open_escalations: status escalated at build time, created before the period
    end; age in hours from creation to `as_of`.
  * median_first_answer_hours: over tickets first answered in the period,
    first_answered_at - created_at. median_resolution_hours: over tickets
    resolved in the period, resolved_at - created_at. PostgreSQL computes them
    with percentile_cont(0.5); elsewhere (SQLite on a laptop) the mean of the
    middle one or two values, numbered by a window function: the same number.
  * triage: a suggestion is accepted when the final category and route both
    equal the engine's suggestion kept at intake.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from guide.models import FaqCategory, Route
from reports.periods import Period
from reports.phrases import other_phrases
from tickets.models import Channel, College, EventKind, Status, Ticket

SCHEMA = 1
CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)
OTHER_TEXTS_LIMIT = 3000
OPEN_ESCALATIONS_LISTED = 50
NO_COLLEGE = ""


def _scoped(college):
    tickets = Ticket.objects.all()
    return tickets.filter(college=college) if college is not None else tickets


# The figures of one build are one SQL statement: a UNION ALL of small GROUP BYs
# over the tickets of the period and the one before (`_FIGURES_SQL`). At a
# million tickets the database takes as long either way (the same index scans),
# but the web worker paid ~1 ms of ORM compile and round trip for each of the
# 24 separate queries: build_report cost 53-60 ms of CPU, then 31-33 (issue 16,
# 1M tickets, the phrases not cached), 5-7 with the phrases counted by the
# database (reports.phrases.other_phrases). Every row is (figure,
# cur, code, n, a, b, c, x): `cur` 1 for the period, 0 for the one before
# (grouped for both even where only the period is shown: then PostgreSQL
# hashes instead of sorting, estimating the groups of the whole CTE);
# `n` a count, `a`..`c` more counts (triage), `x` a median in seconds.
_FIGURES_SQL = """
WITH created AS (
    SELECT category, route, channel, college_id, status, suggested_category, suggested_route,
           CASE WHEN created_at >= %s THEN 1 ELSE 0 END AS cur, {new_day} AS day
    FROM tickets_ticket
    WHERE created_at >= %s AND created_at < %s{ticket_scope}
), resolved AS (
    SELECT CASE WHEN resolved_at >= %s THEN 1 ELSE 0 END AS cur, {resolved_day} AS day,
           {resolution_seconds} AS seconds
    FROM tickets_ticket
    WHERE resolved_at >= %s AND resolved_at < %s AND status IN (%s, %s){ticket_scope}
), answered AS (
    SELECT CASE WHEN first_answered_at >= %s THEN 1 ELSE 0 END AS cur,
           {answer_seconds} AS seconds
    FROM tickets_ticket
    WHERE first_answered_at >= %s AND first_answered_at < %s
      AND first_answered_at >= created_at{ticket_scope}
)
SELECT 'category' AS figure, cur, category AS code, COUNT(*) AS n, 0 AS a, 0 AS b, 0 AS c,
       CAST(NULL AS DOUBLE PRECISION) AS x
FROM created GROUP BY cur, category
UNION ALL
SELECT 'route', cur, route, COUNT(*), 0, 0, 0, NULL FROM created GROUP BY cur, route
UNION ALL
SELECT 'channel', cur, channel, COUNT(*), 0, 0, 0, NULL
FROM created GROUP BY cur, channel
UNION ALL
SELECT 'status', cur, status, COUNT(*), 0, 0, 0, NULL
FROM created GROUP BY cur, status
UNION ALL
SELECT 'college', cur, CAST(college_id AS VARCHAR(20)), COUNT(*), 0, 0, 0, NULL
FROM created GROUP BY cur, college_id
UNION ALL
SELECT 'new_day', cur, CAST(day AS VARCHAR(20)), COUNT(*), 0, 0, 0, NULL
FROM created GROUP BY cur, day
UNION ALL
SELECT 'triage', cur, suggested_category, COUNT(*),
       SUM(CASE WHEN category = suggested_category AND route = suggested_route THEN 1 ELSE 0 END),
       SUM(CASE WHEN category <> suggested_category THEN 1 ELSE 0 END),
       SUM(CASE WHEN category = suggested_category AND route <> suggested_route
           THEN 1 ELSE 0 END),
       NULL
FROM created GROUP BY cur, suggested_category
UNION ALL
SELECT 'resolved_day', cur, CAST(day AS VARCHAR(20)), COUNT(*), 0, 0, 0, NULL
FROM resolved GROUP BY cur, day
UNION ALL
SELECT 'resolution_median', cur, '', 0, 0, 0, 0, {resolution_median} FROM {resolution_rows}
UNION ALL
SELECT 'answer_median', cur, '', 0, 0, 0, 0, {answer_median} FROM {answer_rows}
UNION ALL
SELECT 'reopened', cur, '', COUNT(DISTINCT ticket_id), 0, 0, 0, NULL
FROM (
    SELECT CASE WHEN e.created_at >= %s THEN 1 ELSE 0 END AS cur, e.ticket_id
    FROM tickets_ticketevent e{event_join}
    WHERE e.kind = %s AND e.created_at >= %s AND e.created_at < %s{event_scope}
) reopening
GROUP BY cur
UNION ALL
SELECT 'open_escalations', 1, '', COUNT(*), 0, 0, 0, NULL
FROM tickets_ticket WHERE status = %s AND created_at < %s{ticket_scope}
"""

# A median in SQL, per period. PostgreSQL: percentile_cont(0.5), as the
# report always had. Elsewhere (SQLite on a laptop) the mean of the middle one
# or two values, numbered by a window function: the same number.
_PG_MEDIAN = ("percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)", "{rows} GROUP BY cur")
_PORTABLE_MEDIAN = (
    "AVG(seconds)",
    "(SELECT cur, seconds, ROW_NUMBER() OVER (PARTITION BY cur ORDER BY seconds) - 1 AS i, "
    "COUNT(*) OVER (PARTITION BY cur) AS m FROM {rows}) ranked "
    "WHERE i IN ((m - 1) / 2, m / 2) GROUP BY cur",
)


def _seconds_between(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        # percentile_cont reads double precision: cast before it sorts (numeric sorts slower).
        return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"
    # Django's own SQLite function (what F(end) - F(start) compiles to): microseconds.
    sql, _ = connection.ops.subtract_temporals("DateTimeField", (end, []), (start, []))
    return f"({sql}) / 1000000.0"


def _day_of(field: str, period: Period) -> tuple[str, list]:
    """The day of the period `field` falls in (0 = the first day): the local
    midnights come from Python (zoneinfo), so a day is a local day whatever
    the offset that day; rows before the period get 0 and are never read."""
    midnights = [
        dt.datetime.combine(period.first_day + dt.timedelta(days=i), dt.time.min, tzinfo=period.tz)
        for i in range(1, period.days)
    ]
    if not midnights:
        return "0", []
    whens = " ".join(f"WHEN {field} < %s THEN {i}" for i in range(len(midnights)))
    return f"CASE {whens} ELSE {len(midnights)} END", [_db_time(m) for m in midnights]


def _db_time(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _figures(period: Period, college) -> dict[str, dict[tuple[int, str], tuple]]:
    """{figure: {(cur, code): (n, a, b, c, x)}} of the period and the one before."""
    first, start, end = (
        _db_time(period.previous().start),
        _db_time(period.start),
        _db_time(period.end),
    )
    scope = [college.pk] if college is not None else []
    ticket_scope = " AND college_id = %s" if college is not None else ""
    new_day, new_day_params = _day_of("created_at", period)
    resolved_day, resolved_day_params = _day_of("resolved_at", period)
    median, rows = _PG_MEDIAN if connection.vendor == "postgresql" else _PORTABLE_MEDIAN
    sql = _FIGURES_SQL.format(
        ticket_scope=ticket_scope,
        new_day=new_day,
        resolved_day=resolved_day,
        resolution_seconds=_seconds_between("created_at", "resolved_at"),
        answer_seconds=_seconds_between("created_at", "first_answered_at"),
        resolution_median=median,
        answer_median=median,
        # The resolution median is over tickets resolved after they were created.
        resolution_rows=rows.format(rows="resolved WHERE seconds >= 0"),
        answer_rows=rows.format(rows="answered"),
        event_join=" JOIN tickets_ticket t ON t.id = e.ticket_id" if college is not None else "",
        event_scope=" AND t.college_id = %s" if college is not None else "",
    )
    params = [
        # created
        start,
        *new_day_params,
        first,
        end,
        *scope,
        # resolved
        start,
        *resolved_day_params,
        first,
        end,
        *CLOSED_STATUSES,
        *scope,
        # answered
        start,
        first,
        end,
        *scope,
        # reopened
        start,
        EventKind.REOPENED,
        first,
        end,
        *scope,
        # open escalations
        Status.ESCALATED,
        end,
        *scope,
    ]
    figures: dict[str, dict[tuple[int, str], tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for figure, cur, code, n, a, b, c, x in cursor.fetchall():
            figures.setdefault(figure, {})[(cur, code)] = (n, a, b, c, x)
    return figures


def _counts(figures: dict, figure: str, cur: int = 1) -> dict[str, int]:
    return {code: row[0] for (c, code), row in figures.get(figure, {}).items() if c == cur}


def _college_codes(by_id: dict, colleges: dict[int, str]) -> dict[str, int]:
    # keys: a college's id as text (NULL: no college) -> its code, NO_COLLEGE for none
    return {
        (colleges.get(int(pk), NO_COLLEGE) if pk is not None else NO_COLLEGE): n
        for pk, n in by_id.items()
    }


def _median_hours(figures: dict, figure: str, cur: int) -> float | None:
    row = figures.get(figure, {}).get((cur, ""))
    if row is None or row[4] is None:
        return None
    return round(float(row[4]) / 3600, 2)


def _triage(figures: dict, cur: int) -> tuple[list[dict], int, int]:
    result = []
    for (c, category), (
        suggested,
        accepted,
        category_overridden,
        route_overridden,
        _,
    ) in figures.get("triage", {}).items():
        if c != cur:
            continue
        result.append(
            {
                "category": category,
                "suggested": suggested,
                "accepted": accepted,
                "category_overridden": category_overridden,
                "route_overridden": route_overridden,
                "acceptance_rate": _rate(accepted, suggested),
            }
        )
    result.sort(key=lambda r: (r["acceptance_rate"], -r["suggested"], r["category"]))
    accepted = sum(r["accepted"] for r in result)
    total = sum(r["suggested"] for r in result)
    return result, accepted, total - accepted


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(figures: dict, cur: int) -> tuple[dict, list[dict]]:
    """A period's totals (cur 1: this one, 0: the one before) and the triage
    rows they were summed from."""
    triage, accepted, overridden = _triage(figures, cur)
    return {
        # Every new ticket is in one triage group, so the groups' sizes add up
        # to the count: no COUNT(*) of its own.
        "new": accepted + overridden,
        "resolved": sum(_counts(figures, "resolved_day", cur).values()),
        "reopened": _counts(figures, "reopened", cur).get("", 0),
        "median_first_answer_hours": _median_hours(figures, "answer_median", cur),
        "median_resolution_hours": _median_hours(figures, "resolution_median", cur),
        "suggestions_accepted": accepted,
        "suggestions_overridden": overridden,
        "acceptance_rate": _rate(accepted, accepted + overridden),
    }, triage


def _change(current: dict, previous: dict) -> dict:
    change = {}
    for key in (
        "new",
        "resolved",
        "reopened",
        "median_first_answer_hours",
        "median_resolution_hours",
    ):
        now, before = current[key], previous[key]
        delta = None if now is None or before is None else round(now - before, 2)
        pct = round(delta / before * 100, 1) if delta is not None and before else None
        change[key] = {"current": now, "previous": before, "delta": delta, "pct": pct}
    return change


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    rows = [
        {"code": code, "label": labels.get(code, code), "count": n} for code, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["code"]))


def labels() -> dict[str, dict[str, str]]:
    """Display names of every code a report shows, in the active language."""
    return _labels(_colleges())


def _colleges() -> list[tuple[int, str, str, str]]:
    return list(College.objects.values_list("pk", "code", "name", "name_en"))


def _labels(colleges) -> dict[str, dict[str, str]]:
    english = translation.get_language() == "en"
    return {
        "category": {
            code: (title_en or title) if english else title
            for code, title, title_en in FaqCategory.objects.values_list(
                "code", "title", "title_en"
            )
        },
        "route": {k: str(v) for k, v in Route.choices},
        "channel": {k: str(v) for k, v in Channel.choices},
        "status": {k: str(v) for k, v in Status.choices},
        "college": {
            NO_COLLEGE: translation.gettext("（未填学院）"),
            **{code: (name_en or name) if english else name for _, code, name, name_en in colleges},
        },
    }


def _by_day(figures: dict, period: Period) -> list[dict]:
    new = _counts(figures, "new_day")
    resolved = _counts(figures, "resolved_day")
    return [
        {
            "day": (period.first_day + dt.timedelta(days=i)).isoformat(),
            "new": new.get(str(i), 0),
            "resolved": resolved.get(str(i), 0),
        }
        for i in range(period.days)
    ]


def _open_escalations(
    tickets, period: Period, as_of: dt.datetime, college_codes: dict[int, str]
) -> list[dict]:
    """The oldest open escalations (their count is a figure of `_figures`).
    Colleges by id, named from the colleges the report read anyway (no join)."""
    escalated = tickets.filter(status=Status.ESCALATED, created_at__lt=period.end)
    rows = escalated.order_by("created_at", "id").values_list(
        "id", "category", "college_id", "created_at"
    )[:OPEN_ESCALATIONS_LISTED]
    tz = period.tz
    return [
        {
            "id": pk,
            "category": category,
            "college": college_codes.get(college_id, NO_COLLEGE),
            "created_at": created.astimezone(tz).isoformat(),
            "age_hours": round(max((as_of - created).total_seconds(), 0) / 3600, 1),
        }
        for pk, category, college_id, created in rows
    ]


def build_report(
    period: Period, *, college: College | None = None, now: dt.datetime | None = None
) -> dict:
    now = now or timezone.now()
    as_of = min(now, period.end)
    tickets = _scoped(college)

    colleges = _colleges()
    with translation.override(settings.LANGUAGE_CODE):
        names = _labels(colleges)

    figures = _figures(period, college)
    totals, triage = _summary(figures, 1)
    previous_period = period.previous()
    previous, _ = _summary(figures, 0)
    totals["open_escalations"] = _counts(figures, "open_escalations").get("", 0)

    by_category = _labelled(_counts(figures, "category"), names["category"])
    previous_by_category = _counts(figures, "category", cur=0)
    for row in by_category:
        row["previous"] = previous_by_category.get(row["code"], 0)
        row["delta"] = row["count"] - row["previous"]
    for row in triage:
        row["label"] = names["category"].get(row["category"], row["category"])
    college_codes = {pk: code for pk, code, _, _ in colleges}
    escalations = _open_escalations(tickets, period, as_of, college_codes)

    return {
        "schema": SCHEMA,
        "period": {
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
            "iso_week": period.iso_week,
            "timezone": settings.TIME_ZONE,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "scope": {"college": {"code": college.code, "name": college.name} if college else None},
        "generated_at": timezone.localtime(now, period.tz).isoformat(),
        "as_of": timezone.localtime(as_of, period.tz).isoformat(),
        "totals": totals,
        "previous": {
            "first_day": previous_period.first_day.isoformat(),
            "last_day": previous_period.last_day.isoformat(),
            **previous,
        },
        "change": _change(totals, previous),
        "by_category": by_category,
        "by_route": _labelled(_counts(figures, "route"), names["route"]),
        "by_channel": _labelled(_counts(figures, "channel"), names["channel"]),
        "by_college": _labelled(
            _college_codes(_counts(figures, "college"), college_codes), names["college"]
        ),
        "by_status": _labelled(_counts(figures, "status"), names["status"]),
        "by_day": _by_day(figures, period),
        "open_escalations": escalations,
        "triage": triage,
        "other_phrases": other_phrases(
            period.start, period.end, college, texts_limit=OTHER_TEXTS_LIMIT
        ),
    }
