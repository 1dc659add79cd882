"""Working days on the official Chinese calendar, for statutory deadlines.

A day is a working day when:

1. the `CalendarDay` table has an entry for it (entered by the disclosure office): the entry
   decides, whatever the package says;
2. otherwise, the chinesecalendar package knows its year: the package decides (public holidays,
   and weekend days made working days, 调休);
3. otherwise (a year not announced yet): Monday to Friday except the holidays fixed by law
   (`workdays.statutory`). Such a year is "provisional" (暂定) until the office records the
   State Council's arrangement for it (`HolidayArrangement`), having entered its days in the
   table; dates in it are labelled so (`is_provisional`), and `calendar_warnings` tells the
   office from 1 November of the year before.

In a provisional year the table's entries still win over the computed holidays, so entering the
arrangement day by day never makes a deadline worse than the computation. Every change to the
table sends `calendar_changed` (workdays.signals): the apps that store deadlines recompute them.

Counting convention (as for any period counted in days, Civil Code Art. 201): the day the period
starts is not counted. Something received on day S and due "within n working days" is due at
the end of the n-th working day after S: `add_working_days(S, n)`. A due date that would fall on
a holiday needs no special rule; holidays are simply not counted.

Every public function makes at most one database query. Callers that compute many dates at
once (a list of requests, a report) load a `WorkingCalendar` for the span once and ask it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarDay, HolidayArrangement
from .statutory import statutory_holidays

ONE_DAY = datetime.timedelta(days=1)


def _as_date(day) -> datetime.date:
    # A datetime is refused rather than truncated: 17:00 UTC on 30 September is already
    # 1 October in Beijing. Callers pass timezone.localdate(moment).
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")
    return day


@cache
def package_knows(year: int) -> bool:
    """Whether chinesecalendar has the official holidays of `year` (static data: cached)."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _official_or_statutory(day: datetime.date) -> bool:
    if package_knows(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


@dataclass(frozen=True)
class WorkingCalendar:
    """The table's entries for a span of dates, loaded with one query, plus the package.

    Asking about a day outside the loaded span raises ValueError: a silently missing entry
    would give a wrong deadline."""

    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)
    first: datetime.date | None = None  # None: unbounded
    last: datetime.date | None = None

    @classmethod
    def load(cls, first=None, last=None) -> WorkingCalendar:
        days = CalendarDay.objects.all()
        if first is not None:
            days = days.filter(date__gte=_as_date(first))
        if last is not None:
            days = days.filter(date__lte=_as_date(last))
        overrides = {
            day: kind == CalendarDay.Kind.WORKDAY for day, kind in days.values_list("date", "kind")
        }
        return cls(overrides, first, last)

    def is_working_day(self, day) -> bool:
        day = _as_date(day)
        if (self.first is not None and day < self.first) or (
            self.last is not None and day > self.last
        ):
            raise ValueError(f"{day} is outside the loaded span {self.first}..{self.last}")
        if day in self.overrides:
            return self.overrides[day]
        return _official_or_statutory(day)

    def add_working_days(self, start, n: int) -> datetime.date:
        """The n-th working day after `start` (before it when n < 0); `start` itself is not
        counted, whether or not it is a working day. n = 0 returns `start`."""
        day = _as_date(start)
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start, end) -> int:
        """Working days in (start, end]: add_working_days(start, n) == end gives n.
        Negative when end is before start."""
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


def is_working_day(day) -> bool:
    day = _as_date(day)
    return WorkingCalendar.load(day, day).is_working_day(day)


def add_working_days(start, n: int) -> datetime.date:
    """The due date of something due n working days after `start` (start day not counted)."""
    start = _as_date(start)
    # The end of the walk is unknown beforehand; the table holds a few dozen rows a year,
    # so loading every entry on the walk's side of `start` is still one small query.
    if n >= 0:
        return WorkingCalendar.load(first=start).add_working_days(start, n)
    return WorkingCalendar.load(last=start).add_working_days(start, n)


def working_days_between(start, end) -> int:
    """How many working days after `start` up to and including `end`."""
    start, end = _as_date(start), _as_date(end)
    return WorkingCalendar.load(min(start, end), max(start, end)).working_days_between(start, end)


def table_years() -> set[int]:
    """Years whose official arrangement the office has recorded as entered."""
    return set(HolidayArrangement.objects.values_list("year", flat=True))


def known_years(years: Iterable[int] | None = None) -> set[int]:
    """Years whose official calendar is known, to the package or to the table.
    Without `years`, every such year (the package's whole range included)."""
    from_table = table_years()
    if years is None:
        package_range = [year for year in range(1990, 2200) if package_knows(year)]
        return set(package_range) | from_table
    return {year for year in years if package_knows(year) or year in from_table}


def missing_years(years: Iterable[int]) -> list[int]:
    """The given years known neither to the package nor to the table: their dates are
    counted on the holidays fixed by law and are provisional."""
    years = sorted(set(years))
    known = known_years(years)
    return [year for year in years if year not in known]


def is_provisional(day, known: set[int] | None = None) -> bool:
    """Whether a date (a deadline) was counted on a year whose arrangement is not announced.

    Counting runs forward from a day in a known year, so a deadline is provisional exactly
    when its own year is. `known` spares the query when many dates are asked about."""
    if day is None:
        return False
    year = _as_date(day).year
    if package_knows(year):
        return False
    if known is None:
        known = known_years([year])
    return year not in known


def date_with_note(day) -> str:
    """A deadline as text (ISO date), with the provisional note when it is provisional: for
    e-mails and other plain text; templates use the `provisional_note` tag."""
    if day is None:
        return "—"
    text = _as_date(day).isoformat()
    if is_provisional(day):
        note = _("provisional: subject to the holiday arrangement announced by the State Council")
        text += f"（{note}）"
    return text


# From this day of the year the office is warned about the next year: the State Council
# announces the arrangement in November or December.
NEXT_YEAR_WARNING_FROM = (11, 1)


def calendar_warnings(today: datetime.date | None = None) -> list[str]:
    """One message for the current year when its arrangement is not known, and one for the
    next year from 1 November until its arrangement is entered."""
    today = _as_date(today or timezone.localdate())
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_WARNING_FROM:
        years.append(today.year + 1)
    return [
        _(
            "The State Council's holiday arrangement for %(year)s is not entered. Deadlines in "
            "%(year)s are counted on the statutory holidays fixed by law only (Monday to Friday "
            "otherwise, without make-up working days) and are shown to staff and citizens as "
            "provisional. When the arrangement is announced, enter its holidays and make-up "
            "working days under Settings → Working-day calendar, then record it under "
            "Settings → Official holiday arrangements; open deadlines are recomputed."
        )
        % {"year": year}
        for year in missing_years(years)
    ]
