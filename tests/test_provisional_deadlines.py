"""Deadlines in a year whose holiday arrangement the State Council has not announced yet
(issue 21, item 4): counted on the holidays fixed by law, labelled 暂定 to staff and citizens,
recomputed when the office enters the official arrangement.

Today is Fri 4 Dec 2026; chinesecalendar 1.11 knows 2026 but not 2027. A request received on
Thu 10 Dec 2026 is due 20 working days later: Dec 11 (1), 14–18 (6), 21–25 (11), 28–31 (15),
[Fri 1 Jan 2027: New Year's Day, fixed by law], Jan 4–8 (20) → Fri 8 Jan 2027. Counting Monday
to Friday (the old behaviour) gave Thu 7 Jan, with New Year's Day as a working day."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from citizen_services import services
from citizen_services.models import InformationRequest
from tests.citizen_helpers import APPLY_HOST, APPLY_URL, application_data, inspect_url
from workdays.models import CalendarDay, HolidayArrangement

pytestmark = pytest.mark.django_db

D = datetime.date
PROVISIONAL = "暂定，以国务院公布的放假安排为准"


def beijing(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour - 8, 0)


def tracking_page(citizen, application):
    response = citizen.post(
        APPLY_URL + "track/",
        {"code": application.tracking_code, "phone": "13812345678"},
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    page = citizen.get(location.path, HTTP_HOST=APPLY_HOST)
    assert page.status_code == 200
    return page.content.decode()


def test_a_december_request_gets_a_provisional_due_date_until_the_arrangement_is_entered(
    client_for, django_capture_on_commit_callbacks, mailoutbox
):
    citizen = Client()
    with freeze_time(beijing(D(2026, 12, 10))):
        with django_capture_on_commit_callbacks(execute=True):
            response = citizen.post(APPLY_URL, application_data(), HTTP_HOST=APPLY_HOST)
        assert response.status_code == 302
        # The staff told of it read the provisional note too.
        assert mailoutbox and all(
            f"2027-01-08（{PROVISIONAL}）" in message.body for message in mailoutbox
        )
        application = InformationRequest.objects.get(name="张三")
        assert application.received_on == D(2026, 12, 10)
        assert application.due_date == D(2027, 1, 8)  # skips New Year's Day 2027
        receipt = citizen.get(urlsplit(response["Location"]).path, HTTP_HOST=APPLY_HOST)
        assert "2027-01-08" in receipt.content.decode()
        assert PROVISIONAL in receipt.content.decode()
        html = tracking_page(citizen, application)
        assert "2027-01-08" in html and PROVISIONAL in html

        office = client_for("gongkaiban")
        inspect = office.get(inspect_url(application)).content.decode()
        assert "2027-01-08" in inspect and PROVISIONAL in inspect

    # The State Council's notice (a made-up arrangement for the test: New Year 1–3 Jan and
    # Mon 4 Jan off) is entered by the office through the admin.
    with freeze_time(beijing(D(2026, 12, 15))):
        office = client_for("gongkaiban")  # a new day, a new sign-in
        add_day = reverse("wagtailsnippets_workdays_calendarday:add")
        for day in ("2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"):
            response = office.post(add_day, {"date": day, "kind": "holiday", "name": "元旦"})
            assert response.status_code == 302
        assert CalendarDay.objects.filter(date__year=2027).count() == 4
        application.refresh_from_db()
        assert application.due_date == D(2027, 1, 11)  # recomputed on entering the days
        html = tracking_page(citizen, application)
        assert "2027-01-11" in html and PROVISIONAL in html  # not announced in full yet

        response = office.post(
            reverse("wagtailsnippets_workdays_holidayarrangement:add"),
            {"year": "2027", "notice": "国办发明电〔2026〕12号", "published_on": "2026-12-12"},
        )
        assert response.status_code == 302
        assert HolidayArrangement.objects.filter(year=2027).exists()
        html = tracking_page(citizen, application)
        assert "2027-01-11" in html and PROVISIONAL not in html


def test_open_complaints_are_recomputed_and_closed_ones_are_not(db):
    with freeze_time(beijing(D(2026, 12, 17))):
        complaint = services.submit_complaint(
            InformationRequest._meta.get_field("unit").related_model.objects.get(slug="luobei-jyj"),
            {
                "category": "complaint",
                "name": "李四",
                "phone": "13900001111",
                "subject": "网页打不开",
                "content": "栏目链接失效。",
            },
        )
    # Dec 18 (1), 21–25 (6), 28–31 (10), [1 Jan], Jan 4–8 (15)
    assert complaint.due_date == D(2027, 1, 8)
    CalendarDay.objects.create(date=D(2027, 1, 4), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    complaint.refresh_from_db()
    assert complaint.due_date == D(2027, 1, 11)
    # An entry before the deadlines' span moves nothing and recomputes nothing.
    assert services.recompute_open_deadlines(D(2027, 2, 1)) == 0
    day = CalendarDay.objects.get(date=D(2027, 1, 4))
    day.delete()
    complaint.refresh_from_db()
    assert complaint.due_date == D(2027, 1, 8)
