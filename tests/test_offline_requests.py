"""Applications received at the counter, by letter, fax or e-mail (issue 21, item 2): staff of
the unit record them with the day they were received; they run on the same clock, join the
register and the public log under their channel, and the applicant follows them with the
tracking code and phone.

Dates: Mon 30 Nov 2026 (chinesecalendar's 2026 data), recorded on Fri 4 Dec 2026. 20 working
days after 30 Nov: Dec 1–4 (4), 7–11 (9), 14–18 (14), 21–25 (19), Mon 28 Dec (20)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from citizen_services.choices import Channel, EventKind
from citizen_services.models import InformationRequest
from tests.citizen_helpers import (
    APPLY_HOST,
    APPLY_URL,
    REGISTER_URL,
    application_data,
    assert_denied,
    small_pdf,
)
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db

D = datetime.date
RECORD_URL = "/admin/citizen/requests/record/"


def offline_data(unit, **changes):
    data = application_data()
    data.pop("website")
    data.update(unit=str(unit.pk), channel="letter", received_on="2026-11-30")
    data.update(changes)
    return data


def test_a_letter_recorded_by_the_unit_keeps_its_received_date_and_runs_the_clock(
    client_for, user_named
):
    editor = client_for("luobei-jyj-editor")
    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time("2026-12-04 02:00"):
        assert editor.get(RECORD_URL).status_code == 200
        scan = SimpleUploadedFile(
            "letter.pdf", small_pdf().getvalue(), content_type="application/pdf"
        )
        response = editor.post(RECORD_URL, {**offline_data(unit), "attachments": scan})
        assert response.status_code == 302, response.content.decode()[:3000]
    application = InformationRequest.objects.get(name="张三")
    assert application.unit == unit
    assert application.channel == Channel.LETTER
    assert application.received_on == D(2026, 11, 30)
    assert application.due_date == D(2026, 12, 28)
    assert application.recorded_by.username == "luobei-jyj-editor"
    assert [e.kind for e in application.events.all()] == [EventKind.RECEIVED]
    assert application.events.get().date == D(2026, 11, 30)
    assert application.attachments.count() == 1

    # The register lists it and filters by channel.
    register = editor.get(reverse(REGISTER_URL), {"channel": "letter"})
    assert application.tracking_code in register.content.decode()
    assert "信函" in register.content.decode()
    assert (
        application.tracking_code
        not in editor.get(reverse(REGISTER_URL), {"channel": "online"}).content.decode()
    )

    # The public log counts it under its channel, without personal data.
    log = Client().get(APPLY_URL + "log/", HTTP_HOST=APPLY_HOST).content.decode()
    assert "信函申请 1" in log and "张三" not in log

    # The applicant follows it with the tracking code and phone.
    with freeze_time("2026-12-04 02:00"):
        citizen = Client()
        response = citizen.post(
            APPLY_URL + "track/",
            {"code": application.tracking_code, "phone": "13812345678"},
            HTTP_HOST=APPLY_HOST,
        )
        assert response.status_code == 302
        status = citizen.get(urlsplit(response["Location"]).path, HTTP_HOST=APPLY_HOST)
        assert "2026-12-28" in status.content.decode()


def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client_for, user_named):
    editor = client_for("luobei-jyj-editor")
    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time("2026-12-04 02:00"):
        future = editor.post(RECORD_URL, offline_data(unit, received_on="2026-12-07"))
        assert future.status_code == 200 and "日期不能晚于今天" in future.content.decode()
        online = editor.post(RECORD_URL, offline_data(unit, channel="online"))
        assert online.status_code == 200
        other = UnitPage.objects.get(slug="luobei-nyj")  # another unit of the county
        foreign = editor.post(RECORD_URL, offline_data(other))
        assert foreign.status_code == 200
    assert not InformationRequest.objects.filter(name="张三").exists()


def test_without_a_phone_it_is_recorded_but_cannot_be_followed_online(client_for, user_named):
    editor = client_for("luobei-jyj-editor")
    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time("2026-12-04 02:00"):
        response = editor.post(RECORD_URL, offline_data(unit, phone="", channel="in_person"))
        assert response.status_code == 302
    application = InformationRequest.objects.get(name="张三")
    assert application.phone == "" and application.channel == Channel.IN_PERSON
    response = Client().post(
        APPLY_URL + "track/",
        {"code": application.tracking_code, "phone": ""},
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 200  # no match, whatever is typed


def test_the_public_form_still_requires_a_phone():
    response = Client().post(APPLY_URL, application_data(phone=""), HTTP_HOST=APPLY_HOST)
    assert response.status_code == 200
    assert not InformationRequest.objects.filter(name="张三").exists()


def test_only_the_units_staff_record(client_for):
    assert_denied(client_for("luobei-jyj-secrecy").get(RECORD_URL))  # no handler of requests
    response = Client().get(RECORD_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
