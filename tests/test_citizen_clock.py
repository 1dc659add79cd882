"""The statutory clock of applications (citizen_services.clock) and the fee scales, on concrete
dates across the official 2026 holidays and a year entered by hand in the calendar table.

The 2026 days below were printed from chinesecalendar 1.11, not guessed:
  Spring Festival: Sat 14 Feb a working day; Sun 15 – Mon 23 Feb holidays; Sat 28 Feb a working day.
  Tomb-sweeping: Sat 4 – Mon 6 Apr holidays.
  Mid-autumn: Fri 25 – Sun 27 Sep holidays; Sun 20 Sep a working day (for National Day).
  National Day: Thu 1 – Wed 7 Oct holidays; Sat 10 Oct a working day.
"""

import datetime
from types import SimpleNamespace

import chinese_calendar
import pytest

from citizen_services.choices import EventKind, Outcome, Status
from citizen_services.clock import ClockError, compute
from citizen_services.fees import per_page_fee, per_request_fee
from workdays.calendar import WorkingCalendar
from workdays.models import CalendarDay

D = datetime.date


def ev(kind, day, **data):
    return SimpleNamespace(kind=kind, date=day, data=data)


@pytest.fixture
def calendar():
    """The package's calendar only (no table entries): these tests need no database."""
    return WorkingCalendar({}, None, None)


def test_the_printed_2026_holidays_are_the_packages():
    assert chinese_calendar.is_workday(D(2026, 2, 14))  # Saturday make-up day
    assert not chinese_calendar.is_workday(D(2026, 2, 16))
    assert not chinese_calendar.is_workday(D(2026, 2, 23))  # Monday, still Spring Festival
    assert chinese_calendar.is_workday(D(2026, 2, 28))
    assert chinese_calendar.is_workday(D(2026, 9, 20))  # Sunday make-up day
    assert not chinese_calendar.is_workday(D(2026, 9, 25))
    assert not chinese_calendar.is_workday(D(2026, 10, 7))
    assert chinese_calendar.is_workday(D(2026, 10, 10))


def test_twenty_working_days_across_spring_festival(calendar):
    clock = compute([ev(EventKind.RECEIVED, D(2026, 2, 2))], calendar)
    # Feb 3–6, 9–13, Sat 14 (10), [15–23 off], 24–27, Sat 28 (15), Mar 2–6 (20)
    assert clock.due == D(2026, 3, 6)
    assert clock.status == Status.PROCESSING
    assert clock.clarification_by == D(2026, 2, 11)


def test_clarification_restarts_the_clock(calendar):
    events = [
        ev(EventKind.RECEIVED, D(2026, 2, 2)),
        ev(EventKind.CLARIFICATION_REQUESTED, D(2026, 2, 4)),
    ]
    clock = compute(events, calendar)
    assert clock.status == Status.AWAITING_CLARIFICATION
    assert clock.due is None
    clock = compute([*events, ev(EventKind.CLARIFICATION_RECEIVED, D(2026, 2, 13))], calendar)
    # 20 full working days from Fri 13 Feb: Sat 14 (1), Feb 24–28 (2–6), Mar 2–6, 9–13, 16–19
    assert clock.due == D(2026, 3, 19)
    assert clock.status == Status.PROCESSING


def test_clarification_after_seven_working_days_is_refused(calendar):
    with pytest.raises(ClockError, match="2026-02-11"):
        compute(
            [
                ev(EventKind.RECEIVED, D(2026, 2, 2)),
                ev(EventKind.CLARIFICATION_REQUESTED, D(2026, 2, 12)),
            ],
            calendar,
        )


def test_consultation_pauses_and_extension_adds_twenty_days(calendar):
    events = [
        ev(EventKind.RECEIVED, D(2026, 2, 2)),
        ev(EventKind.CLARIFICATION_REQUESTED, D(2026, 2, 4)),
        ev(EventKind.CLARIFICATION_RECEIVED, D(2026, 2, 13)),
        ev(EventKind.CONSULTATION_SENT, D(2026, 2, 25)),  # 3 working days used: 17 left
    ]
    clock = compute(events, calendar)
    assert clock.status == Status.CONSULTING
    assert clock.remaining == 17
    assert clock.consultation_until == D(2026, 3, 17)  # 15 working days after 25 Feb
    # At the latest: 17 working days after 17 Mar, across Tomb-sweeping (4–6 Apr)
    assert clock.provisional and clock.due == D(2026, 4, 10)

    events.append(ev(EventKind.CONSULTATION_ANSWERED, D(2026, 3, 5)))
    clock = compute(events, calendar)
    assert clock.due == D(2026, 3, 30)  # 17 working days after 5 Mar
    assert not clock.provisional

    events += [
        ev(EventKind.EXTENSION_REQUESTED, D(2026, 3, 23)),
        ev(EventKind.EXTENSION_APPROVED, D(2026, 3, 25)),
    ]
    clock = compute(events, calendar)
    assert clock.extended
    # 20 more working days after 30 Mar, skipping Tomb-sweeping: Mar 31, Apr 1–3, 7–10, …, 28
    assert clock.due == D(2026, 4, 28)

    events.append(ev(EventKind.REPLIED, D(2026, 4, 20), outcome=Outcome.DISCLOSED))
    clock = compute(events, calendar)
    assert clock.status == Status.REPLIED and clock.on_time
    assert clock.due == D(2026, 4, 28)  # kept for the record
    assert [step.due for step in clock.steps] == [
        D(2026, 3, 6),
        None,
        D(2026, 3, 19),
        D(2026, 4, 10),
        D(2026, 3, 30),
        D(2026, 3, 30),
        D(2026, 4, 28),
        D(2026, 4, 28),
    ]


def test_a_late_third_party_answer_pauses_only_fifteen_days(calendar):
    clock = compute(
        [
            ev(EventKind.RECEIVED, D(2026, 3, 2)),
            ev(EventKind.CONSULTATION_SENT, D(2026, 3, 4)),  # 2 used, 18 left
            ev(EventKind.CONSULTATION_ANSWERED, D(2026, 4, 20)),  # after 25 Mar, the limit
        ],
        calendar,
    )
    assert clock.running_since == D(2026, 3, 25)
    # 18 working days after 25 Mar: 26–31 (4), Apr 1–3 (7), [4–6 off], 7–10 (11), 13–17 (16), 20–21
    assert clock.due == D(2026, 4, 21)


def test_national_day_with_make_up_days_and_extension(calendar):
    events = [ev(EventKind.RECEIVED, D(2026, 9, 18))]
    # Sun 20 Sep (1), 21–24 (5), [25–27 off], 28–30 (8), [Oct 1–7 off], 8, 9, Sat 10 (11), 12–16, 19–22
    assert compute(events, calendar).due == D(2026, 10, 22)
    events += [
        ev(EventKind.EXTENSION_REQUESTED, D(2026, 10, 19)),
        ev(EventKind.EXTENSION_APPROVED, D(2026, 10, 21)),
    ]
    assert compute(events, calendar).due == D(2026, 11, 19)


def test_extension_only_once_and_only_before_the_due_date(calendar):
    received = [ev(EventKind.RECEIVED, D(2026, 9, 18))]
    with pytest.raises(ClockError, match="2026-10-22"):
        compute(
            [
                *received,
                ev(EventKind.EXTENSION_REQUESTED, D(2026, 10, 20)),
                ev(EventKind.EXTENSION_APPROVED, D(2026, 10, 23)),
            ],
            calendar,
        )
    with pytest.raises(ClockError):
        compute(
            [
                *received,
                ev(EventKind.EXTENSION_REQUESTED, D(2026, 10, 19)),
                ev(EventKind.EXTENSION_APPROVED, D(2026, 10, 20)),
                ev(EventKind.EXTENSION_REQUESTED, D(2026, 10, 21)),
            ],
            calendar,
        )
    with pytest.raises(ClockError):  # approval without a request
        compute([*received, ev(EventKind.EXTENSION_APPROVED, D(2026, 10, 19))], calendar)


def test_fee_notice_pauses_until_payment(calendar):
    events = [
        ev(EventKind.RECEIVED, D(2026, 9, 18)),
        ev(EventKind.FEE_NOTICE_SENT, D(2026, 9, 28), amount=100),  # 6 used: 14 left
    ]
    clock = compute(events, calendar)
    assert clock.status == Status.AWAITING_PAYMENT
    assert clock.remaining == 14
    # 20 working days after 28 Sep: 29, 30, Oct 8, 9, Sat 10, 12–16, 19–23, 26–30
    assert clock.payment_by == D(2026, 10, 30)
    assert not clock.payment_lapsed(D(2026, 10, 30))
    assert clock.payment_lapsed(D(2026, 11, 2))

    clock = compute([*events, ev(EventKind.FEE_PAID, D(2026, 10, 9))], calendar)
    assert clock.status == Status.PROCESSING
    assert clock.due == D(2026, 10, 28)  # 14 working days after 9 Oct (Sat 10 Oct counts)

    with pytest.raises(ClockError, match="2026-10-30"):
        compute([*events, ev(EventKind.FEE_PAID, D(2026, 11, 2))], calendar)


def test_events_out_of_order_are_refused(calendar):
    with pytest.raises(ClockError):
        compute([ev(EventKind.CLARIFICATION_REQUESTED, D(2026, 2, 4))], calendar)
    with pytest.raises(ClockError):
        compute(
            [ev(EventKind.RECEIVED, D(2026, 2, 4)), ev(EventKind.CONSULTATION_SENT, D(2026, 2, 3))],
            calendar,
        )
    with pytest.raises(ClockError):  # reply without its type
        compute(
            [ev(EventKind.RECEIVED, D(2026, 2, 4)), ev(EventKind.REPLIED, D(2026, 2, 5))], calendar
        )
    with pytest.raises(ClockError):  # nothing after the reply but closing
        compute(
            [
                ev(EventKind.RECEIVED, D(2026, 2, 4)),
                ev(EventKind.REPLIED, D(2026, 2, 5), outcome=Outcome.DISCLOSED),
                ev(EventKind.CONSULTATION_SENT, D(2026, 2, 6)),
            ],
            calendar,
        )


def test_late_reply_is_recorded_as_late(calendar):
    clock = compute(
        [
            ev(EventKind.RECEIVED, D(2026, 2, 2)),
            ev(EventKind.REPLIED, D(2026, 3, 9), outcome=Outcome.WITHHELD_STATE_SECRET),
        ],
        calendar,
    )
    assert clock.on_time is False
    assert clock.outcome == "withheld_secret"


# --- a year the package does not know, entered by hand ---------------------------------------

SPRING_2031 = {
    D(2031, 1, 18): CalendarDay.Kind.WORKDAY,  # Saturday make-up day
    **{D(2031, 1, day): CalendarDay.Kind.HOLIDAY for day in range(22, 29)},  # Wed 22 – Tue 28
    D(2031, 2, 8): CalendarDay.Kind.WORKDAY,  # Saturday make-up day
}


@pytest.fixture
def year_2031(db):
    for day, kind in SPRING_2031.items():
        CalendarDay.objects.create(date=day, kind=kind, name="春节")


def test_hand_entered_year(year_2031):
    received = [ev(EventKind.RECEIVED, D(2031, 1, 13))]
    # Jan 14–17, Sat 18 (5), 20, 21 (7), [22–28 off], 29–31 (10), Feb 3–7 (15), Sat 8, 10–13 (20)
    assert compute(received).due == D(2031, 2, 13)
    events = [
        *received,
        ev(EventKind.CONSULTATION_SENT, D(2031, 1, 21)),  # 7 used: 13 left
        ev(EventKind.CONSULTATION_ANSWERED, D(2031, 1, 30)),
    ]
    # 13 working days after 30 Jan: Jan 31, Feb 3–7, Sat 8, 10–14, 17
    assert compute(events).due == D(2031, 2, 17)


def test_without_the_table_2031_counts_the_holidays_fixed_by_law(db):
    # Spring Festival 2031 by law: 除夕 Wed 22 – 初三 Sat 25 Jan, Saturday made up on Mon 27.
    # Jan 14–17, 20, 21 (6); 22–25 and 27 off; 28–31 (10), Feb 3–7 (15), 10–14 (20).
    assert compute([ev(EventKind.RECEIVED, D(2031, 1, 13))]).due == D(2031, 2, 14)


# --- fees (国办函〔2020〕109号) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("nth", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_per_request_fee(nth, fee):
    assert per_request_fee(nth) == fee


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_page_fee(pages, fee):
    assert per_page_fee(pages) == fee
