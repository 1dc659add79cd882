"""Applications for information (依申请公开) end to end: the public form on a unit's section,
the register in the admin (HTTP views), the clock across the 2026 holidays, public tracking.

Dates: see tests/test_citizen_clock.py for the 2026 holidays (printed from chinesecalendar)."""

import datetime
import io
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from PIL import Image

from citizen_services import services
from citizen_services.choices import EventKind, Outcome, Status
from citizen_services.models import InformationRequest
from citizen_services.tasks import retry_notifications
from citizen_services.wagtail_hooks import InformationRequestAdmin
from tests.citizen_helpers import (
    APPLY_HOST,
    APPLY_URL,
    PERSON_ID,
    REGISTER_URL,
    application_data,
    assert_denied,
    event_url,
    inspect_url,
    jpeg_with_exif,
    small_pdf,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the (process-wide) cache."""
    cache.clear()
    yield
    cache.clear()


def beijing(day, hour=10):
    """A moment on `day` in Beijing, for freezegun (which takes UTC)."""
    return datetime.datetime(day.year, day.month, day.day, hour - 8, 0)


def as_date(value):
    """openpyxl reads a date cell as a date or a datetime, depending on its number format."""
    return value.date() if isinstance(value, datetime.datetime) else value


def path_of(location):
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def submit(client, **changes):
    return client.post(APPLY_URL, application_data(**changes), HTTP_HOST=APPLY_HOST)


def staff_post(user, url, data, day):
    client = Client()
    client.force_login(user)
    with freeze_time(beijing(day)):
        return client.post(url, {"date": day.isoformat(), **data})


def test_application_from_the_form_through_the_clock_to_public_tracking(
    user_named, django_capture_on_commit_callbacks
):
    editor = user_named("luobei-jyj-editor")
    citizen = Client()

    # Mon 2 Feb 2026: filed on the unit's section of the county site, no login.
    with freeze_time(beijing(D(2026, 2, 2))):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(citizen)
        assert response.status_code == 302
        application = InformationRequest.objects.get(name="张三")
        assert application.unit.slug == "luobei-jyj"
        assert application.received_on == D(2026, 2, 2)
        assert application.due_date == D(2026, 3, 6)  # across the Spring Festival
        receipt = citizen.get(path_of(response["Location"]), HTTP_HOST=APPLY_HOST)
        html = receipt.content.decode()
        assert receipt.status_code == 200
        assert application.tracking_code in html and "2026-03-06" in html
        assert PERSON_ID not in html and "138****5678" in html  # masked even on the receipt
        assert "no-cache" in receipt["Cache-Control"]

    # The unit's editors and reviewers and the offices above it are told, without personal data.
    notified = {address for message in mail.outbox for address in message.to}
    assert {
        "luobei-jyj-editor@example.gov.cn",
        "luobei-jyj-reviewer@example.gov.cn",
        "luobei-office@example.gov.cn",
        "gongkaiban@example.gov.cn",
    } <= notified
    assert "luobei-nyj-editor@example.gov.cn" not in notified
    for message in mail.outbox:
        assert application.tracking_code in message.subject + message.body
        assert "张三" not in message.body and "13812345678" not in message.body
    application.refresh_from_db()
    assert application.notified_at is not None
    mail.outbox.clear()

    # Wed 4 Feb: clarification requested (within 7 working days); the clock stops.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_post(
            editor,
            event_url(application, EventKind.CLARIFICATION_REQUESTED),
            {"message": "请说明所需材料的年份范围。"},
            D(2026, 2, 4),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CLARIFICATION
    assert application.due_date is None
    assert [m.to for m in mail.outbox] == [["zhangsan@example.com"]]
    assert "请说明所需材料的年份范围" in mail.outbox[0].body

    # Fri 13 Feb: the applicant sends the clarification through the tracking page.
    with freeze_time(beijing(D(2026, 2, 13))):
        response = citizen.post(
            APPLY_URL + "track/",
            {"code": application.tracking_code.lower().replace("-", " "), "phone": "138-1234-5678"},
            HTTP_HOST=APPLY_HOST,
        )
        assert response.status_code == 302
        status_page = citizen.get(path_of(response["Location"]), HTTP_HOST=APPLY_HOST)
        assert "请说明所需材料的年份范围" in status_page.content.decode()
        assert 'name="text"' in status_page.content.decode()  # the clarification form
        response = citizen.post(
            APPLY_URL + f"track/{application.tracking_code}/clarify/",
            {"text": "2025年度的方案。"},
            HTTP_HOST=APPLY_HOST,
        )
        assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PROCESSING
    assert application.due_date == D(2026, 3, 19)  # 20 full working days from 13 Feb

    # Wed 25 Feb: a third party is consulted; the clock pauses (at most 15 working days).
    response = staff_post(
        editor,
        event_url(application, EventKind.CONSULTATION_SENT),
        {"note": "向相关学校征求意见"},
        D(2026, 2, 25),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CONSULTING
    assert application.due_date == D(2026, 4, 10)  # at the latest, across Tomb-sweeping

    # Thu 5 Mar: the answer; the clock runs again with its 17 remaining days.
    staff_post(editor, event_url(application, EventKind.CONSULTATION_ANSWERED), {}, D(2026, 3, 5))
    application.refresh_from_db()
    assert application.due_date == D(2026, 3, 30)

    # Mon 23 Mar: the unit asks for an extension; only the disclosure office may approve it.
    staff_post(
        editor,
        event_url(application, EventKind.EXTENSION_REQUESTED),
        {"note": "材料较多"},
        D(2026, 3, 23),
    )
    assert_denied(
        staff_post(
            editor,
            event_url(application, EventKind.EXTENSION_APPROVED),
            {"message": "x"},
            D(2026, 3, 24),
        )
    )
    application.refresh_from_db()
    assert not application.extended

    office = Client()
    office.force_login(user_named("luobei-office"))
    with freeze_time(beijing(D(2026, 3, 25))):
        inspect = office.get(inspect_url(application)).content.decode()
        assert f'data-event="{EventKind.EXTENSION_APPROVED}"' in inspect
        with django_capture_on_commit_callbacks(execute=True):
            response = office.post(
                event_url(application, EventKind.EXTENSION_APPROVED),
                {"date": "2026-03-25", "message": "因材料较多，答复期限延长20个工作日。"},
            )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.extended
    assert application.due_date == D(2026, 4, 28)
    assert mail.outbox[-1].to == ["zhangsan@example.com"]  # the applicant is notified

    # Mon 20 Apr: the reply, 予以公开, with a document.
    response = staff_post(
        editor,
        event_url(application, EventKind.REPLIED),
        {
            "outcome": Outcome.DISCLOSED,
            "reply_text": "经审查，您申请的信息予以公开，见附件。",
            "reply_document": small_pdf(),
            "public_summary": "2025年义务教育学校布局调整方案",
        },
        D(2026, 4, 20),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REPLIED
    assert application.outcome == Outcome.DISCLOSED and application.on_time
    assert application.replied_on == D(2026, 4, 20)

    # The handler's detail view shows the whole clock history with the due date after each event.
    with freeze_time(beijing(D(2026, 4, 21))):
        staff = Client()
        staff.force_login(editor)
        inspect = staff.get(inspect_url(application)).content.decode()
    for due in ["2026-03-06", "2026-03-19", "2026-04-10", "2026-03-30", "2026-04-28"]:
        assert f'class="due-after">{due}' in inspect, due
    assert PERSON_ID in inspect and "13812345678" in inspect  # the handler sees the full data

    # Later, another browser: tracking code + phone → status, history, reply download.
    browser = Client()
    with freeze_time(beijing(D(2026, 4, 21))):
        assert (
            browser.get(
                APPLY_URL + f"track/{application.tracking_code}/", HTTP_HOST=APPLY_HOST
            ).status_code
            == 302
        )  # not yet shown to this browser
        assert (
            browser.get(
                APPLY_URL + f"track/{application.tracking_code}/reply/", HTTP_HOST=APPLY_HOST
            ).status_code
            == 404
        )
        wrong = browser.post(
            APPLY_URL + "track/",
            {"code": application.tracking_code, "phone": "13900000000"},
            HTTP_HOST=APPLY_HOST,
        )
        assert wrong.status_code == 200 and "form-errors" in wrong.content.decode()
        response = browser.post(
            APPLY_URL + "track/",
            {"code": application.tracking_code, "phone": "13812345678"},
            HTTP_HOST=APPLY_HOST,
        )
        status_page = browser.get(path_of(response["Location"]), HTTP_HOST=APPLY_HOST)
        download = browser.get(
            APPLY_URL + f"track/{application.tracking_code}/reply/", HTTP_HOST=APPLY_HOST
        )
    html = status_page.content.decode()
    assert status_page.status_code == 200
    assert 'class="outcome"' in html and "2026-04-20" in html
    for day in ["2026-02-02", "2026-02-04", "2026-02-13", "2026-02-25", "2026-03-05", "2026-03-25"]:
        assert day in html, day
    assert "event-extension_requested" not in html  # internal steps stay internal
    assert "向相关学校征求意见" not in html  # internal notes too
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    # The unit's public log: subject, dates and outcome, no personal data.
    log = Client().get(APPLY_URL + "log/", HTTP_HOST=APPLY_HOST).content.decode()
    assert "2025年义务教育学校布局调整方案" in log and "2026-04-20" in log
    assert "张三" not in log and "13812345678" not in log and PERSON_ID not in log


def test_the_form_is_on_every_unit_site_and_section(client):
    for host, path in [
        ("localhost", "/ysqgk/"),
        ("luobei.localhost", "/ysqgk/"),
        ("jyj.localhost", "/ysqgk/"),
        ("localhost", "/fgw/ysqgk/"),
        ("luobei.localhost", "/luobei-jyj/ysqgk/"),
        ("suibin.localhost", "/suibin-mzj/tsjd/"),
        ("xiangyang.localhost", "/xiangyang-mzj/bygk/"),
    ]:
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.status_code)


def test_provisioning_is_idempotent():
    from wagtail.models import Page

    from unit_sites.models import UnitPage
    from unit_sites.provisioning import complete_unit

    unit = UnitPage.objects.get(slug="luobei-jyj")
    before = Page.objects.count()
    complete_unit(unit)
    assert Page.objects.count() == before
    assert sorted(unit.get_children().values_list("slug", flat=True)) == [
        "bygk",
        "fdzdgknr",
        "gkml",
        "gknb",
        "gkzd",
        "gkzn",
        "tsjd",
        "ysqgk",
    ]


# --- the register: isolation, masking, export ----------------------------------------------------


@pytest.fixture
def jyj_request():
    from unit_sites.models import UnitPage

    with freeze_time(beijing(D(2026, 9, 18))):
        return services.submit_application(
            UnitPage.objects.get(slug="luobei-jyj"), application_data()
        )


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("luobei-jyj-editor", True),
        ("luobei-jyj-reviewer", True),
        ("luobei-office", True),  # the county office over its department
        ("gongkaiban", True),  # the city office over everyone
        ("luobei-nyj-editor", False),  # another department of the same county
        ("suibin-mzj-reviewer", False),
        ("xiangyang-office", False),  # another county's office
        ("jyj-editor", False),  # the city's education bureau is not the county's
    ],
)
def test_only_the_unit_and_the_offices_above_see_an_application(
    client_for, jyj_request, username, sees
):
    client = client_for(username)
    listing = client.get(reverse(REGISTER_URL))
    assert listing.status_code == 200
    assert (jyj_request.tracking_code in listing.content.decode()) is sees
    inspect = client.get(inspect_url(jyj_request))
    event_form = client.get(event_url(jyj_request, EventKind.CONSULTATION_SENT))
    export = client.get(reverse(REGISTER_URL), {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values
    )
    assert any(jyj_request.tracking_code in row for row in rows) is sees
    if sees:
        assert inspect.status_code == 200 and event_form.status_code == 200
    else:
        assert_denied(inspect)
        assert_denied(event_form)
        assert_denied(
            client.post(
                event_url(jyj_request, EventKind.CONSULTATION_SENT),
                {"date": "2026-09-18", "note": "x"},
            )
        )
        assert_denied(client.get(reverse("citizen_request_summary", args=[jyj_request.pk])))
    jyj_request.refresh_from_db()
    assert jyj_request.status == Status.PROCESSING


@pytest.mark.parametrize("username", ["luobei-jyj-secrecy", "webteam", "luobei-jyj-editor"])
def test_no_create_edit_or_delete_in_the_register(client_for, jyj_request, username):
    client = client_for(username)
    base = "/admin/citizen_services/informationrequest/"
    assert_denied(client.get(base + "create/"))
    assert_denied(client.get(base + f"edit/{jyj_request.pk}/"))
    assert_denied(client.get(base + f"delete/{jyj_request.pk}/"))
    if username != "luobei-jyj-editor":  # no handler at all
        assert_denied(client.get(reverse(REGISTER_URL)))
        assert_denied(client.get(inspect_url(jyj_request)))


def test_lists_mask_id_numbers_and_phones(client_for, jyj_request):
    html = client_for("luobei-office").get(reverse(REGISTER_URL)).content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html and PERSON_ID not in html


def test_register_filters(client_for, jyj_request):
    client = client_for("luobei-office")
    url = reverse(REGISTER_URL)
    with freeze_time(beijing(D(2026, 10, 23))):  # the day after the due date (22 Oct)
        assert (
            jyj_request.tracking_code in client.get(url, {"deadline": "overdue"}).content.decode()
        )
        assert (
            jyj_request.tracking_code not in client.get(url, {"deadline": "soon"}).content.decode()
        )
    with freeze_time(beijing(D(2026, 10, 19))):
        assert jyj_request.tracking_code in client.get(url, {"deadline": "soon"}).content.decode()
    assert jyj_request.tracking_code in client.get(url, {"status": "processing"}).content.decode()
    assert jyj_request.tracking_code not in client.get(url, {"status": "replied"}).content.decode()
    assert (
        jyj_request.tracking_code in client.get(url, {"applicant_type": "natural"}).content.decode()
    )
    assert (
        jyj_request.tracking_code
        not in client.get(url, {"applicant_type": "research"}).content.decode()
    )
    unit_id = jyj_request.unit_id
    assert jyj_request.tracking_code in client.get(url, {"unit": unit_id}).content.decode()


def test_xlsx_export_has_every_column(client_for, user_named):
    from unit_sites.models import UnitPage

    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time(beijing(D(2026, 9, 18))):
        open_one = services.submit_application(
            unit,
            application_data(
                applicant_type="research",
                name="萝北县农业科学研究所",
                contact_person="李四",
                id_type="credit_code",
                id_number=unit.org_code,  # any valid credit code will do
                phone="0468-7654321",
                delivery_form="paper",
                delivery_method="post",
            ),
        )
        replied = services.submit_application(unit, application_data())
    with freeze_time(beijing(D(2026, 9, 30))):
        services.record_event(
            replied,
            EventKind.REPLIED,
            D(2026, 9, 30),
            data={"outcome": Outcome.WITHHELD_THIRD_PARTY},
            reply_text="涉及第三方个人隐私，不予公开。",
            public_summary="某学校教师名单",
        )
    with freeze_time(beijing(D(2026, 10, 23))):
        response = client_for("luobei-office").get(reverse(REGISTER_URL), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)

    model_admin = InformationRequestAdmin()
    with translation.override("zh-hans"):
        from django.contrib.admin.utils import label_for_field

        expected_headings = [
            str(label_for_field(field, InformationRequest, model_admin)).title()
            for field in InformationRequestAdmin.list_export
        ]
        yes, no = str(translation.gettext("Yes")), str(translation.gettext("No"))
        natural = str(InformationRequest(applicant_type="natural").get_applicant_type_display())
        research = str(InformationRequest(applicant_type="research").get_applicant_type_display())
        id_card = str(InformationRequest(id_type="id_card").get_id_type_display())
        credit = str(InformationRequest(id_type="credit_code").get_id_type_display())
        processing = str(Status.PROCESSING.label)
        replied_label = str(Status.REPLIED.label)
        withheld = str(Outcome.WITHHELD_THIRD_PARTY.label)
        withheld_group = str(InformationRequest(outcome="withheld_third_party").outcome_group)
        paper_post = f"{InformationRequest(delivery_form='paper').get_delivery_form_display()}，{InformationRequest(delivery_method='post').get_delivery_method_display()}"
        online = f"{InformationRequest(delivery_form='electronic').get_delivery_form_display()}，{InformationRequest(delivery_method='online').get_delivery_method_display()}"
    assert list(rows[0]) == expected_headings
    by_code = {
        row[0]: dict(zip(InformationRequestAdmin.list_export, row, strict=True)) for row in rows[1:]
    }
    assert set(by_code) == {open_one.tracking_code, replied.tracking_code}

    row = by_code[open_one.tracking_code]
    assert row["unit_name"] == "萝北县教育局"
    assert as_date(row["received_on"]) == D(2026, 9, 18)
    assert row["applicant_type_display"] == research
    assert row["name"] == "萝北县农业科学研究所"
    assert row["id_type_display"] == credit
    assert row["id_number_display"] == open_one.id_number_masked != open_one.id_number
    assert row["phone_display"] == "0468****4321"
    assert row["description"] == open_one.description
    assert row["delivery_display"] == paper_post
    assert row["status_display"] == processing
    assert as_date(row["due_date"]) == D(2026, 10, 22)
    assert row["extended_display"] == no
    assert row["overdue_display"] == yes  # exported on 23 Oct
    assert row["replied_on"] in ("-", "", None)

    row = by_code[replied.tracking_code]
    assert row["applicant_type_display"] == natural
    assert row["id_type_display"] == id_card
    assert row["id_number_display"] == "2304**********" + PERSON_ID[-4:]
    assert row["phone_display"] == "138****5678"
    assert row["public_summary"] == "某学校教师名单"
    assert row["delivery_display"] == online
    assert row["status_display"] == replied_label
    assert as_date(row["replied_on"]) == D(2026, 9, 30)
    assert row["on_time_display"] == yes
    assert row["overdue_display"] == no
    assert row["outcome_group_display"] == withheld_group
    assert row["outcome_display"] == withheld


# --- the public form: bad input, uploads, honeypot, rate limit, CSRF, email failure ----------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "230402199003071230"}, "id_number"),  # wrong check digit
        ({"phone": "12345"}, "phone"),
        ({"delivery_method": "email", "email": ""}, "email"),
        ({"delivery_method": "post", "address": ""}, "address"),
        ({"delivery_form": "paper", "delivery_method": "online"}, "delivery_method"),
        ({"applicant_type": "commercial"}, "id_type"),  # an enterprise with an ID card
        (
            {"applicant_type": "commercial", "id_type": "credit_code", "id_number": "91230400MA1"},
            "id_number",
        ),
        ({"description": "资料"}, "description"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(client, changes, field):
    response = submit(client, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert not InformationRequest.objects.exists()
    assert 'class="notice form-errors"' in html
    assert f'href="#id_{field}"' in html  # the summary links to the field in error
    form = response.context["form"]
    assert field in form.errors
    typed = application_data(**changes)
    for name in ("name", "address", "purpose"):
        if typed[name]:
            assert typed[name] in html  # kept
    assert typed["description"] in html


def test_attachments_are_checked_by_content_and_cleaned(client):
    response = client.post(
        APPLY_URL,
        {**application_data(), "attachments": [jpeg_with_exif(), small_pdf()]},
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 302
    application = InformationRequest.objects.get()
    files = {a.content_type: a for a in application.attachments.all()}
    assert set(files) == {"image/jpeg", "application/pdf"}
    with files["image/jpeg"].file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()  # camera and GPS gone
    with files["application/pdf"].file.open("rb") as stored:
        from pypdf import PdfReader

        metadata = PdfReader(io.BytesIO(stored.read())).metadata or {}
        assert "/Author" not in metadata and "/Title" not in metadata
    assert files["image/jpeg"].name == "身份证.jpg"


@pytest.mark.parametrize("kind", ["fake_pdf", "text", "too_big", "too_many"])
def test_bad_attachments_are_refused_and_nothing_is_saved(client, kind):
    def named(content, name):
        buffer = io.BytesIO(content)
        buffer.name = name
        return buffer

    files = {
        "fake_pdf": [named(b"%PDF-1.4 this is not really a pdf", "a.pdf")],
        "text": [named(b"hello", "a.jpg")],
        "too_big": [named(b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), "big.pdf")],
        "too_many": [small_pdf() for _ in range(4)],
    }[kind]
    response = client.post(
        APPLY_URL, {**application_data(), "attachments": files}, HTTP_HOST=APPLY_HOST
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert response.context["files_dropped"]  # the form says to attach them again
    assert not InformationRequest.objects.exists()
    assert "张三" in response.content.decode()


def test_honeypot(client):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 400
    assert not InformationRequest.objects.exists()


def test_rate_limit_per_ip(client, settings):
    settings.CITIZEN_SERVICES_RATE_LIMITS = {"apply": (2, 3600)}
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    blocked = submit(client, name="王五")
    assert blocked.status_code == 429
    assert "王五" in blocked.content.decode()  # still kept
    assert InformationRequest.objects.count() == 2
    other_ip = client.post(
        APPLY_URL, application_data(), HTTP_HOST=APPLY_HOST, REMOTE_ADDR="10.1.2.3"
    )
    assert other_ip.status_code == 302


def test_tracking_lookups_are_rate_limited(client, settings, jyj_request):
    settings.CITIZEN_SERVICES_RATE_LIMITS = {"track": (3, 3600)}
    for _attempt in range(3):
        response = client.post(
            APPLY_URL + "track/",
            {"code": "YS-AAAA-BBBB", "phone": "13812345678"},
            HTTP_HOST=APPLY_HOST,
        )
        assert response.status_code == 200
    response = client.post(
        APPLY_URL + "track/",
        {"code": jyj_request.tracking_code, "phone": "13812345678"},
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code == 429  # even the right code, once the limit is reached


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    response = client.post(APPLY_URL, application_data(), HTTP_HOST=APPLY_HOST)
    assert response.status_code == 403
    assert not InformationRequest.objects.exists()


class FailingEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failing_mail_server_never_loses_an_application(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_citizen_requests.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302
    application = InformationRequest.objects.get()
    assert application.notified_at is None  # the notification failed and is known to have failed
    assert application.events.get().kind == EventKind.RECEIVED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry_notifications.enqueue(older_than_minutes=0)
    application.refresh_from_db()
    assert application.notified_at is not None
    assert mail.outbox and application.tracking_code in mail.outbox[0].subject


def test_clarification_after_seven_working_days_is_refused_in_the_admin(client_for, jyj_request):
    client = client_for("luobei-jyj-editor")
    with freeze_time(beijing(D(2026, 9, 30))):  # 7 working days after 18 Sep end on 29 Sep
        response = client.post(
            event_url(jyj_request, EventKind.CLARIFICATION_REQUESTED),
            {"date": "2026-09-30", "message": "请补正"},
        )
    assert response.status_code == 200
    assert "2026-09-29" in response.content.decode()
    jyj_request.refresh_from_db()
    assert jyj_request.status == Status.PROCESSING
    assert jyj_request.events.count() == 1


# --- fees (国办函〔2020〕109号) ---------------------------------------------------------------


def test_fee_notice_for_the_eleventh_request_and_lapse(client_for):
    from unit_sites.models import UnitPage

    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time(beijing(D(2026, 9, 18))):
        requests = [services.submit_application(unit, application_data()) for _ in range(11)]
    eleventh = requests[-1]
    assert services.nth_request_this_month(eleventh) == 11
    assert services.suggested_request_fee(requests[9]) == 0
    client = client_for("luobei-jyj-editor")
    with freeze_time(beijing(D(2026, 9, 28))):
        form = client.get(event_url(eleventh, EventKind.FEE_NOTICE_SENT))
        assert form.context["form"].initial["amount"] == 100
        response = client.post(
            event_url(eleventh, EventKind.FEE_NOTICE_SENT),
            {
                "date": "2026-09-28",
                "basis": "per_request",
                "amount": "100",
                "message": "本月第11件申请，收取信息处理费100元。",
            },
        )
    assert response.status_code == 302
    eleventh.refresh_from_db()
    assert eleventh.status == Status.AWAITING_PAYMENT and eleventh.fee_yuan == 100
    assert eleventh.due_date == D(2026, 11, 19)  # at the latest: payment window then 14 days
    assert services.close_lapsed_payments(today=D(2026, 10, 30)) == 0
    with freeze_time(beijing(D(2026, 11, 2))):
        assert services.close_lapsed_payments() == 1
    eleventh.refresh_from_db()
    assert eleventh.status == Status.REPLIED
    assert eleventh.outcome == Outcome.OTHER_UNPAID


def test_dashboard_lists_overdue_applications_of_the_users_units(client_for, jyj_request):
    with freeze_time(beijing(D(2026, 10, 23))):  # due 22 Oct
        own = client_for("luobei-jyj-editor").get(reverse("wagtailadmin_home")).content.decode()
        other = client_for("luobei-nyj-editor").get(reverse("wagtailadmin_home")).content.decode()
    assert "citizen-deadlines-panel" in own and jyj_request.tracking_code in own
    assert jyj_request.tracking_code not in other
