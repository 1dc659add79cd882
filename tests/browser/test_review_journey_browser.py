"""The whole review journey in the browser, with what each person is told (issue 16, item 2).

An editor submits a 工作动态 with a mobile number in its summary: the automatic screening sends
it back and the edit view says so in red, with the masked number and where it stands. The editor
fixes it and submits again; the unit's reviewer approves, the secrecy reviewer attests in a
dialog that names the item, and it is live. A 行政权力 item (its draft made by the fixture) is
submitted, approved, attested and then filed by the city's disclosure office (备案, with its
filing number); the unit's reviewer withdraws it, the admin calls it 已撤回 and its address
answers 410 with the notice. Each step's message is asserted; any console error or 4xx/5xx
response of the admin fails the test.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from disclosure_pages.models import NewsPage, PowerItemPage
from review.models import FilingRecord, Withdrawal
from tests.browser.test_review_browser import (
    field,
    log_in,
    log_out,
)
from tests.factories import add_item

TITLE = "发改委召开重点项目推进会"
POWER = "固定资产投资项目核准"
SUMMARY = "市发改委召开全市重点项目推进会，部署下一阶段项目建设工作。"
PHONE = "13812345678"


def watch(page):
    """Console errors and failed responses of the admin, collected for the end of the test."""
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} {response.url}")
        ),
    )
    return problems


def messages(page):
    return page.locator(".messages")


def row_for(page, title):
    queue = page.get_by_role("region", name="等待你的审查")
    row = queue.get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    return row


def submit_from_footer(page):
    footer = page.locator("footer")
    footer.get_by_role("button", name="更多动作").click()
    submit = footer.get_by_role("button", name=re.compile(r"提交"))
    expect(submit.first).to_be_visible()
    submit.first.click()


def approve_from_dashboard(page, title):
    row = row_for(page, title)
    row.get_by_role("button", name="动作").click()
    with page.expect_navigation():
        row.get_by_role("button", name="批准", exact=True).click()
    expect(row).to_have_count(0)


def attest_from_dashboard(page, title, screenshot=None):
    row = row_for(page, title)
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="确认并通过").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"信息：“{title}”")
    expect(dialog).to_contain_text("不含国家秘密、商业秘密和个人隐私，可以公开")
    dialog.locator("[data-contentpath=attest] input[type=checkbox]").check()
    dialog.locator("[data-contentpath=comment] textarea").fill("经审查，不涉及国家秘密。")
    if screenshot:
        page.screenshot(path=screenshot, animations="disabled")
    with page.expect_navigation():
        dialog.get_by_role("button", name="确认并通过").click()


@pytest.mark.browser
def test_the_review_journey_says_what_happened_at_each_step(
    live_server, provision_units, browser_page, screenshot_path
):
    units = provision_units("hegang", "fgw")
    page = browser_page
    problems = watch(page)
    base = live_server.url
    column = units["fgw"].get_children().get(slug="gkml").get_children().get(slug="gzdt")
    public = page.context.browser.new_context(locale="zh-CN").new_page()

    # --- 1. the editor submits; the screening sends it back, in red, in the edit view ----
    log_in(page, base, "fgw-editor")
    page.goto(f"{base}/admin/pages/{column.pk}/")
    page.get_by_role("link", name="添加子页面").click()
    page.get_by_role("link", name=re.compile(r"^(工作动态|Work news)$", re.IGNORECASE)).click()
    field(page, "title").fill(TITLE)
    field(page, "genre").select_option("动态")
    field(page, "summary").fill(f"{SUMMARY}\n联系人手机{PHONE}")
    submit_from_footer(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    error = messages(page).locator(".error")
    expect(error).to_contain_text(f"自动审查已将“{TITLE}”退回")
    expect(error).to_contain_text("内容概述第 2 行：手机号码 138****5678")
    expect(messages(page).locator(".success")).to_have_count(0)
    assert PHONE not in messages(page).inner_text()
    page.screenshot(path=screenshot_path("journey-1-screening-rejected.png"), full_page=True)
    item = NewsPage.objects.get(title=TITLE)
    state = WorkflowState.objects.active().for_instance(item).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # --- 2. fixed and submitted again: on to the unit's reviewers ------------------------
    field(page, "summary").fill(SUMMARY)
    submit_from_footer(page)
    page.wait_for_url(f"{base}/admin/pages/{column.pk}/")
    expect(messages(page).locator(".success")).to_contain_text(TITLE)
    expect(messages(page).locator(".error")).to_have_count(0)
    log_out(page, "fgw-editor")

    # --- 3. the reviewer approves: told where it went --------------------------------------
    log_in(page, base, "fgw-reviewer")
    approve_from_dashboard(page, TITLE)
    expect(messages(page)).to_contain_text(f"你已批准“{TITLE}”。已转交“市发改委：保密审查”。")
    page.screenshot(path=screenshot_path("journey-2-approved.png"), full_page=True)
    log_out(page, "fgw-reviewer")

    # --- 4. the secrecy reviewer attests in a dialog that names the item ----------------
    log_in(page, base, "fgw-secrecy")
    attest_from_dashboard(page, TITLE, screenshot_path("journey-3-attest-dialog.png"))
    expect(messages(page)).to_contain_text(
        f"你已确认“{TITLE}”不含国家秘密、商业秘密和个人隐私。该信息已发布。"
    )
    item.refresh_from_db()
    assert item.live
    assert public.goto(item.get_full_url()).status == 200
    log_out(page, "fgw-secrecy")

    # --- 5. a power: submitted, approved, attested, then filed by the city's office ------
    editor = get_user_model().objects.get(username="fgw-editor")
    power = add_item(
        PowerItemPage,
        "fgw",
        publish=False,
        user=editor,
        title=POWER,
        slug="gdzc-hezhun",
        power_type="licensing",
        legal_basis="《企业投资项目核准和备案管理条例》",
    )
    log_in(page, base, "fgw-editor")
    page.goto(f"{base}/admin/pages/{power.pk}/edit/")
    submit_from_footer(page)
    expect(messages(page).locator(".success")).to_contain_text(POWER)
    log_out(page, "fgw-editor")
    log_in(page, base, "fgw-reviewer")
    approve_from_dashboard(page, POWER)
    expect(messages(page)).to_contain_text(f"你已批准“{POWER}”。已转交“市发改委：保密审查”。")
    log_out(page, "fgw-reviewer")
    log_in(page, base, "fgw-secrecy")
    attest_from_dashboard(page, POWER)
    expect(messages(page)).to_contain_text(f"你已确认“{POWER}”不含国家秘密")
    expect(messages(page)).to_contain_text("已转交“")
    log_out(page, "fgw-secrecy")

    log_in(page, base, "gongkaiban")
    row = row_for(page, POWER)
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="备案", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"信息：“{POWER}”")
    expect(dialog).to_contain_text("办理备案（条例第九条）")
    dialog.locator("[data-contentpath=comment] textarea").fill("同意备案。")
    page.screenshot(path=screenshot_path("journey-4-filing-dialog.png"), animations="disabled")
    with page.expect_navigation():
        dialog.get_by_role("button", name="备案", exact=True).click()
    filing = FilingRecord.objects.get(page=power)
    expect(messages(page)).to_contain_text(
        f"“{POWER}”已备案，备案号：{filing.number}。该信息已发布。"
    )
    power.refresh_from_db()
    assert power.live
    url = power.get_full_url()
    assert public.goto(url).status == 200
    log_out(page, "gongkaiban")

    # --- 6. the unit's reviewer withdraws it: 已撤回 in the admin, 410 for the public -----
    log_in(page, base, "fgw-reviewer")
    page.goto(f"{base}/admin/pages/{power.pk}/edit/")
    page.locator("header").get_by_role("button", name="动作").first.click()
    page.get_by_role("link", name="撤回", exact=True).click()
    page.wait_for_url(f"{base}/admin/review/pages/{power.pk}/withdraw/")
    page.locator("[name=reason]").select_option("error")
    page.locator("[name=note]").fill("该事项已调整，信息发布有误。")
    page.locator("[name=filing_reason]").fill("事项调整，撤回原发布内容。")
    page.get_by_role("button", name="撤回", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    expect(messages(page).locator(".success")).to_contain_text(f"“{POWER}”已撤回。")
    listing_row = page.locator("main table tr").filter(has_text=POWER)
    expect(listing_row).to_contain_text("已撤回")
    expect(listing_row).not_to_contain_text("草稿")
    page.screenshot(path=screenshot_path("journey-5-withdrawn.png"), full_page=True)
    assert Withdrawal.objects.filter(page=power).exists()
    response = public.goto(url)
    assert response.status == 410
    expect(public.locator("main")).to_contain_text("该事项已调整，信息发布有误。")

    assert not problems, problems
