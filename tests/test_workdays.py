"""Working days on the official calendar: the package's 2026 data, hand-entered years, overrides,
the holidays fixed by law for a year not announced yet (provisional dates), and the warning.

The 2026 facts asserted here are read from chinesecalendar 1.11's data (国办发明电〔2025〕7号):
New Year 1–3 Jan (make-up Sun 4 Jan); Spring Festival Sun 15 – Mon 23 Feb (make-up Sat 14 Feb and
Sat 28 Feb); Mid-Autumn Fri 25 – Sun 27 Sep; National Day Thu 1 – Wed 7 Oct (make-up Sun 20 Sep and
Sat 10 Oct); Thu 8 Oct is an ordinary working day.
"""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.urls import reverse
from django.utils import translation

from workdays import calendar
from workdays.calendar import (
    WorkingCalendar,
    add_working_days,
    calendar_warnings,
    is_provisional,
    is_working_day,
    known_years,
    missing_years,
    working_days_between,
)
from workdays.checks import check_calendar_is_known
from workdays.models import CalendarDay, HolidayArrangement
from workdays.statutory import MADE_UP, statutory_holidays

pytestmark = pytest.mark.django_db

HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY


def days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def enter(day, kind, name=""):
    return CalendarDay.objects.create(date=day, kind=kind, name=name)


def announce(year, notice="国办发明电（测试）"):
    return HolidayArrangement.objects.create(year=year, notice=notice)


# --- the package's 2026 calendar ----------------------------------------------------------


def test_the_package_is_the_source_for_2026():
    assert calendar.package_knows(2026)
    assert not calendar.package_knows(2031)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 1, 6))


def test_national_day_2026_holiday_and_make_up_days():
    assert [is_working_day(day) for day in days(date(2026, 10, 1), date(2026, 10, 7))] == [
        False
    ] * 7  # Thu 1 – Wed 7 Oct, weekdays included
    assert is_working_day(date(2026, 10, 8))  # Thursday after the holiday
    assert is_working_day(date(2026, 9, 20))  # Sunday, make-up working day
    assert is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert not is_working_day(date(2026, 9, 25))  # Mid-Autumn Festival, a Friday


def test_spring_festival_2026_holiday_and_make_up_days():
    assert not any(is_working_day(day) for day in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert is_working_day(date(2026, 2, 14))  # Saturday before, make-up working day
    assert is_working_day(date(2026, 2, 28))  # Saturday after, make-up working day
    assert is_working_day(date(2026, 2, 24))  # back to work on Tuesday
    # Friday 13 Feb + 2 working days: Sat 14 Feb, then nothing until Tue 24 Feb.
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_twenty_working_days_across_national_day_2026():
    # Received Fri 18 Sep. Counted: Sun 20 Sep (make-up), 21–24 Sep, 28–30 Sep (25–27 Mid-Autumn),
    # Oct 8, 9, Sat 10 (make-up), 12–16, 19–22 Oct: the 20th is Thu 22 Oct.
    assert add_working_days(date(2026, 9, 18), 20) == date(2026, 10, 22)
    assert add_working_days(date(2026, 9, 30), 20) == date(2026, 11, 3)
    assert working_days_between(date(2026, 9, 18), date(2026, 10, 22)) == 20
    # On plain Monday–Friday counting it would have been Fri 16 Oct: a week too early.
    assert WorkingCalendar().add_working_days(date(2026, 9, 18), 20) != date(2026, 10, 16)


def test_counting_convention():
    friday = date(2026, 9, 18)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == date(2026, 9, 20)  # the start day is not counted
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)  # starts in a holiday
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(date(2026, 10, 22), friday) == -20


def test_add_and_between_agree_over_a_year():
    cal = WorkingCalendar.load()
    for offset in range(0, 365, 7):
        start = date(2026, 1, 1) + timedelta(days=offset)
        for n in (1, 5, 20):
            assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_datetimes_are_refused():
    with pytest.raises(TypeError):
        is_working_day(datetime(2026, 10, 1, 12, 0))


# --- hand-entered years and overrides --------------------------------------------------------


@pytest.fixture
def national_day_2031():
    """A year the package does not know, entered as the disclosure office would."""
    for day in days(date(2031, 10, 1), date(2031, 10, 7)):
        enter(day, HOLIDAY, "国庆节")
    enter(date(2031, 9, 28), WORKDAY, "国庆节调休")  # Sunday
    enter(date(2031, 10, 11), WORKDAY, "国庆节调休")  # Saturday
    announce(2031)


def test_hand_entered_year(national_day_2031):
    assert date(2031, 10, 1).weekday() == 2 and not is_working_day(date(2031, 10, 1))
    assert date(2031, 10, 11).weekday() == 5 and is_working_day(date(2031, 10, 11))
    assert not is_working_day(date(2031, 10, 12))  # Sunday without an entry
    assert is_working_day(date(2031, 10, 8))  # Wednesday without an entry
    assert add_working_days(date(2031, 9, 26), 1) == date(2031, 9, 28)
    assert add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 8)
    assert add_working_days(date(2031, 9, 26), 20) == date(2031, 10, 29)
    assert 2031 in known_years() and 2031 in known_years([2031])


def test_table_entries_override_the_package():
    enter(date(2026, 10, 8), HOLIDAY, "示例：延长假期")
    enter(date(2026, 10, 3), WORKDAY, "示例：改为工作日")
    assert not is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 10, 3))
    assert add_working_days(date(2026, 9, 30), 2) == date(2026, 10, 9)


def test_unknown_year_counts_the_holidays_fixed_by_law():
    assert missing_years([2032]) == [2032]
    # National Day 2032: Fri 1 – Sun 3 Oct; Sat 2 and Sun 3 are made up on Mon 4 and Tue 5.
    assert not is_working_day(date(2032, 10, 1))
    assert not is_working_day(date(2032, 10, 4)) and not is_working_day(date(2032, 10, 5))
    assert is_working_day(date(2032, 10, 6))
    assert add_working_days(date(2032, 9, 30), 1) == date(2032, 10, 6)
    assert is_working_day(date(2032, 10, 8))  # an ordinary Friday
    assert not is_working_day(date(2032, 10, 9))  # an ordinary Saturday: no 调休 guessed
    assert is_provisional(date(2032, 10, 6)) and not is_provisional(date(2026, 10, 8))


def test_the_law_agrees_with_the_announced_years():
    """The lunar and solar-term computation gives days that the State Council's arrangements
    (chinesecalendar's data) made holidays, for every year since the 2025 decree."""
    for year in (2025, 2026):
        fixed = statutory_holidays(year)
        assert len([name for name in fixed.values() if name is not MADE_UP]) == 13
        for day, name in fixed.items():
            if name is not MADE_UP:
                assert chinese_calendar.is_holiday(day), (day, name)
    with translation.override("zh-hans"):
        names = {day: str(name) for day, name in statutory_holidays(2027).items()}
    assert names[date(2027, 1, 1)] == "元旦"
    # 除夕 Fri 5 Feb – 初三 Mon 8 Feb; Sat and Sun made up on Tue 9 and Wed 10.
    assert [day for day, name in names.items() if name == "春节"] == days(
        date(2027, 2, 5), date(2027, 2, 8)
    )
    assert names[date(2027, 2, 9)] == names[date(2027, 2, 10)] == "节日适逢周末补假"
    assert names[date(2027, 4, 5)] == "清明节"
    assert names[date(2027, 6, 9)] == "端午节"
    assert names[date(2027, 9, 15)] == "中秋节"


def test_table_entries_win_in_a_provisional_year():
    enter(date(2032, 10, 9), WORKDAY, "国庆节调休")
    enter(date(2032, 10, 7), HOLIDAY, "国庆节")
    assert is_working_day(date(2032, 10, 9)) and not is_working_day(date(2032, 10, 7))
    assert not is_working_day(date(2032, 10, 1))  # not entered yet: still the law's holiday
    assert missing_years([2032]) == [2032]  # entering days does not announce the year
    announce(2032)
    assert missing_years([2032]) == [] and not is_provisional(date(2032, 10, 9))


def test_known_and_missing_years(national_day_2031):
    assert {2004, 2026, 2031} <= known_years()
    assert missing_years([2031, 2030, 2026, 2032, 2030]) == [2030, 2032]


def test_one_query_per_call(national_day_2031, django_assert_num_queries):
    with django_assert_num_queries(1):
        is_working_day(date(2031, 10, 1))
    with django_assert_num_queries(1):
        add_working_days(date(2031, 9, 1), 120)  # crosses into 2032
    with django_assert_num_queries(1):
        working_days_between(date(2026, 1, 1), date(2032, 1, 1))
    with django_assert_num_queries(1):
        missing_years(range(2020, 2040))
    cal = WorkingCalendar.load(date(2031, 1, 1), date(2031, 12, 31))
    with django_assert_num_queries(0):
        cal.add_working_days(date(2031, 9, 1), 40)


def test_a_loaded_span_refuses_days_outside_it():
    cal = WorkingCalendar.load(date(2031, 1, 1), date(2031, 12, 31))
    with pytest.raises(ValueError):
        cal.add_working_days(date(2031, 12, 20), 20)


# --- the warning -------------------------------------------------------------------------------


def test_warning_for_a_year_known_to_neither():
    with translation.override("zh-hans"):
        warnings = calendar_warnings(date(2026, 11, 27))
    assert len(warnings) == 1
    assert "2027" in warnings[0]
    assert "法定节假日" in warnings[0]  # says how deadlines are counted meanwhile
    assert "暂定" in warnings[0] and "放假安排" in warnings[0]


def test_next_year_is_warned_about_from_the_first_of_november():
    assert calendar_warnings(date(2026, 10, 31)) == []
    assert len(calendar_warnings(date(2026, 11, 1))) == 1
    assert len(calendar_warnings(date(2026, 12, 31))) == 1


def test_no_warning_once_the_arrangement_is_entered():
    enter(date(2027, 1, 1), HOLIDAY, "元旦")
    assert len(calendar_warnings(date(2026, 11, 27))) == 1  # one day is not the arrangement
    announce(2027)
    assert calendar_warnings(date(2026, 11, 27)) == []
    assert calendar_warnings(date(2026, 3, 1)) == []


def test_warning_for_both_years(national_day_2031):
    warnings = calendar_warnings(date(2029, 11, 2))
    assert len(warnings) == 2 and "2029" in warnings[0] and "2030" in warnings[1]
    assert len(calendar_warnings(date(2029, 6, 1))) == 1  # next year: only from November
    assert len(calendar_warnings(date(2030, 11, 2))) == 1  # 2031 is announced


def test_system_check_reports_missing_years():
    today = date.today()
    expected = missing_years([today.year, today.year + 1])
    messages = check_calendar_is_known(databases=["default"])
    assert len(messages) == len(expected)
    assert all(message.id == "workdays.W001" for message in messages)
    for year in (today.year, today.year + 1):
        enter(date(year, 12, 31), HOLIDAY, "test")
        if year not in known_years([year]):
            announce(year)
    assert check_calendar_is_known(databases=["default"]) == []
    assert check_calendar_is_known() == []  # without databases (plain `check`): no queries


# --- the admin ----------------------------------------------------------------------------------


def test_city_disclosure_office_keeps_the_calendar(client_for, user_named):
    assert user_named("gongkaiban").has_perm("workdays.change_calendarday")
    assert not user_named("xiangyang-office").has_perm("workdays.change_calendarday")
    assert not user_named("xiangyang-editor").has_perm("workdays.change_calendarday")

    client = client_for("gongkaiban")
    response = client.post(
        reverse("wagtailsnippets_workdays_calendarday:add"),
        {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2027, 10, 1)).kind == HOLIDAY
    listing = client.get(reverse("wagtailsnippets_workdays_calendarday:list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "日历条目" in html and "国庆节" in html and "节假日（休息）" in html
    found = client.get(reverse("wagtailsnippets_workdays_calendarday:list"), {"q": "国庆"})
    assert found.status_code == 200 and "国庆节" in found.content.decode()


def test_the_office_records_an_arrangement_only_once_its_days_are_entered(client_for):
    client = client_for("gongkaiban")
    add_url = reverse("wagtailsnippets_workdays_holidayarrangement:add")
    data = {"year": "2027", "notice": "国办发明电〔2026〕12号", "published_on": "2026-11-20"}
    refused = client.post(add_url, data)
    assert refused.status_code == 200
    assert "请先在工作日历中录入2027年的放假日期" in refused.content.decode()
    assert not HolidayArrangement.objects.exists()
    enter(date(2027, 1, 1), HOLIDAY, "元旦")
    assert client.post(add_url, data).status_code == 302
    assert missing_years([2027]) == []
    listing = client.get(reverse("wagtailsnippets_workdays_holidayarrangement:list"))
    assert "国办发明电〔2026〕12号" in listing.content.decode()
    assert client_for("xiangyang-office").get(add_url).status_code in (302, 403)


def test_other_staff_cannot_open_the_calendar(client_for):
    response = client_for("xiangyang-editor").get(
        reverse("wagtailsnippets_workdays_calendarday:list")
    )
    assert response.status_code in (302, 403)


def test_dashboard_warns_the_calendar_keepers(client_for, monkeypatch):
    import workdays.wagtail_hooks

    monkeypatch.setattr(
        workdays.wagtail_hooks, "calendar_warnings", lambda: calendar_warnings(date(2026, 11, 27))
    )
    html = client_for("gongkaiban").get(reverse("wagtailadmin_home")).content.decode()
    assert "2027" in html and "工作日历不完整" in html
    html = client_for("xiangyang-editor").get(reverse("wagtailadmin_home")).content.decode()
    assert "工作日历不完整" not in html
