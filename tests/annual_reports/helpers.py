"""Building applications for information on given dates, through the citizen-services services."""

import datetime

from freezegun import freeze_time

from citizen_services import services
from citizen_services.choices import EventKind
from tests.citizen_helpers import application_data, id_number
from unit_sites.models import UnitPage

D = datetime.date


def beijing(day, hour=10):
    """A moment on `day` in Beijing, for freezegun (which takes UTC)."""
    return datetime.datetime(day.year, day.month, day.day, hour - 8, 0)


_numbers = iter(range(100, 999))


def make_request(unit_slug, applicant_type, received, replied=None, outcome=None, events=()):
    """An application received on `received`, with optional events, replied on `replied`."""
    unit = UnitPage.objects.get(slug=unit_slug)
    person = applicant_type == "natural"
    data = application_data(
        applicant_type=applicant_type,
        email="",
        id_type="id_card" if person else "credit_code",
        id_number=id_number(f"23040219900307{next(_numbers)}") if person else unit.org_code,
        contact_person="" if person else "李四",
    )
    with freeze_time(beijing(received)):
        request = services.submit_application(unit, data)
    for kind, day, event_data in events:
        with freeze_time(beijing(day)):
            services.record_event(request, kind, day, data=event_data)
    if replied:
        with freeze_time(beijing(replied)):
            services.record_event(
                request, EventKind.REPLIED, replied, data={"outcome": outcome}, reply_text="答复"
            )
    request.refresh_from_db()
    return request
