"""Tickets written straight into the database with the exact instants a test
needs (reports only read tickets, so no service is involved)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports import phrases
from tickets import events as ticket_events
from tickets.models import College, Ticket

SH = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0, second=0, tz=SH):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)


def make_ticket(
    *,
    created_at,
    category="ids_activate",
    route="guide_answer",
    suggested_category=None,
    suggested_route=None,
    college=None,
    channel="phone",
    status="new",
    text="无法激活账号",
    first_answered_at=None,
    resolved_at=None,
    events=(),
):
    suggested_category = suggested_category or category
    ticket = Ticket.objects.create(
        created_at=created_at,
        category=category,
        route=route,
        suggested_category=suggested_category,
        # As tickets.validation.ticket_values keeps them.
        other_phrases=phrases.candidates(text) if suggested_category == "other" else None,
        suggested_route=suggested_route or route,
        suggested_confidence=0.9,
        college=College.objects.get(code=college) if college else None,
        channel=channel,
        status=status,
        text=text,
        first_answered_at=first_answered_at,
        resolved_at=resolved_at,
    )
    ticket_events.insert(
        ticket_events.values(ticket_id=ticket.pk, actor_id=None, kind=kind, created_at=when)
        for kind, when in events
    )
    return ticket


@pytest.fixture
def week47(db):
    """Hand-computed fixture for 2026-W47 (Mon 16 - Sun 22 Nov, Beijing time).

    W47: new 5 (t1 t3 t5 t6 t7), resolved 2 (t1 4h, t7 48h: median 26h),
    reopened 2 (t7, t8), first answers in the week t1 2h, t3 20min, t7 1h
    (median 1h), open escalations t5 t6, suggestions accepted 3 of 5.
    W46: new 2 (t2, t8).
    """
    t = {}
    # Beijing midnight starting the week, written in UTC: in W47.
    t["t1"] = make_ticket(
        created_at=dt.datetime(2026, 11, 15, 16, 0, tzinfo=dt.UTC),
        college="sice",
        first_answered_at=at(2026, 11, 16, 2),
        resolved_at=at(2026, 11, 16, 4),
        status="resolved",
    )
    # One second before that midnight: W46.
    t["t2"] = make_ticket(
        created_at=at(2026, 11, 15, 23, 59, 59), category="sms_code", college="sice"
    )
    # Sunday 23:30 Beijing, written as 15:30Z: still W47.
    t["t3"] = make_ticket(
        created_at=dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC),
        category="sms_code",
        suggested_category="ids_password",
        college="sice",
        status="answered",
        first_answered_at=at(2026, 11, 22, 23, 50),
    )
    # Sunday noon in New York is Monday 01:00 in Beijing: W48.
    t["t4"] = make_ticket(
        created_at=dt.datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    )
    t["t5"] = make_ticket(
        created_at=at(2026, 11, 18, 10),
        category="other",
        suggested_category="other",
        route="manual",
        suggested_route="guide_answer",
        channel="email",
        status="escalated",
        text="鸿蒙系统装不了企业微信，HarmonyOS NEXT",
    )
    t["t6"] = make_ticket(
        created_at=at(2026, 11, 19, 10),
        category="other",
        route="escalate",
        college="see",
        status="escalated",
        text="鸿蒙手机怎么装企业微信",
    )
    # Resolved, reopened and resolved again inside the week: counted once, at its last resolution.
    t["t7"] = make_ticket(
        created_at=at(2026, 11, 17, 9),
        category="wecom_activate",
        college="see",
        channel="wechat",
        first_answered_at=at(2026, 11, 17, 10),
        resolved_at=at(2026, 11, 19, 9),
        status="resolved",
        events=[
            ("resolved", at(2026, 11, 17, 12)),
            ("reopened", at(2026, 11, 18, 8)),
            ("resolved", at(2026, 11, 19, 9)),
        ],
    )
    # Resolved in W46, reopened in W47 and still open: reopen cleared resolved_at.
    t["t8"] = make_ticket(
        created_at=at(2026, 11, 10),
        category="sms_code",
        college="see",
        status="answered",
        events=[("resolved", at(2026, 11, 12)), ("reopened", at(2026, 11, 20))],
    )
    return t
