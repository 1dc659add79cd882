"""A department's editor records an application received by letter, in a real browser (issue
21, item 2): the register shows it with its channel and the clock counts from the day the
letter was signed for."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from citizen_services.models import InformationRequest
from workdays.calendar import add_working_days


def watch(page, problems):
    """Console errors and 4xx/5xx responses fail the journey (the browser's own favicon
    request aside: the site declares none)."""

    def console(message):
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(f"console: {message.text} {message.location}")

    page.on("console", console)
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and "favicon" not in r.url and problems.append(f"{r.status} {r.url}")
        ),
    )


@pytest.mark.browser
def test_an_editor_records_a_letter(live_server, provision_units, browser_page, screenshot_path):
    provision_units("hegang", "fgw")
    received = timezone.localdate() - datetime.timedelta(days=3)
    base = live_server.url
    problems = []
    page = browser_page
    watch(page, problems)
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill("fgw-editor")
    page.locator("#id_password").fill(settings.GONGKAI_DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/citizen_services/informationrequest/")
    page.get_by_role("link", name="登记线下申请").click()
    page.wait_for_url(re.compile(r"/admin/citizen/requests/record/$"))
    form = page.locator("form.record-offline-form")
    form.locator("[name='channel']").select_option("letter")
    form.locator("[name='received_on']").fill(received.isoformat())
    form.locator("[name='applicant_type']").select_option("natural")
    form.locator("[name='name']").fill("赵六")
    form.locator("[name='id_type']").select_option("id_card")
    form.locator("[name='id_number']").fill("230402199003071233")
    form.locator("[name='phone']").fill("13912345678")
    form.locator("[name='description']").fill("2026年市级重点项目清单")
    form.locator("[name='delivery_form'][value='paper']").check()
    form.locator("[name='delivery_method'][value='post']").check()
    form.locator("[name='address']").fill("鹤岗市向阳区红军路1号")
    page.screenshot(path=screenshot_path("offline-1-form.png"), full_page=True)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(r"/admin/citizen_services/informationrequest/inspect/\d+/$"))
    application = InformationRequest.objects.get(name="赵六")
    expect(page.locator(".channel")).to_contain_text("信函申请")
    expect(page.locator(".due-date")).to_contain_text(add_working_days(received, 20).isoformat())
    page.screenshot(path=screenshot_path("offline-2-recorded.png"), full_page=True)
    assert application.received_on == received and application.channel == "letter"
    assert problems == []
