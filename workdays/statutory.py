"""The public holidays fixed by law, for years whose official arrangement is not announced yet.

Source: 全国年节及纪念日放假办法 (State Council Decree No. 795, 2024-11-10, in force
2025-01-01), Art. 2 (holidays for all citizens, 13 days):

- 元旦 (New Year's Day): 1 January;
- 春节 (Spring Festival): 4 days, New Year's Eve to the 3rd day of the first lunar month;
- 清明节 (Qingming): 1 day, the day of the Qingming solar term;
- 劳动节 (Labour Day): 1 and 2 May;
- 端午节 (Dragon Boat Festival): the 5th day of the 5th lunar month;
- 中秋节 (Mid-Autumn Festival): the 15th day of the 8th lunar month;
- 国庆节 (National Day): 1 to 3 October.

Art. 6: a holiday for all citizens that falls on a Saturday or Sunday is made up on a working
day (补假). The decree does not say which day; the yearly arrangement does. Here the made-up
day is the first weekday after it that is not itself a holiday, which is what the yearly
arrangements have done around each holiday.

What the decree does not fix, and this module therefore does not guess, is the yearly 调休:
weekend days worked to make longer breaks (Art. 7). Dates counted on this computation are
provisional (暂定) until the office enters the State Council's arrangement.

Lunar dates come from `lunardate` (1900–2099), the Qingming solar term from chinesecalendar
(1900–2100). Outside those ranges only the solar-calendar holidays are known.
"""

from __future__ import annotations

import datetime
from functools import cache

import chinese_calendar
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate

ONE_DAY = datetime.timedelta(days=1)

NEW_YEAR = _("New Year's Day")
SPRING_FESTIVAL = _("Spring Festival")
QINGMING = _("Qingming Festival")
LABOUR_DAY = _("Labour Day")
DRAGON_BOAT = _("Dragon Boat Festival")
MID_AUTUMN = _("Mid-Autumn Festival")
NATIONAL_DAY = _("National Day")
MADE_UP = _("day off in lieu of a holiday on a weekend")


def _lunar(year, month, day):
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year):
    for day, name in chinese_calendar.get_solar_terms(
        datetime.date(year, 4, 1), datetime.date(year, 4, 30)
    ):
        if name == "清明":
            return day
    raise ValueError(year)  # pragma: no cover - every April has one


def _fixed_by_law(year) -> dict[datetime.date, str]:
    days = {datetime.date(year, 1, 1): NEW_YEAR}
    days.update({datetime.date(year, 5, n): LABOUR_DAY for n in (1, 2)})
    days.update({datetime.date(year, 10, n): NATIONAL_DAY for n in (1, 2, 3)})
    try:
        new_year = _lunar(year, 1, 1)
        dragon_boat = _lunar(year, 5, 5)
        mid_autumn = _lunar(year, 8, 15)
    except ValueError:  # outside lunardate's range
        pass
    else:
        for n in range(-1, 3):  # New Year's Eve (the last day of the 12th month) to the 3rd
            days[new_year + n * ONE_DAY] = SPRING_FESTIVAL
        days[dragon_boat] = DRAGON_BOAT
        days[mid_autumn] = MID_AUTUMN
    try:
        days[_qingming(year)] = QINGMING
    except NotImplementedError:  # outside chinesecalendar's solar-term range
        pass
    return days


@cache
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days off of `year` that follow from the decree alone: the 13 holidays, and a
    weekday off for each of them that falls on a weekend (Art. 6). Static: cached."""
    days = _fixed_by_law(year)
    for day in sorted(days):
        if day.weekday() >= 5:
            in_lieu = day + ONE_DAY
            while in_lieu.weekday() >= 5 or in_lieu in days:
                in_lieu += ONE_DAY
            days[in_lieu] = MADE_UP
    return dict(sorted(days.items()))
