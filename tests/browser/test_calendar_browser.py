"""A deadline in a year whose holiday arrangement is not announced yet, in a real browser
(issue 21, item 4): the citizen sees it marked 暂定 on the tracking page; the city's disclosure
office enters the State Council's arrangement in the admin; the citizen sees the recomputed,
final date.

Time is frozen (ticking) on Thu 10 Dec 2026, when chinesecalendar knows 2026 but not 2027."""

import datetime
import re

import pytest
from django.conf import settings
from freezegun import freeze_time
from playwright.sync_api import expect

from citizen_services import services
from tests.citizen_helpers import application_data

PROVISIONAL = "暂定，以国务院公布的放假安排为准"


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


def track(page, base, application):
    page.goto(f"{base}/fgw/ysqgk/track/")
    page.locator("[name='code']").fill(application.tracking_code)
    page.locator("[name='phone']").fill("138 1234 5678")
    page.locator("form.citizen-form button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/fgw/ysqgk/track/{application.tracking_code}/$"))


@pytest.mark.browser
def test_citizen_sees_a_provisional_date_until_the_office_enters_the_arrangement(
    live_server, provision_units, browser_page, screenshot_path
):
    # 10:00 in Beijing on 10 Dec 2026; ticking, so the browser's event loop keeps its clock.
    with freeze_time(datetime.datetime(2026, 12, 10, 2, 0), tick=True):
        units = provision_units("hegang", "fgw")
        application = services.submit_application(units["fgw"], application_data())
        assert application.due_date == datetime.date(2027, 1, 8)  # New Year's Day skipped

        base = live_server.url
        problems = []
        citizen = browser_page
        watch(citizen, problems)
        track(citizen, base, application)
        due = citizen.locator(".due-date")
        expect(due).to_contain_text("2027-01-08")
        expect(due).to_contain_text(PROVISIONAL)
        citizen.screenshot(path=screenshot_path("calendar-1-provisional.png"), full_page=True)

        # The city's disclosure office signs in and enters the arrangement (for the test:
        # 1–4 January off, so the deadline moves by one working day).
        office = citizen.context.browser.new_context(locale="zh-CN").new_page()
        watch(office, problems)
        office.goto(f"{base}/admin/login/")
        office.locator("#id_username").fill("gongkaiban")
        office.locator("#id_password").fill(settings.GONGKAI_DEMO_PASSWORD)
        office.locator("form.login-form button[type=submit]").click()
        office.wait_for_url(f"{base}/admin/")
        expect(office.locator("main")).to_contain_text("工作日历不完整")
        expect(office.locator("main")).to_contain_text("2027")
        for day in ("2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"):
            office.goto(f"{base}/admin/snippets/workdays/calendarday/add/")
            office.locator("[name='date']").fill(day)
            office.locator("[name='kind']").select_option("holiday")
            office.locator("[name='name']").fill("元旦")
            office.locator("main button[type='submit']").first.click()
            office.wait_for_url(re.compile(r"/admin/snippets/workdays/calendarday/$"))
        office.goto(f"{base}/admin/snippets/workdays/holidayarrangement/add/")
        office.locator("[name='year']").fill("2027")
        office.locator("[name='notice']").fill("国办发明电〔2026〕12号")
        office.locator("main button[type='submit']").first.click()
        office.wait_for_url(re.compile(r"/admin/snippets/workdays/holidayarrangement/$"))
        expect(office.locator("main")).to_contain_text("国办发明电〔2026〕12号")
        office.screenshot(path=screenshot_path("calendar-2-arrangement.png"), full_page=True)
        office.goto(f"{base}/admin/")
        expect(office.locator("main")).not_to_contain_text("工作日历不完整")

        citizen.reload()
        expect(due).to_contain_text("2027-01-11")
        expect(due).not_to_contain_text(PROVISIONAL)
        citizen.screenshot(path=screenshot_path("calendar-3-final.png"), full_page=True)
        assert problems == []
