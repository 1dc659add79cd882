"""The statutory clock of an application for information (2019 Regulations Art. 30–33, and
国办函〔2020〕109号 for processing fees).

A pure service: the state and due date follow from the request's events (anything with
`kind`, `date` and optionally `data`) and the working-day calendar, nothing else. It also
refuses an event that the rules do not allow at that point (`ClockError`), so the admin and the
tests share one definition of the rules.

The rules, all counted in working days with the start day not counted (workdays.calendar):

- reply within 20 working days of receipt;
- a clarification request (补正) must be sent within 7 working days of receipt; the clock stops
  until the clarification arrives and then starts again from that day, in full;
- third-party consultation does not count: the clock pauses from the day the request is sent to
  the day the answer arrives, at most 15 working days (after that the organ decides alone,
  Art. 32, so a late answer pauses no longer);
- one extension of 20 working days, approved by the head of the disclosure office before the
  time limit runs out;
- a fee notice pauses the clock until the fee is paid; unpaid 20 working days after the notice,
  the application counts as abandoned (其他处理 / 逾期未缴费).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workdays.calendar import WorkingCalendar

from .choices import EventKind, Outcome, Status

REPLY_LIMIT = 20
CLARIFICATION_WINDOW = 7
CONSULTATION_LIMIT = 15
EXTENSION = 20
PAYMENT_WINDOW = 20


class ClockError(ValueError):
    """An event the rules do not allow at this point; the message is shown as it is."""


@dataclass(frozen=True)
class Step:
    """One event and what it did to the clock."""

    kind: str
    date: datetime.date
    effect: str
    due: datetime.date | None  # the due date after this event
    provisional: bool = False


@dataclass
class Clock:
    status: str | None = None
    received_on: datetime.date | None = None
    running_since: datetime.date | None = None  # None while the clock is stopped or paused
    remaining: int = REPLY_LIMIT  # working days left, counted from running_since
    due: datetime.date | None = None
    # The due date still depends on a third party's answer or the applicant's payment: it is
    # the latest it can be (the pause used in full).
    provisional: bool = False
    clarification_by: datetime.date | None = None
    clarification_requested_on: datetime.date | None = None
    consultations_open: int = 0
    consultation_until: datetime.date | None = None
    extension_requested: bool = False
    extended: bool = False
    fee_notice_on: datetime.date | None = None
    payment_by: datetime.date | None = None
    replied_on: datetime.date | None = None
    outcome: str = ""
    on_time: bool | None = None
    closed_on: datetime.date | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def is_open(self):
        return self.status in Status.open()

    def overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due is not None and today > self.due

    def payment_lapsed(self, today: datetime.date) -> bool:
        return self.status == Status.AWAITING_PAYMENT and today > self.payment_by


def _data(event) -> dict:
    return getattr(event, "data", None) or {}


def compute(events, calendar: WorkingCalendar | None = None) -> Clock:
    """The clock after `events`, in the order they were recorded (dates never go back)."""
    events = list(events)
    if calendar is None and events:
        calendar = WorkingCalendar.load(first=min(event.date for event in events))
    clock = Clock()
    previous = None
    for event in events:
        if previous is not None and event.date < previous:
            raise ClockError(
                _("The date cannot be before the previous event (%(date)s).")
                % {"date": previous.isoformat()}
            )
        effect = _apply(clock, event, calendar)
        _update_due(clock, calendar)
        clock.steps.append(Step(event.kind, event.date, effect, clock.due, clock.provisional))
        previous = event.date
    return clock


def _pause(clock, day, calendar):
    """Stop the running clock on `day`, keeping what is left of the limit."""
    clock.remaining -= calendar.working_days_between(clock.running_since, day)
    clock.running_since = None


def _update_due(clock, calendar):
    if clock.status in (Status.REPLIED, Status.CLOSED):
        return  # the due date at the reply is kept for the record (on time or late)
    clock.provisional = False
    if clock.status == Status.PROCESSING:
        clock.due = calendar.add_working_days(clock.running_since, clock.remaining)
    elif clock.status == Status.CONSULTING:
        clock.due = calendar.add_working_days(clock.consultation_until, clock.remaining)
        clock.provisional = True
    elif clock.status == Status.AWAITING_PAYMENT:
        clock.due = calendar.add_working_days(clock.payment_by, clock.remaining)
        clock.provisional = True
    else:  # awaiting clarification: the clock starts afresh when it arrives
        clock.due = None


def _apply(clock: Clock, event, calendar: WorkingCalendar) -> str:
    kind, day = event.kind, event.date
    if clock.status is None:
        if kind != EventKind.RECEIVED:
            raise ClockError(_("The first event of an application is its receipt."))
    elif kind == EventKind.RECEIVED:
        raise ClockError(_("The application has already been received."))
    elif not clock.is_open and kind != EventKind.CLOSED:
        raise ClockError(_("The application has been replied to; it can only be closed."))

    if kind == EventKind.RECEIVED:
        clock.status = Status.PROCESSING
        clock.received_on = clock.running_since = day
        clock.remaining = REPLY_LIMIT
        clock.clarification_by = calendar.add_working_days(day, CLARIFICATION_WINDOW)
        return _("The clock starts: %(n)s working days.") % {"n": REPLY_LIMIT}

    if kind == EventKind.CLARIFICATION_REQUESTED:
        if clock.clarification_requested_on is not None:
            raise ClockError(_("Clarification can be requested only once, for everything at once."))
        if clock.status != Status.PROCESSING:
            raise ClockError(
                _("Clarification can only be requested while the application is being processed.")
            )
        if day > clock.clarification_by:
            raise ClockError(
                _(
                    "A clarification request must be sent within %(n)s working days of receipt, "
                    "that is by %(date)s."
                )
                % {"n": CLARIFICATION_WINDOW, "date": clock.clarification_by.isoformat()}
            )
        clock.clarification_requested_on = day
        clock.status = Status.AWAITING_CLARIFICATION
        clock.running_since = None
        return _("The clock stops until the clarification is received.")

    if kind == EventKind.CLARIFICATION_RECEIVED:
        if clock.status != Status.AWAITING_CLARIFICATION:
            raise ClockError(_("No clarification has been requested."))
        clock.status = Status.PROCESSING
        clock.running_since = day
        clock.remaining = REPLY_LIMIT
        clock.extended = clock.extension_requested = False
        return _("The clock starts again: %(n)s working days from this day.") % {"n": REPLY_LIMIT}

    if kind == EventKind.CONSULTATION_SENT:
        if clock.status not in (Status.PROCESSING, Status.CONSULTING):
            raise ClockError(
                _("A third party can only be consulted while the application is being processed.")
            )
        if clock.status == Status.PROCESSING:
            _pause(clock, day, calendar)
            clock.status = Status.CONSULTING
        clock.consultations_open += 1
        until = calendar.add_working_days(day, CONSULTATION_LIMIT)
        clock.consultation_until = max(clock.consultation_until or until, until)
        return _(
            "The clock pauses while the third party answers (at most %(n)s working days, until %(date)s)."
        ) % {
            "n": CONSULTATION_LIMIT,
            "date": clock.consultation_until.isoformat(),
        }

    if kind == EventKind.CONSULTATION_ANSWERED:
        if clock.status != Status.CONSULTING or clock.consultations_open < 1:
            raise ClockError(_("No third-party consultation is waiting for an answer."))
        clock.consultations_open -= 1
        if clock.consultations_open:
            return _("One answer received; the clock stays paused for the others.")
        resume = min(day, clock.consultation_until)
        clock.consultation_until = None
        clock.status = Status.PROCESSING
        clock.running_since = resume
        if resume < day:
            return _(
                "The answer came after the %(n)s working days; the clock ran again from %(date)s."
            ) % {
                "n": CONSULTATION_LIMIT,
                "date": resume.isoformat(),
            }
        return _("The clock runs again.")

    if kind == EventKind.EXTENSION_REQUESTED:
        if clock.extended or clock.extension_requested:
            raise ClockError(_("The time limit can be extended only once."))
        if clock.status == Status.AWAITING_CLARIFICATION:
            raise ClockError(_("The clock is stopped until the clarification is received."))
        clock.extension_requested = True
        return _("Waiting for the head of the disclosure office to approve.")

    if kind == EventKind.EXTENSION_APPROVED:
        if clock.extended:
            raise ClockError(_("The time limit can be extended only once."))
        if not clock.extension_requested:
            raise ClockError(_("No extension has been requested."))
        if clock.due is not None and day > clock.due:
            raise ClockError(
                _("An extension must be approved before the time limit ends (%(date)s).")
                % {"date": clock.due.isoformat()}
            )
        clock.extended = True
        clock.remaining += EXTENSION
        return _("The time limit is extended by %(n)s working days.") % {"n": EXTENSION}

    if kind == EventKind.FEE_NOTICE_SENT:
        if clock.fee_notice_on is not None:
            raise ClockError(_("A fee notice has already been sent for this application."))
        if clock.status != Status.PROCESSING:
            raise ClockError(_("A fee notice can only be sent while the clock runs."))
        _pause(clock, day, calendar)
        clock.status = Status.AWAITING_PAYMENT
        clock.fee_notice_on = day
        clock.payment_by = calendar.add_working_days(day, PAYMENT_WINDOW)
        return _("The clock pauses until the fee is paid (by %(date)s).") % {
            "date": clock.payment_by.isoformat()
        }

    if kind == EventKind.FEE_PAID:
        if clock.status != Status.AWAITING_PAYMENT:
            raise ClockError(_("No fee is waiting to be paid."))
        if day > clock.payment_by:
            raise ClockError(
                _(
                    "The fee had to be paid by %(date)s; the application counts as abandoned. "
                    "Reply with “fee not paid within the time limit”."
                )
                % {"date": clock.payment_by.isoformat()}
            )
        clock.status = Status.PROCESSING
        clock.running_since = day
        return _("The clock runs again.")

    if kind == EventKind.REPLIED:
        outcome = _data(event).get("outcome", "")
        if outcome not in Outcome.values:
            raise ClockError(_("Choose the type of reply."))
        clock.on_time = clock.due is None or day <= clock.due
        clock.status = Status.REPLIED
        clock.replied_on = day
        clock.outcome = outcome
        clock.running_since = None
        return _("Replied on time.") if clock.on_time else _("Replied late.")

    if kind == EventKind.CLOSED:
        if clock.status != Status.REPLIED:
            raise ClockError(_("Only a replied application can be closed."))
        clock.status = Status.CLOSED
        clock.closed_on = day
        return _("Closed.")

    raise ClockError(_("Unknown event “%(kind)s”.") % {"kind": kind})
