"""Complaints and ratings (Art. 14), information not disclosed (Art. 17), and turning an answer
into a proactive disclosure item (Art. 44)."""

import datetime
import io
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import WorkflowState

from citizen_services import services
from citizen_services.choices import ComplaintStatus, EventKind, Outcome
from citizen_services.models import Complaint, Rating
from disclosure_pages.models import GeneralItemPage, NewsPage
from tests.citizen_helpers import application_data, assert_denied
from tests.factories import add_item
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db
D = datetime.date
HOST = "luobei.localhost"
COMPLAINT_URL = "/luobei-jyj/tsjd/"
COMPLAINTS = "citizen_services_complaint_modeladmin_index"
COMPLAINT_INSPECT = "citizen_services_complaint_modeladmin_inspect"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def beijing(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour - 8, 0)


def complaint_data(**changes):
    data = {
        "category": "complaint",
        "name": "李四",
        "phone": "13987654321",
        "email": "lisi@example.com",
        "subject": "学校收费标准未公开",
        "content": "县教育局网站上找不到2026年秋季学期的收费标准，电话13987654321。",
        "page_url": "",
        "website": "",
    }
    data.update(changes)
    return data


def test_complaint_from_the_form_to_a_public_reply(
    client, client_for, django_capture_on_commit_callbacks
):
    # Mon 28 Sep 2026: 15 working days run across Mid-autumn and National Day to Fri 23 Oct.
    with freeze_time(beijing(D(2026, 9, 28))):
        assert client.get(COMPLAINT_URL, HTTP_HOST=HOST).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(COMPLAINT_URL, complaint_data(), HTTP_HOST=HOST)
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        receipt = client.get(urlsplit(response["Location"]).path, HTTP_HOST=HOST)
    assert complaint.unit.slug == "luobei-jyj"
    assert complaint.due_date == D(2026, 10, 23)
    assert complaint.tracking_code in receipt.content.decode()
    assert "2026-10-23" in receipt.content.decode()
    notified = {address for message in mail.outbox for address in message.to}
    assert {"luobei-jyj-editor@example.gov.cn", "luobei-office@example.gov.cn"} <= notified
    assert "suibin-mzj-editor@example.gov.cn" not in notified
    assert all("李四" not in message.body for message in mail.outbox)

    # Routed to the unit and the office above it; no one else sees it.
    for username, sees in [
        ("luobei-jyj-editor", True),
        ("luobei-office", True),
        ("luobei-nyj-editor", False),
        ("xiangyang-office", False),
    ]:
        staff = client_for(username)
        listing = staff.get(reverse(COMPLAINTS)).content.decode()
        assert (complaint.tracking_code in listing) is sees, username
        assert "13987654321" not in listing  # masked in lists
        inspect = staff.get(reverse(COMPLAINT_INSPECT, args=[complaint.pk]))
        reply = staff.get(reverse("citizen_complaint_reply", args=[complaint.pk]))
        if sees:
            assert inspect.status_code == 200 and reply.status_code == 200
        else:
            assert_denied(inspect)
            assert_denied(reply)

    # The unit replies on 20 Oct and publishes the reply without personal data.
    staff = client_for("luobei-jyj-editor")
    with freeze_time(beijing(D(2026, 10, 20))):
        response = staff.post(
            reverse("citizen_complaint_reply", args=[complaint.pk]),
            {
                "date": "2026-10-20",
                "reply_text": "收费标准已在本单位政务公开目录“行政权力”栏目公开。",
                "publish": "on",
                "public_question": "县教育局网站上找不到2026年秋季学期的收费标准。",
            },
        )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REPLIED
    assert complaint.on_time and complaint.working_days_to_reply == 12
    page = Client().get(COMPLAINT_URL, HTTP_HOST=HOST).content.decode()
    assert "收费标准已在本单位政务公开目录" in page
    assert "李四" not in page and "13987654321" not in page

    # The complainant reads the reply with the tracking code and phone.
    browser = Client()
    response = browser.post(
        COMPLAINT_URL + "track/",
        {"code": complaint.tracking_code, "phone": "13987654321"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    status = browser.get(urlsplit(response["Location"]).path, HTTP_HOST=HOST).content.decode()
    assert "收费标准已在本单位政务公开目录" in status

    # The register's export carries the reply time for the scoring of units.
    export = client_for("luobei-office").get(reverse(COMPLAINTS), {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values
    )
    assert len(rows) == 2 and rows[1][0] == complaint.tracking_code
    assert 12 in rows[1]  # working days from receipt to reply


def test_unpublished_replies_stay_private(client):
    unit = UnitPage.objects.get(slug="luobei-jyj")
    complaint = services.submit_complaint(unit, complaint_data(subject="不公开的答复"))
    services.reply_to_complaint(
        complaint, user=None, reply_text="已转相关科室处理。", publish=False
    )
    page = client.get(COMPLAINT_URL, HTTP_HOST=HOST).content.decode()
    assert "已转相关科室处理" not in page and "不公开的答复" not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "abc"}, "phone"),
        ({"content": "差"}, "content"),
        ({"category": ""}, "category"),
        ({"page_url": "not a url"}, "page_url"),
    ],
)
def test_bad_complaints_keep_what_was_typed(client, changes, field):
    response = client.post(COMPLAINT_URL, complaint_data(**changes), HTTP_HOST=HOST)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Complaint.objects.exists()
    assert "学校收费标准未公开" in response.content.decode()


def test_complaint_honeypot_and_rate_limit(client, settings):
    assert (
        client.post(COMPLAINT_URL, complaint_data(website="x"), HTTP_HOST=HOST).status_code == 400
    )
    settings.CITIZEN_SERVICES_RATE_LIMITS = {"complain": (1, 3600)}
    assert client.post(COMPLAINT_URL, complaint_data(), HTTP_HOST=HOST).status_code == 302
    assert client.post(COMPLAINT_URL, complaint_data(), HTTP_HOST=HOST).status_code == 429
    assert Complaint.objects.count() == 1


# --- ratings ---------------------------------------------------------------------------------


@pytest.fixture
def news_item():
    return add_item(NewsPage, "luobei-jyj", title="秋季开学工作安排", slug="kaixue-2026")


def test_rating_an_item(client, client_for, news_item):
    page = client.get(urlsplit(news_item.full_url).path, HTTP_HOST=HOST)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="rating"' in html and reverse("citizen_rate", args=[news_item.pk]) in html

    response = client.post(
        reverse("citizen_rate", args=[news_item.pk]),
        {"useful": "no", "comment": "缺少具体时间", "website": ""},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302 and response["Location"].endswith("#rating")
    rating = Rating.objects.get()
    assert rating.unit.slug == "luobei-jyj" and rating.useful is False
    assert rating.comment == "缺少具体时间"
    # Once per page and network a day; spam and nonsense are not counted.
    client.post(reverse("citizen_rate", args=[news_item.pk]), {"useful": "yes"}, HTTP_HOST=HOST)
    Client(REMOTE_ADDR="10.0.0.9").post(
        reverse("citizen_rate", args=[news_item.pk]), {"useful": "yes", "website": "x"}
    )
    Client(REMOTE_ADDR="10.0.0.8").post(reverse("citizen_rate", args=[news_item.pk]), {})
    assert Rating.objects.count() == 1
    Client(REMOTE_ADDR="10.0.0.7").post(
        reverse("citizen_rate", args=[news_item.pk]), {"useful": "yes"}
    )
    assert Rating.objects.filter(useful=True).count() == 1

    # The unit's ratings register, for its staff only.
    ratings = reverse("citizen_services_rating_modeladmin_index")
    assert "缺少具体时间" in client_for("luobei-jyj-editor").get(ratings).content.decode()
    assert "缺少具体时间" not in client_for("suibin-mzj-editor").get(ratings).content.decode()


def test_drafts_cannot_be_rated(client):
    draft = add_item(NewsPage, "luobei-jyj", publish=False, slug="draft-news")
    response = client.post(reverse("citizen_rate", args=[draft.pk]), {"useful": "yes"})
    assert response.status_code == 404
    assert client.get(reverse("citizen_rate", args=[draft.pk])).status_code == 405
    assert not Rating.objects.exists()


# --- information not disclosed (Art. 17) -------------------------------------------------------


def test_withheld_information_page_is_linked_from_the_catalogue(client):
    catalogue = client.get("/luobei-jyj/gkml/", HTTP_HOST=HOST).content.decode()
    assert 'href="/luobei-jyj/bygk/"' in catalogue
    assert 'href="/luobei-jyj/ysqgk/"' in catalogue and 'href="/luobei-jyj/tsjd/"' in catalogue
    page = client.get("/luobei-jyj/bygk/", HTTP_HOST=HOST).content.decode()
    assert page.count("<dt>") >= 8  # the statutory classes, ready for the unit to edit
    assert "国家秘密" in page


# --- Art. 44: an answer becomes a proactive item ---------------------------------------------


def test_a_disclosed_answer_becomes_a_draft_item_in_review(client, client_for):
    unit = UnitPage.objects.get(slug="luobei-jyj")
    with freeze_time(beijing(D(2026, 11, 2))):
        application = services.submit_application(unit, application_data())
        services.record_event(
            application,
            EventKind.REPLIED,
            D(2026, 11, 2),
            data={"outcome": Outcome.DISCLOSED},
            reply_text="予以公开。",
            public_summary="2025年义务教育学校布局调整方案",
        )
    application.refresh_from_db()
    editor = client_for("luobei-jyj-editor")
    url = reverse("citizen_request_publish", args=[application.pk])
    form = editor.get(url)
    assert form.status_code == 200
    column = form.context["form"].fields["column"].choices[-1][0]  # 问题解答
    response = editor.post(
        url,
        {
            "title": "2025年义务教育学校布局调整方案",
            "column": column,
            "summary": "依申请公开后主动公开",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    item = GeneralItemPage.objects.get(pk=application.converted_item_id)
    assert not item.live and item.unit_id == unit.pk
    assert WorkflowState.objects.active().for_instance(item).exists()  # in the unit's review
    assert client.get(urlsplit(item.full_url).path, HTTP_HOST=HOST).status_code == 404
    # Only once, and only for 予以公开.
    again = editor.post(url, {"title": "x", "column": column})
    assert again.status_code == 200 and GeneralItemPage.objects.filter(title="x").count() == 0
    assert_denied(client_for("luobei-nyj-editor").get(url))
