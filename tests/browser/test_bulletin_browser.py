"""The city's disclosure office recomputes the ranking and writes the 通报 in a real browser
(issue 21, item 1): a unit that published nothing shows 不合格 below the others; the 通报 is a
draft with its 文号, printable with the ranking chart."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from disclosure_pages.models import NewsPage
from supervision.models import ScoringIndicator, ScoringScheme
from tests.factories import add_item


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
def test_the_office_ranks_and_writes_the_bulletin(
    live_server, provision_units, browser_page, screenshot_path
):
    units = provision_units("hegang", "fgw", "czj")
    today = timezone.localdate()
    scheme = ScoringScheme.objects.create(
        name="年度政务公开考核",
        period_start=today - datetime.timedelta(days=60),
        period_end=today + datetime.timedelta(days=1),
    )
    ScoringIndicator.objects.create(scheme=scheme, code="timeliness", weight=Decimal(100))
    for slug in ("hegang", "fgw"):
        add_item(NewsPage, slug, publish_date=today, formed_date=today, title=f"{slug}工作动态")
    # czj publishes nothing in the period: it will fail whatever its points.

    base = live_server.url
    problems = []
    page = browser_page
    watch(page, problems)
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill("gongkaiban")
    page.locator("#id_password").fill(settings.GONGKAI_DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/supervision/ranking/{scheme.pk}/")
    page.get_by_role("button", name="重新计算得分").click()
    page.wait_for_url(re.compile(rf"/admin/supervision/ranking/{scheme.pk}/$"))
    rows = page.locator("main table.listing tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text(units["czj"].title)
    expect(rows.last.locator(".result")).to_contain_text("不合格")
    expect(rows.last.locator(".result")).to_contain_text("本期未发布任何信息")
    page.screenshot(path=screenshot_path("bulletin-1-ranking.png"), full_page=True)

    page.get_by_role("button", name="生成通报").click()
    page.wait_for_url(re.compile(rf"/admin/supervision/ranking/{scheme.pk}/bulletin/\d+/$"))
    year = today.year
    expect(page.locator(".doc-number")).to_have_text(f"鹤岗市政务公开办通〔{year}〕1号")
    expect(page.locator("h1")).to_have_text("关于年度政务公开考核结果的通报")
    expect(page.locator(".bulletin-body")).to_contain_text("三、不合格单位及存在的问题")
    expect(page.locator(".bulletin-body table")).to_contain_text(units["czj"].title)
    expect(page.locator(".bulletin-body svg")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".bulletin-actions")).to_be_hidden()  # the print shows the document only
    page.screenshot(path=screenshot_path("bulletin-2-print.png"), full_page=True)
    bulletin = NewsPage.objects.get(doc_number=f"鹤岗市政务公开办通〔{year}〕1号")
    assert not bulletin.live and bulletin.unit.slug == "hegang"
    assert problems == []
