"""The report's figures against a direct count: random tickets (edited,
corrected, reopened after they were written), every figure recounted here in
Python from the rows themselves, for the whole university and one college,
an ISO week and an odd range."""

import datetime as dt
import random
import statistics

import pytest

from reports.build import build_report
from reports.periods import Period, iso_week
from tests.reports.conftest import SH, make_ticket
from tickets.models import College, EventKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

CATEGORIES = ("ids_activate", "sms_code", "wecom_activate", "other")
ROUTES = ("guide_answer", "escalate", "refer_college", "manual")
STATUSES = ("new", "answered", "escalated", "referred", "resolved", "closed")
CHANNELS = ("phone", "email", "wechat", "qq")
START = dt.datetime(2026, 11, 2, tzinfo=SH)  # three weeks before W47's end and some
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=SH)


def _random_tickets(rng: random.Random, n: int) -> None:
    colleges = [None, "sice", "see", "math"]
    for _ in range(n):
        created = START + dt.timedelta(seconds=rng.randrange(0, 27 * 86400))
        if rng.random() < 0.1:  # on a local midnight exactly
            created = created.replace(hour=0, minute=0, second=0, microsecond=0)
        answered = created + dt.timedelta(seconds=rng.randrange(-600, 3 * 86400))
        resolved = answered + dt.timedelta(seconds=rng.randrange(0, 4 * 86400))
        category = rng.choice(CATEGORIES)
        make_ticket(
            created_at=created,
            category=category,
            route=rng.choice(ROUTES),
            suggested_category=category if rng.random() < 0.7 else rng.choice(CATEGORIES),
            suggested_route=rng.choice(ROUTES),
            college=rng.choice(colleges),
            channel=rng.choice(CHANNELS),
            status=rng.choice(STATUSES),
            first_answered_at=answered if rng.random() < 0.8 else None,
            resolved_at=resolved if rng.random() < 0.6 else None,
            events=[(EventKind.REOPENED, resolved)] * (rng.random() < 0.15),
        )
    # Later edits: category corrections, status changes, resolutions undone.
    tickets = list(Ticket.objects.all())
    for ticket in rng.sample(tickets, len(tickets) // 3):
        ticket.category = rng.choice(CATEGORIES)
        ticket.route = rng.choice(ROUTES)
        ticket.status = rng.choice(STATUSES)
        if rng.random() < 0.2:
            ticket.resolved_at = None
        ticket.save()


def _median_hours(durations: list[float]) -> float | None:
    return round(statistics.median(durations) / 3600, 2) if durations else None


def _expected(period: Period, college_code: str | None) -> dict:
    """Every figure, counted from the rows one by one."""
    rows = [
        t
        for t in Ticket.objects.select_related("college")
        if college_code is None or (t.college and t.college.code == college_code)
    ]

    def inside(moment, p: Period) -> bool:
        return moment is not None and p.start <= moment < p.end

    def totals(p: Period) -> dict:
        new = [t for t in rows if inside(t.created_at, p)]
        resolved = [
            t for t in rows if inside(t.resolved_at, p) and t.status in ("resolved", "closed")
        ]
        answered = [t for t in rows if inside(t.first_answered_at, p)]
        accepted = sum(
            1 for t in new if (t.category, t.route) == (t.suggested_category, t.suggested_route)
        )
        ids = {t.pk for t in rows}
        reopened = {
            e.ticket_id
            for e in TicketEvent.objects.filter(kind=EventKind.REOPENED)
            if e.ticket_id in ids and inside(e.created_at, p)
        }
        return {
            "new": len(new),
            "resolved": len(resolved),
            "reopened": len(reopened),
            "median_first_answer_hours": _median_hours(
                [
                    (t.first_answered_at - t.created_at).total_seconds()
                    for t in answered
                    if t.first_answered_at >= t.created_at
                ]
            ),
            "median_resolution_hours": _median_hours(
                [
                    (t.resolved_at - t.created_at).total_seconds()
                    for t in resolved
                    if t.resolved_at >= t.created_at
                ]
            ),
            "suggestions_accepted": accepted,
            "suggestions_overridden": len(new) - accepted,
        }

    def counted(values) -> dict:
        result: dict = {}
        for value in values:
            result[value] = result.get(value, 0) + 1
        return result

    new = [t for t in rows if inside(t.created_at, period)]
    before = [t for t in rows if inside(t.created_at, period.previous())]
    days = [period.first_day + dt.timedelta(days=i) for i in range(period.days)]
    triage: dict = {}
    for t in new:
        row = triage.setdefault(t.suggested_category, [0, 0, 0, 0])
        row[0] += 1
        row[1] += (t.category, t.route) == (t.suggested_category, t.suggested_route)
        row[2] += t.category != t.suggested_category
        row[3] += t.category == t.suggested_category and t.route != t.suggested_route
    escalated = sorted(
        (t for t in rows if t.status == "escalated" and t.created_at < period.end),
        key=lambda t: (t.created_at, t.pk),
    )
    return {
        "totals": totals(period),
        "previous": totals(period.previous()),
        "by_category": counted(t.category for t in new),
        "previous_by_category": counted(t.category for t in before),
        "by_route": counted(t.route for t in new),
        "by_channel": counted(t.channel for t in new),
        "by_status": counted(t.status for t in new),
        "by_college": counted(t.college.code if t.college else "" for t in new),
        "by_day": [
            (
                d.isoformat(),
                sum(1 for t in new if t.created_at.astimezone(SH).date() == d),
                sum(
                    1
                    for t in rows
                    if inside(t.resolved_at, period)
                    and t.status in ("resolved", "closed")
                    and t.resolved_at.astimezone(SH).date() == d
                ),
            )
            for d in days
        ],
        "triage": {code: tuple(row) for code, row in triage.items()},
        "open_escalations": (len(escalated), [t.pk for t in escalated[:50]]),
    }


def _shown(data: dict) -> dict:
    """The same figures, read from what build_report returned."""
    keys = ("new", "resolved", "reopened", "median_first_answer_hours")
    keys += ("median_resolution_hours", "suggestions_accepted", "suggestions_overridden")

    def counts(rows):
        return {r["code"]: r["count"] for r in rows}

    return {
        "totals": {k: data["totals"][k] for k in keys},
        "previous": {k: data["previous"][k] for k in keys},
        "by_category": counts(data["by_category"]),
        "previous_by_category": {
            r["code"]: r["previous"] for r in data["by_category"] if r["previous"]
        },
        "by_route": counts(data["by_route"]),
        "by_channel": counts(data["by_channel"]),
        "by_status": counts(data["by_status"]),
        "by_college": counts(data["by_college"]),
        "by_day": [(d["day"], d["new"], d["resolved"]) for d in data["by_day"]],
        "triage": {
            r["category"]: (
                r["suggested"],
                r["accepted"],
                r["category_overridden"],
                r["route_overridden"],
            )
            for r in data["triage"]
        },
        "open_escalations": (
            data["totals"]["open_escalations"],
            [e["id"] for e in data["open_escalations"]],
        ),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_equals_a_direct_count(seed):
    _random_tickets(random.Random(seed), 160)
    for period in (iso_week("2026-W47"), Period(dt.date(2026, 11, 12), dt.date(2026, 11, 16))):
        for college in (None, "sice"):
            scope = College.objects.get(code=college) if college else None
            expected = _expected(period, college)
            # The previous period's by_category only lists codes seen in this one.
            shown = _shown(build_report(period, college=scope, now=NOW))
            expected["previous_by_category"] = {
                code: n
                for code, n in expected["previous_by_category"].items()
                if code in expected["by_category"]
            }
            assert shown == expected, (period, college)
