import datetime as dt

import pytest

from reports.build import build_report
from reports.periods import iso_week
from tests.reports.conftest import at, make_ticket

pytestmark = pytest.mark.django_db
LATER = at(2026, 11, 30)


def counts(rows):
    return {r["code"]: r["count"] for r in rows}


def test_empty_week_has_zeros_and_no_medians():
    data = build_report(iso_week("2026-W47"), now=LATER)
    assert data["totals"] == {
        "new": 0,
        "resolved": 0,
        "reopened": 0,
        "open_escalations": 0,
        "median_first_answer_hours": None,
        "median_resolution_hours": None,
        "suggestions_accepted": 0,
        "suggestions_overridden": 0,
        "acceptance_rate": None,
    }
    assert data["by_category"] == [] and data["triage"] == [] and data["other_phrases"] == []
    assert [d["day"] for d in data["by_day"]] == [f"2026-11-{d}" for d in range(16, 23)]
    assert all(d["new"] == d["resolved"] == 0 for d in data["by_day"])
    assert data["change"]["new"] == {"current": 0, "previous": 0, "delta": 0, "pct": None}


def test_hand_computed_week(week47):
    data = build_report(iso_week("2026-W47"), now=LATER)
    totals = data["totals"]
    assert totals["new"] == 5
    assert totals["resolved"] == 2  # t1, and t7 once despite two resolutions
    assert totals["reopened"] == 2  # t7 and t8
    assert totals["median_first_answer_hours"] == 1.0  # 2h, 20min, 1h
    assert totals["median_resolution_hours"] == 26.0  # 4h and 48h
    assert (totals["suggestions_accepted"], totals["suggestions_overridden"]) == (3, 2)
    assert totals["acceptance_rate"] == 0.6
    assert counts(data["by_category"]) == {
        "ids_activate": 1,
        "sms_code": 1,
        "other": 2,
        "wecom_activate": 1,
    }
    assert counts(data["by_college"]) == {"sice": 2, "see": 2, "": 1}
    assert counts(data["by_channel"]) == {"phone": 3, "email": 1, "wechat": 1}
    assert counts(data["by_status"]) == {"resolved": 2, "answered": 1, "escalated": 2}
    assert counts(data["by_route"]) == {"guide_answer": 3, "manual": 1, "escalate": 1}
    assert data["by_category"][0] == {
        "code": "other",
        "label": "其他问题",
        "count": 2,
        "previous": 0,
        "delta": 2,
    }


def test_days_follow_beijing_midnight(week47):
    by_day = {
        d["day"]: (d["new"], d["resolved"])
        for d in build_report(iso_week("2026-W47"), now=LATER)["by_day"]
    }
    assert by_day == {
        "2026-11-16": (1, 1),
        "2026-11-17": (1, 0),
        "2026-11-18": (1, 0),
        "2026-11-19": (1, 1),
        "2026-11-20": (0, 0),
        "2026-11-21": (0, 0),
        "2026-11-22": (1, 0),
    }


def test_change_against_the_week_before(week47):
    data = build_report(iso_week("2026-W47"), now=LATER)
    assert data["previous"]["first_day"] == "2026-11-09"
    assert data["previous"]["new"] == 2  # t2 (23:59:59 Sunday) and t8
    assert data["change"]["new"] == {"current": 5, "previous": 2, "delta": 3, "pct": 150.0}
    sms = next(r for r in data["by_category"] if r["code"] == "sms_code")
    assert (sms["count"], sms["previous"], sms["delta"]) == (1, 2, -1)


def test_open_escalations_with_age_at_week_end(week47):
    data = build_report(iso_week("2026-W47"), now=LATER)
    assert data["totals"]["open_escalations"] == 2
    assert [(e["id"], e["age_hours"]) for e in data["open_escalations"]] == [
        (week47["t5"].id, 110.0),  # Wed 10:00 -> Mon 00:00
        (week47["t6"].id, 86.0),
    ]
    # Built mid-week, ages run to the build time instead.
    during = build_report(iso_week("2026-W47"), now=at(2026, 11, 20, 10))
    assert during["open_escalations"][0]["age_hours"] == 48.0


def test_triage_acceptance_per_suggested_category(week47):
    rows = {r["category"]: r for r in build_report(iso_week("2026-W47"), now=LATER)["triage"]}
    assert rows["ids_password"] == {
        "category": "ids_password",
        "label": rows["ids_password"]["label"],
        "suggested": 1,
        "accepted": 0,
        "category_overridden": 1,
        "route_overridden": 0,
        "acceptance_rate": 0.0,
    }
    assert (rows["other"]["accepted"], rows["other"]["route_overridden"]) == (1, 1)
    assert rows["ids_activate"]["acceptance_rate"] == 1.0
    # Weakest first.
    assert build_report(iso_week("2026-W47"), now=LATER)["triage"][0]["category"] == "ids_password"


def test_other_phrases_surface_the_new_topic(week47):
    data = build_report(iso_week("2026-W47"), now=LATER)
    phrases = {p["phrase"]: p["count"] for p in data["other_phrases"]}
    assert phrases["鸿蒙"] == 2  # t5 and t6, both suggested "other"
    assert "企业微信" not in phrases and "业微信" not in phrases  # everyday words, and pieces


def test_week_across_month_and_year_boundary():
    period = iso_week("2026-W53")
    assert (period.first_day, period.last_day) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    make_ticket(created_at=at(2026, 12, 27, 23, 59))  # W52
    make_ticket(
        created_at=at(2026, 12, 31, 23, 30), resolved_at=at(2027, 1, 1, 1, 30), status="closed"
    )
    make_ticket(created_at=at(2027, 1, 1, 0, 30))
    make_ticket(created_at=dt.datetime(2027, 1, 3, 15, 59, tzinfo=dt.UTC))  # Sunday 23:59 Beijing
    make_ticket(created_at=at(2027, 1, 4, 0, 0))  # 2027-W01
    data = build_report(period, now=at(2027, 2, 1))
    assert data["period"]["iso_week"] == "2026-W53"
    assert data["totals"]["new"] == 3
    assert data["totals"]["resolved"] == 1
    assert data["totals"]["median_resolution_hours"] == 2.0
    new_by_day = {d["day"]: d["new"] for d in data["by_day"] if d["new"]}
    assert new_by_day == {"2026-12-31": 1, "2027-01-01": 1, "2027-01-03": 1}
    assert data["previous"]["new"] == 1


def test_college_version_has_only_that_college(week47):
    from tickets.models import College

    data = build_report(iso_week("2026-W47"), college=College.objects.get(code="sice"), now=LATER)
    assert data["scope"]["college"]["code"] == "sice"
    assert data["totals"]["new"] == 2
    assert counts(data["by_college"]) == {"sice": 2}
    assert data["totals"]["open_escalations"] == 0 and data["open_escalations"] == []
    assert data["totals"]["reopened"] == 0  # t7, t8 belong to "see"
    assert data["other_phrases"] == []
    assert data["previous"]["new"] == 1


def test_any_date_range(week47):
    from reports.periods import date_range

    data = build_report(date_range("2026-11-18", "2026-11-19"), now=LATER)
    assert data["period"]["iso_week"] is None
    assert data["totals"]["new"] == 2  # t5, t6
    assert data["previous"]["first_day"] == "2026-11-16" and data["previous"]["new"] == 2  # t1, t7


def test_aggregates_in_a_fixed_number_of_queries(week47, django_assert_max_num_queries):
    # No loop over tickets: more tickets must not mean more queries.
    for i in range(30):
        make_ticket(
            created_at=at(2026, 11, 20, 10, i),
            college="math",
            first_answered_at=at(2026, 11, 20, 12),
        )
    # One statement for every count and median, plus the labels (categories,
    # colleges), the escalations listed and the "other" texts.
    with django_assert_max_num_queries(5):
        build_report(iso_week("2026-W47"), now=LATER)
