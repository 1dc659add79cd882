"""Review before publish in the real Wagtail admin, walked as the unit's people would walk it.

A department's editor adds a 工作动态 item and submits it to the unit's workflow; it stays off
the public site while the unit's reviewer approves it from the dashboard and until the secrecy
reviewer attests in the approval dialog (an approval without the attestation is refused). Then
the item is live, with its 索引号 in the metadata table.

Labels are Wagtail's own Chinese; this project's new strings (page type names, the attestation
form) may be in English or Chinese, so the test finds them by structure or by either language.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import TaskState, WorkflowState

from disclosure_pages.models import NewsPage
from review.models import SecrecyReviewState

PASSWORD = settings.GONGKAI_DEMO_PASSWORD
TITLE = "发改委召开重点项目推进会"
SUMMARY = "市发改委召开全市重点项目推进会，部署下一阶段项目建设工作。"
OPINION = "经审查，不涉及国家秘密、商业秘密和个人隐私。"


@pytest.mark.browser
def test_an_item_goes_live_only_after_review_and_attested_secrecy_review(
    live_server, provision_units, browser_page, screenshot_path
):
    units = provision_units("hegang", "fgw")
    page = browser_page
    base = live_server.url
    column = units["fgw"].get_children().get(slug="gkml").get_children().get(slug="gzdt")
    # The public: a browser context of its own, with no admin session.
    public = page.context.browser.new_context(locale="zh-CN").new_page()

    # --- the editor adds the item under 工作动态 and submits it ------------------------
    log_in(page, base, "fgw-editor")
    page.goto(f"{base}/admin/pages/{column.pk}/")
    expect(page.locator("main h1")).to_contain_text("工作动态")
    page.get_by_role("link", name="添加子页面").click()
    # The column admits several typed pages; pick the news type (工作动态 / "Work news").
    page.get_by_role("link", name=re.compile(r"^(工作动态|Work news)$", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/disclosure_pages/newspage/\d+/$"))
    field(page, "title").fill(TITLE)
    field(page, "genre").select_option("动态")
    field(page, "summary").fill(SUMMARY)
    expect(field(page, "formed_date")).not_to_have_value("")  # required, defaults to today
    footer = page.locator("footer")
    footer.get_by_role("button", name="更多动作").click()  # the arrow next to 保存草稿
    submit = footer.get_by_role("button", name=re.compile(r"^(提交给|Submit to )"))
    expect(submit).to_be_visible()
    page.screenshot(path=screenshot_path("review-1-editor-submit.png"), animations="disabled")
    submit.click()
    page.wait_for_url(f"{base}/admin/pages/{column.pk}/")
    expect(page.get_by_role("status")).to_contain_text(TITLE)  # "…已创建并提交审核"
    page.screenshot(path=screenshot_path("review-2-submitted.png"), full_page=True)

    item = NewsPage.objects.get(title=TITLE)
    assert item.get_parent().pk == column.pk and item.summary == SUMMARY and not item.live
    url = item.get_full_url()
    assert url.startswith(base), url
    state = WorkflowState.objects.active().for_instance(item).get()
    assert state.requested_by.username == "fgw-editor"
    assert current_task_name(state) == "UnitReviewTask"  # automatic screening passed it on
    assert public.goto(url).status == 404
    log_out(page, "fgw-editor")

    # --- the unit's reviewer approves from the dashboard ------------------------------
    log_in(page, base, "fgw-reviewer")
    row = awaiting_review_row(page)
    page.screenshot(path=screenshot_path("review-3-reviewer-dashboard.png"), full_page=True)
    row.get_by_role("button", name="动作").click()
    with page.expect_navigation():
        row.get_by_role("button", name="批准", exact=True).click()
    expect(row).to_have_count(0)
    state.refresh_from_db()
    assert current_task_name(state) == "SecrecyReviewTask"
    assert public.goto(url).status == 404
    log_out(page, "fgw-reviewer")

    # --- the secrecy reviewer must attest in the approval dialog ----------------------
    log_in(page, base, "fgw-secrecy")
    row = awaiting_review_row(page)
    row.get_by_role("button", name="动作").click()
    row.get_by_role(
        "button", name=re.compile(r"^(Attest and approve|确认并通过|.*批准.*)$")
    ).click()
    dialog = page.get_by_role("dialog")
    attest = dialog.locator("[data-contentpath=attest] input[type=checkbox]")
    expect(attest).to_be_visible()
    expect(attest).not_to_be_checked()
    opinion = dialog.locator("[data-contentpath=comment] textarea")
    opinion.fill(OPINION)

    # Without the tick: the dialog comes back with the field's error, nothing is approved.
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/workflow/action/" in r.url
    ):
        dialog.get_by_role("button", name=re.compile(r"Attest and approve|确认并通过|批准")).click()
    attest_errors = dialog.locator("[data-contentpath=attest] [data-field-errors]")
    expect(attest_errors).to_have_text(re.compile(r"\S"))
    page.screenshot(
        path=screenshot_path("review-4-secrecy-attestation-required.png"), animations="disabled"
    )
    secrecy_state = SecrecyReviewState.objects.get(workflow_state=state)
    assert secrecy_state.status == TaskState.STATUS_IN_PROGRESS and not secrecy_state.attested
    item.refresh_from_db()
    assert not item.live
    assert public.goto(url).status == 404

    # Ticked: approved, and the workflow publishes (the secrecy reviewer cannot publish).
    attest = dialog.locator("[data-contentpath=attest] input[type=checkbox]")
    attest.check()
    expect(dialog.locator("[data-contentpath=comment] textarea")).to_have_value(OPINION)
    page.screenshot(path=screenshot_path("review-5-secrecy-attested.png"), animations="disabled")
    with page.expect_navigation():
        dialog.get_by_role("button", name=re.compile(r"Attest and approve|确认并通过|批准")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(row).to_have_count(0)

    secrecy_state.refresh_from_db()
    assert secrecy_state.status == TaskState.STATUS_APPROVED and secrecy_state.attested
    assert secrecy_state.comment == OPINION
    assert secrecy_state.finished_by.username == "fgw-secrecy"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED  # 工作动态 is not filed (Art. 9)
    item.refresh_from_db()
    assert item.live and item.index_number
    assert not item.permissions_for_user(secrecy_state.finished_by).can_publish()

    # --- the public sees it, with its 索引号 ------------------------------------------
    response = public.goto(url)
    assert response.status == 200
    expect(public.locator("h1")).to_have_text(TITLE)
    index_row = public.locator("table.metadata tr").filter(
        has=public.get_by_role("rowheader", name=re.compile(r"^(索引号|Index number)$"))
    )
    expect(index_row.locator("td").first).to_have_text(item.index_number)
    assert re.fullmatch(rf"{units['fgw'].org_code}/\d{{4}}-\d{{5}}", item.index_number)
    public.screenshot(path=screenshot_path("review-6-public-item.png"), full_page=True)


def field(page, name):
    """The input of a form field, found by the data-contentpath Wagtail renders around it."""
    return page.locator(f"[data-contentpath={name}]").locator("input, select, textarea")


def current_task_name(workflow_state):
    return type(workflow_state.current_task_state.task.specific).__name__


def awaiting_review_row(page):
    """The item's row in the dashboard's 等待你的审查 panel."""
    queue = page.get_by_role("region", name="等待你的审查")
    row = queue.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    return row


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")


def log_out(page, username):
    """Through the account menu at the foot of the sidebar (logging out is a POST)."""
    sidebar = page.locator("#wagtail-sidebar")
    full_name = get_user_model().objects.get(username=username).get_full_name()
    sidebar.get_by_role("button", name=full_name).click()
    sidebar.get_by_role("button", name="注销").click()
    page.wait_for_url(re.compile(r"/admin/login/"))
