"""The figures of a report, computed in the database (GROUP BY), never by
looping over tickets.

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
    with percentile_cont(0.5); elsewhere (SQLite on a laptop) the database sorts
    the single duration column and only the middle one or two values are read
    (OFFSET), which gives the same number.
  * triage: a suggestion is accepted when the final category and route both
    equal the engine's suggestion kept at intake.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
)
from django.db.models.functions import TruncDate
from django.utils import timezone, translation

from guide.models import FaqCategory, Route
from reports.periods import Period
from reports.phrases import cached_top_phrases
from tickets.models import Channel, College, EventKind, Status, Ticket, TicketEvent

SCHEMA = 1
CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)
OTHER_TEXTS_LIMIT = 3000
OPEN_ESCALATIONS_LISTED = 50
NO_COLLEGE = ""


class _PgMedianSeconds(Aggregate):
    """percentile_cont(0.5) of an interval, in seconds (PostgreSQL)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (%(expressions)s)))"
    output_field = FloatField()


def _median_hours(queryset, start_field: str, end_field: str) -> float | None:
    duration = ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())
    rows = queryset.filter(**{f"{end_field}__isnull": False, f"{end_field}__gte": F(start_field)})
    if connection.vendor == "postgresql":
        seconds = rows.aggregate(m=_PgMedianSeconds(duration))["m"]
        return None if seconds is None else round(seconds / 3600, 2)
    # Portable path: the database orders one column; only the middle rows come back.
    n = rows.count()
    if not n:
        return None
    middle = list(
        rows.annotate(d=duration)
        .order_by("d")
        .values_list("d", flat=True)[(n - 1) // 2 : n // 2 + 1]
    )
    seconds = sum(d.total_seconds() for d in middle) / len(middle)
    return round(seconds / 3600, 2)


def _scoped(college):
    tickets = Ticket.objects.all()
    return tickets.filter(college=college) if college is not None else tickets


def _created_in(tickets, period: Period):
    return tickets.filter(created_at__gte=period.start, created_at__lt=period.end)


def _resolved_in(tickets, period: Period):
    return tickets.filter(
        resolved_at__gte=period.start, resolved_at__lt=period.end, status__in=CLOSED_STATUSES
    )


def _reopened_count(period: Period, college) -> int:
    events = TicketEvent.objects.filter(
        kind=EventKind.REOPENED, created_at__gte=period.start, created_at__lt=period.end
    )
    if college is not None:
        events = events.filter(ticket__college=college)
    return events.values("ticket_id").distinct().count()


def _counts(queryset, field: str) -> dict[Any, int]:
    # keys: the field's values (a college's id for "college"), NO_COLLEGE for none
    rows = queryset.order_by().values(field).annotate(n=Count("id")).values_list(field, "n")
    return {(key if key is not None else NO_COLLEGE): n for key, n in rows}


def _college_counts(created) -> dict[str, int]:
    # Group by the foreign key itself (no join on 1M rows), then name the codes.
    by_id = _counts(created, "college")
    codes: dict[int, str] = dict(
        College.objects.filter(pk__in=[k for k in by_id if k != NO_COLLEGE]).values_list(
            "pk", "code"
        )
    )
    return {
        codes.get(pk, NO_COLLEGE) if pk != NO_COLLEGE else NO_COLLEGE: n for pk, n in by_id.items()
    }


def _triage(created) -> tuple[list[dict], int, int]:
    rows = (
        created.order_by()
        .values("suggested_category")
        .annotate(
            suggested=Count("id"),
            accepted=Count(
                "id", filter=Q(category=F("suggested_category"), route=F("suggested_route"))
            ),
            category_overridden=Count("id", filter=~Q(category=F("suggested_category"))),
            route_overridden=Count(
                "id", filter=Q(category=F("suggested_category")) & ~Q(route=F("suggested_route"))
            ),
        )
    )
    result = []
    for row in rows:
        result.append(
            {
                "category": row["suggested_category"],
                "suggested": row["suggested"],
                "accepted": row["accepted"],
                "category_overridden": row["category_overridden"],
                "route_overridden": row["route_overridden"],
                "acceptance_rate": _rate(row["accepted"], row["suggested"]),
            }
        )
    result.sort(key=lambda r: (r["acceptance_rate"], -r["suggested"], r["category"]))
    accepted = sum(r["accepted"] for r in result)
    total = sum(r["suggested"] for r in result)
    return result, accepted, total - accepted


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(tickets, period: Period, college) -> tuple[dict, list[dict]]:
    """The week's totals and the triage rows they were summed from."""
    created = _created_in(tickets, period)
    resolved = _resolved_in(tickets, period)
    answered = tickets.filter(first_answered_at__gte=period.start, first_answered_at__lt=period.end)
    triage, accepted, overridden = _triage(created)
    return {
        # Every new ticket is in one triage group (a NULL suggestion is a group
        # too), so the groups' sizes add up to the count: no COUNT(*) of its own.
        "new": accepted + overridden,
        "resolved": resolved.count(),
        "reopened": _reopened_count(period, college),
        "median_first_answer_hours": _median_hours(answered, "created_at", "first_answered_at"),
        "median_resolution_hours": _median_hours(resolved, "created_at", "resolved_at"),
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
    return {
        "category": {
            code: (title_en or title) if translation.get_language() == "en" else title
            for code, title, title_en in FaqCategory.objects.values_list(
                "code", "title", "title_en"
            )
        },
        "route": {k: str(v) for k, v in Route.choices},
        "channel": {k: str(v) for k, v in Channel.choices},
        "status": {k: str(v) for k, v in Status.choices},
        "college": {
            NO_COLLEGE: translation.gettext("（未填学院）"),
            **{
                code: (name_en or name) if translation.get_language() == "en" else name
                for code, name, name_en in College.objects.values_list("code", "name", "name_en")
            },
        },
    }


def _count_per_day(queryset, field: str, tz) -> dict:
    """{local date: count} of `queryset` by the day of its `field` in `tz`."""
    return dict(
        queryset.order_by()
        .annotate(day=TruncDate(field, tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )


def _by_day(tickets, period: Period) -> list[dict]:
    new = _count_per_day(_created_in(tickets, period), "created_at", period.tz)
    resolved = _count_per_day(_resolved_in(tickets, period), "resolved_at", period.tz)
    days = [period.first_day + dt.timedelta(days=i) for i in range(period.days)]
    return [
        {"day": d.isoformat(), "new": new.get(d, 0), "resolved": resolved.get(d, 0)} for d in days
    ]


def _open_escalations(tickets, period: Period, as_of: dt.datetime) -> tuple[int, list[dict]]:
    escalated = tickets.filter(status=Status.ESCALATED, created_at__lt=period.end)
    rows = escalated.order_by("created_at", "id").values_list(
        "id", "category", "college__code", "created_at"
    )[:OPEN_ESCALATIONS_LISTED]
    items = [
        {
            "id": pk,
            "category": category,
            "college": college or NO_COLLEGE,
            "created_at": timezone.localtime(created, period.tz).isoformat(),
            "age_hours": round(max((as_of - created).total_seconds(), 0) / 3600, 1),
        }
        for pk, category, college, created in rows
    ]
    return escalated.count(), items


def build_report(
    period: Period, *, college: College | None = None, now: dt.datetime | None = None
) -> dict:
    now = now or timezone.now()
    as_of = min(now, period.end)
    tickets = _scoped(college)
    created = _created_in(tickets, period)

    with translation.override(settings.LANGUAGE_CODE):
        names = labels()

    totals, triage = _summary(tickets, period, college)
    previous_period = period.previous()
    previous, _ = _summary(tickets, previous_period, college)
    escalations_count, escalations = _open_escalations(tickets, period, as_of)
    totals["open_escalations"] = escalations_count

    by_category = _labelled(_counts(created, "category"), names["category"])
    previous_by_category = _counts(_created_in(tickets, previous_period), "category")
    for row in by_category:
        row["previous"] = previous_by_category.get(row["code"], 0)
        row["delta"] = row["count"] - row["previous"]
    for row in triage:
        row["label"] = names["category"].get(row["category"], row["category"])

    other_texts = (
        created.filter(suggested_category="other")
        .order_by("-created_at")
        .values_list("text", flat=True)[:OTHER_TEXTS_LIMIT]
    )

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
        "by_route": _labelled(_counts(created, "route"), names["route"]),
        "by_channel": _labelled(_counts(created, "channel"), names["channel"]),
        "by_college": _labelled(_college_counts(created), names["college"]),
        "by_status": _labelled(_counts(created, "status"), names["status"]),
        "by_day": _by_day(tickets, period),
        "open_escalations": escalations,
        "triage": triage,
        "other_phrases": cached_top_phrases(other_texts),
    }
