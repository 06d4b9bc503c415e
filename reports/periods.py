"""Report periods: an ISO week or any range of dates, in the desk's time zone.

A period covers whole local days (Asia/Shanghai, settings.TIME_ZONE): from
00:00 of its first day up to, not including, 00:00 after its last day. A
ticket created at 23:59 on Sunday in Beijing belongs to that week however the
instant is written (15:59Z, 10:59 in Paris).
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

ISO_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


# Reports cover the desk's years; outside them a period's neighbours (the
# page's previous/next links) would overflow the date type.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2099, 12, 31)


class PeriodError(ValueError):
    """Input that names no period; the message is shown to the user."""


def _within_bounds(period: "Period") -> "Period":
    if period.first_day < EARLIEST_DAY or period.last_day > LATEST_DAY:
        raise PeriodError(
            _("报表只覆盖 %(first)s 至 %(last)s")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
        )
    return period


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date  # inclusive

    @property
    def tz(self):
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time.min, tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: 00:00 local time after the last day."""
        return dt.datetime.combine(
            self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz
        )

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def is_iso_week(self) -> bool:
        return self.first_day.isoweekday() == 1 and self.days == 7

    @property
    def iso_week(self) -> str | None:
        if not self.is_iso_week:
            return None
        year, week, _ = self.first_day.isocalendar()
        return f"{year}-W{week:02d}"

    def previous(self) -> "Period":
        """The period of equal length just before (the week before a week)."""
        return Period(
            self.first_day - dt.timedelta(days=self.days), self.first_day - dt.timedelta(days=1)
        )

    def next(self) -> "Period":
        return Period(
            self.last_day + dt.timedelta(days=1), self.last_day + dt.timedelta(days=self.days)
        )


def iso_week(value: str) -> Period:
    """'2026-W47' (or '2026W47') -> Monday to Sunday of that ISO week."""
    match = ISO_WEEK_RE.match((value or "").strip())
    if not match:
        raise PeriodError(_("不是 ISO 周（例：2026-W47）：%(value)s") % {"value": value})
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(
            _("%(year)s 年没有第 %(week)s 周") % {"year": year, "week": week}
        ) from None
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise PeriodError(
            _("报表只覆盖 %(first)s 年至 %(last)s 年")
            % {"first": EARLIEST_DAY.year, "last": LATEST_DAY.year}
        )
    return _within_bounds(Period(monday, monday + dt.timedelta(days=6)))


def date_range(first: str, last: str) -> Period:
    """Two ISO dates, both included."""
    try:
        first_day, last_day = (
            dt.date.fromisoformat(first.strip()),
            dt.date.fromisoformat(last.strip()),
        )
    except (AttributeError, ValueError):
        raise PeriodError(
            _("日期应写作 YYYY-MM-DD：%(first)s、%(last)s") % {"first": first, "last": last}
        ) from None
    if last_day < first_day:
        raise PeriodError(
            _("结束日期（%(last)s）早于开始日期（%(first)s）")
            % {"last": last_day, "first": first_day}
        )
    if (last_day - first_day).days > 366:
        raise PeriodError(_("一份报表最长覆盖一年"))
    return _within_bounds(Period(first_day, last_day))


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.isoweekday() - 1)
    return Period(monday, monday + dt.timedelta(days=6))


def last_week(now: dt.datetime | None = None) -> Period:
    """The ISO week before the one `now` falls in, in the desk's time zone."""
    today = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE)).date()
    return week_of(today - dt.timedelta(days=7))
