"""Demo: applications for information in 2026 (through the citizen-services services, so the
clock and events are real) and the 2026 reports of 市发改委 (fgw) and the city (hegang),
generated as drafts that pass the national cross-checks. Idempotent."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from citizen_services import services
from citizen_services.choices import EventKind, Outcome
from citizen_services.models import InformationRequest
from unit_sites.models import UnitPage

from .checks import check_report
from .generation import generate_report

DEMO_YEAR = 2026
DEMO_UNITS = ("fgw", "hegang")


def _id_number(first17):
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    return first17 + check


def _applicant(kind, number, unit):
    person = kind == "natural"
    return {
        "applicant_type": kind,
        "name": f"演示申请人{number}" if person else f"演示单位{number}有限公司",
        "contact_person": "" if person else "王五",
        "id_type": "id_card" if person else "credit_code",
        "id_number": _id_number(f"2304021985010{number:03d}1") if person else unit.org_code,
        "phone": f"1380468{number:04d}",
        "email": "",
        "address": "黑龙江省鹤岗市向阳区红军路1号",
        "description": f"申请公开{unit.display_name}2026年度重点项目资金安排情况（演示{number}）",
        "purpose": "了解政策执行情况",
        "delivery_form": "electronic",
        "delivery_method": "online",
    }


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


D = datetime.date
# (applicant type, received, [(event, date, data)]): one carried over from 2025, replies of
# several kinds, one with a processing fee, one still open at the end of the year.
SCENARIO = [
    ("natural", D(2025, 12, 22), [(EventKind.REPLIED, D(2026, 1, 12), Outcome.DISCLOSED)]),
    ("natural", D(2026, 3, 2), [(EventKind.REPLIED, D(2026, 3, 20), Outcome.DISCLOSED)]),
    ("commercial", D(2026, 4, 7), [(EventKind.REPLIED, D(2026, 4, 28), Outcome.PARTLY_DISCLOSED)]),
    (
        "research",
        D(2026, 5, 11),
        [(EventKind.REPLIED, D(2026, 6, 1), Outcome.WITHHELD_THIRD_PARTY)],
    ),
    (
        "legal_service",
        D(2026, 6, 15),
        [(EventKind.REPLIED, D(2026, 7, 3), Outcome.UNAVAILABLE_NOT_HELD)],
    ),
    ("welfare", D(2026, 7, 6), [(EventKind.REPLIED, D(2026, 7, 20), Outcome.NOT_PROCESSED_REPEAT)]),
    (
        "natural",
        D(2026, 5, 6),
        [
            (EventKind.FEE_NOTICE_SENT, D(2026, 5, 12), {"amount": 100}),
            (EventKind.FEE_PAID, D(2026, 5, 20), None),
            (EventKind.REPLIED, D(2026, 6, 3), Outcome.DISCLOSED),
        ],
    ),
    ("other_org", D(2026, 11, 2), []),
]


def _create_requests(unit, log):
    today = timezone.localdate()
    for number, (kind, received, events) in enumerate(SCENARIO, start=1):
        if received > today:
            continue
        request = services.submit_application(
            unit, _applicant(kind, number, unit), now=_at(received)
        )
        for event, day, value in events:
            if day > today:
                break
            if event == EventKind.REPLIED:
                services.record_event(
                    request,
                    event,
                    day,
                    data={"outcome": value},
                    reply_text="（演示答复）",
                    public_summary="重点项目资金安排情况",
                )
            else:
                services.record_event(request, event, day, data=value)
    log(f"Annual report demo: applications to {unit.display_name} created.")


def load_annual_report_demo(log=print):
    """Create the demo applications where a unit has none for 2026, then generate the 2026
    reports (drafts; publishing is the review workflow's job)."""
    reports = []
    for slug in DEMO_UNITS:
        unit = UnitPage.objects.filter(slug=slug).first()
        if unit is None:
            continue
        with transaction.atomic():
            has_requests = InformationRequest.objects.filter(
                unit=unit, received_on__year__in=(DEMO_YEAR - 1, DEMO_YEAR)
            ).exists()
            if not has_requests:
                _create_requests(unit, log)
    for slug in DEMO_UNITS:
        unit = UnitPage.objects.filter(slug=slug).first()
        if unit is None:
            continue
        try:
            report = generate_report(unit, DEMO_YEAR)
        except ValidationError as error:  # e.g. the report is in review: leave it alone
            log(f"Annual report {DEMO_YEAR} of {unit.display_name}: {'; '.join(error.messages)}")
            continue
        errors = check_report(report.get_latest_revision_as_object())
        state = "passes the cross-checks" if not errors else f"{len(errors)} check error(s)"
        log(f"Annual report {DEMO_YEAR} of {unit.display_name}: draft saved, {state}.")
        reports.append(report)
    return reports
