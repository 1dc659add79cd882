"""Art. 9 deadlines on the official calendar, the dashboard, reminders, scheduled publishing."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page

from disclosure_pages.models import NewsPage
from review.deadlines import deadlines, deadlines_for_user
from review.tasks import send_deadline_reminders
from tests.factories import add_item
from tests.test_review_workflow import act, submit_draft

pytestmark = pytest.mark.django_db

# Formed on Friday 18 September 2026. Counting 20 working days over the Mid-Autumn day
# (25 Sep), the National Day holiday (1–7 Oct) and the make-up working days (Sun 20 Sep,
# Sat 10 Oct) ends on Thursday 22 October 2026.
FORMED = datetime.date(2026, 9, 18)
DUE = datetime.date(2026, 10, 22)


@pytest.fixture
def pending(user_named):
    return add_item(
        NewsPage, "fgw", publish=False, formed_date=FORMED, title="国庆前形成的信息", slug="pending"
    )


def test_due_date_crosses_national_day_and_make_up_days(pending):
    [deadline] = deadlines([pending], today=datetime.date(2026, 10, 16))
    assert deadline.due == DUE
    assert deadline.working_days_left == 4  # 19, 20, 21, 22 October
    assert not deadline.overdue


def test_overdue_after_the_due_date(pending):
    [deadline] = deadlines([pending], today=datetime.date(2026, 10, 23))
    assert deadline.overdue and deadline.working_days_left == -1


def test_items_far_from_their_deadline_are_not_listed(pending):
    assert deadlines([pending], today=datetime.date(2026, 9, 21)) == []


def test_published_items_are_not_pending(user_named):
    add_item(NewsPage, "fgw", formed_date=FORMED, slug="done")
    with freeze_time("2026-10-20 09:00:00"):
        titles = [d.item.slug for d in deadlines_for_user(user_named("fgw-editor"))]
    assert "done" not in titles


@freeze_time("2026-10-20 09:00:00")
def test_dashboard_lists_items_of_the_users_units_only(client_for, pending):
    assert (
        "国庆前形成的信息"
        in client_for("fgw-editor").get(reverse("wagtailadmin_home")).content.decode()
    )
    assert (
        "国庆前形成的信息"
        in client_for("gongkaiban").get(reverse("wagtailadmin_home")).content.decode()
    )
    assert (
        "国庆前形成的信息"
        not in client_for("czj-editor").get(reverse("wagtailadmin_home")).content.decode()
    )


@freeze_time("2026-10-20 09:00:00")
def test_daily_reminders_go_to_the_unit_and_its_offices(pending, user_named):
    for username in ("fgw-editor", "fgw-reviewer", "gongkaiban", "czj-editor"):
        user = user_named(username)
        user.email = f"{username}@example.gov.cn"
        user.save()
    mail.outbox.clear()
    send_deadline_reminders.enqueue()
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {
        "fgw-editor@example.gov.cn",
        "fgw-reviewer@example.gov.cn",
        "gongkaiban@example.gov.cn",
    }
    assert "国庆前形成的信息" in mail.outbox[0].body and "2026-10-22" in mail.outbox[0].body


def test_scheduled_publishing_goes_through_the_workflow(client, client_for, user_named):
    page = add_item(NewsPage, "fgw", publish=False, user=user_named("fgw-editor"), slug="scheduled")
    go_live = timezone.now() + datetime.timedelta(hours=2)
    submit_draft(
        client_for("fgw-editor"),
        page,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
    )
    act(client_for("fgw-reviewer"), page, "approve")
    act(client_for("fgw-secrecy"), page, "approve", attest="on")
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision().approved_go_live_at is not None
    client.logout()
    assert client.get("/fgw/gkml/gzdt/scheduled/", HTTP_HOST="localhost").status_code == 404

    with freeze_time(go_live + datetime.timedelta(minutes=1)):
        call_command("run_scheduler", "--once")
    page = Page.objects.get(pk=page.pk)
    assert page.live
    assert client.get("/fgw/gkml/gzdt/scheduled/", HTTP_HOST="localhost").status_code == 200
