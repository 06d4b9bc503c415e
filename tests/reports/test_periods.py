import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports.periods import PeriodError, date_range, iso_week, last_week


def test_iso_week_is_monday_to_sunday_in_beijing():
    week = iso_week("2026-W47")
    assert (week.first_day, week.last_day) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert week.start.isoformat() == "2026-11-16T00:00:00+08:00"
    assert week.end.isoformat() == "2026-11-23T00:00:00+08:00"
    assert iso_week("2026w47") == week
    assert week.previous() == iso_week("2026-W46") and week.next() == iso_week("2026-W48")


def test_week_one_may_start_in_the_year_before():
    assert iso_week("2026-W01").first_day == dt.date(2025, 12, 29)
    assert iso_week("2026-W53").next() == iso_week("2027-W01")


@pytest.mark.parametrize("value", ["", "2026-47", "W47", "2026-W0", "2027-W53", "2026-W54"])
def test_bad_weeks(value):
    with pytest.raises(PeriodError):
        iso_week(value)


def test_last_week_follows_the_beijing_calendar():
    # Sunday 23:30 UTC is already Monday 07:30 in Beijing: "last week" is the one just ended.
    monday_morning = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert last_week(monday_morning).iso_week == "2026-W47"
    sunday_evening = dt.datetime(2026, 11, 22, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert last_week(sunday_evening).iso_week == "2026-W46"


def test_date_range_includes_both_days_and_refuses_nonsense():
    period = date_range("2026-11-30", "2026-12-01")
    assert period.days == 2 and period.iso_week is None
    assert period.previous() == date_range("2026-11-28", "2026-11-29")
    for first, last in [
        ("2026-12-02", "2026-12-01"),
        ("2026-13-01", "2026-12-01"),
        ("2025-01-01", "2026-12-01"),
    ]:
        with pytest.raises(PeriodError):
            date_range(first, last)
