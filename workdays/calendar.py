"""Working days on the official Chinese calendar, for statutory deadlines.

A day is a working day when:

1. the `CalendarDay` table has an entry for it (entered by the disclosure office): the entry
   decides, whatever the package says;
2. otherwise, the chinesecalendar package knows its year: the package decides (public holidays,
   and weekend days made working days, 调休);
3. otherwise: Monday to Friday. `calendar_warnings` says so while it matters.

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

from .models import CalendarDay

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


def _official_or_weekday(day: datetime.date) -> bool:
    if package_knows(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


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
        return _official_or_weekday(day)

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
    """Years with at least one hand-entered day."""
    return {day.year for day in CalendarDay.objects.dates("date", "year")}


def known_years(years: Iterable[int] | None = None) -> set[int]:
    """Years whose official calendar is known, to the package or to the table.
    Without `years`, every such year (the package's whole range included)."""
    from_table = table_years()
    if years is None:
        package_range = [year for year in range(1990, 2200) if package_knows(year)]
        return set(package_range) | from_table
    return {year for year in years if package_knows(year) or year in from_table}


def missing_years(years: Iterable[int]) -> list[int]:
    """The given years known neither to the package nor to the table (counted Monday–Friday)."""
    years = sorted(set(years))
    known = known_years(years)
    return [year for year in years if year not in known]


def calendar_warnings(today: datetime.date | None = None) -> list[str]:
    """One message for the current and the next year each, when its calendar is unknown.

    The State Council announces the next year's holidays around November; until someone
    upgrades chinesecalendar or enters the days by hand, deadlines in that year would count
    Monday to Friday and miss the Spring Festival holiday and its make-up days."""
    today = _as_date(today or timezone.localdate())
    return [
        _(
            "The official holidays and make-up working days of %(year)s are not known: "
            "neither the chinesecalendar package nor the working-day calendar table has them. "
            "Deadlines in %(year)s are counted Monday to Friday until the disclosure office "
            "enters that year's holidays and make-up working days under Settings → "
            "Working-day calendar, or the web team upgrades chinesecalendar."
        )
        % {"year": year}
        for year in missing_years([today.year, today.year + 1])
    ]
