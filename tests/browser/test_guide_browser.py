"""A citizen opens a department's section of the portal, finds the 政府信息公开指南 in its menu,
reads where to apply and how long it takes, and prints it."""

import pytest
from playwright.sync_api import expect

from citizen_services import clock
from review.deadlines import PUBLICATION_LIMIT_WORKING_DAYS
from unit_sites.models import UnitPage


@pytest.mark.browser
def test_a_citizen_reads_and_prints_the_disclosure_guide(
    live_server, provision_units, browser_page, screenshot_path
):
    provision_units("hegang", "fgw")
    UnitPage.objects.filter(slug="fgw").update(
        address="黑龙江省鹤岗市向阳区红军路12号",
        phone="0468-3456789",
        office_hours="工作日 8:30-11:30，13:30-17:00",
    )
    page = browser_page
    problems = []

    # The browser's own request for /favicon.ico (the platform has none) is not the page's.
    def own(url):
        return not url.endswith("/favicon.ico")

    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and own(message.location.get("url", ""))
            and problems.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and own(response.url)
            and problems.append(f"{response.status} {response.url}")
        ),
    )

    page.goto(f"{live_server.url}/fgw/")
    page.locator("nav.main-nav").get_by_role("link", name="政府信息公开指南").click()
    page.wait_for_url("**/fgw/gkzn/")
    expect(page.locator("main h1")).to_have_text("政府信息公开指南")
    contact = page.locator(".guide-contact")
    expect(contact).to_contain_text("鹤岗市发展和改革委员会")
    expect(contact).to_contain_text("黑龙江省鹤岗市向阳区红军路12号")
    expect(contact).to_contain_text("0468-3456789")
    expect(page.locator(".guide-reply-period")).to_contain_text(
        f"{clock.REPLY_LIMIT}个工作日内予以答复"
    )
    expect(page.locator(".guide-publication-period")).to_contain_text(
        f"{PUBLICATION_LIMIT_WORKING_DAYS}个工作日内"
    )
    expect(page.locator("a.guide-apply")).to_have_attribute("href", "/fgw/ysqgk/")
    page.screenshot(path=screenshot_path("guide-1-screen.png"), full_page=True)

    # The print view: the guide without the site's navigation and the button, the address of
    # the online form written out (a link cannot be followed on paper).
    page.emulate_media(media="print")
    expect(page.locator("nav.main-nav")).to_be_hidden()
    expect(page.locator(".print-link")).to_be_hidden()
    expect(page.locator(".disclosure-guide .print-url")).to_be_visible()
    expect(page.locator(".disclosure-guide .print-url")).to_contain_text("/fgw/ysqgk/")
    page.screenshot(path=screenshot_path("guide-2-print.png"), full_page=True)

    # And it is the page the application form's address leads to.
    page.emulate_media(media="screen")
    page.locator("a.guide-apply").click()
    page.wait_for_url("**/fgw/ysqgk/")
    assert problems == []
