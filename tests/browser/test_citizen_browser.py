"""A citizen files an application for information and a complaint in a real browser, on a
department's section of the portal, then follows the application with code and phone.

The project's new strings may be in English or Chinese, so fields are found by their names."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from citizen_services.models import Complaint, InformationRequest


def fill(page, name, value):
    page.locator(f"[name='{name}']").fill(value)


@pytest.mark.browser
def test_a_citizen_applies_complains_and_follows(
    live_server, provision_units, browser_page, screenshot_path
):
    provision_units("hegang", "fgw")
    page = browser_page
    base = live_server.url

    # --- the application, with a mistake first ------------------------------------------
    page.goto(f"{base}/fgw/ysqgk/")
    expect(page.locator("main h1")).to_have_text("依申请公开")
    page.locator("[name='applicant_type']").select_option("natural")
    fill(page, "name", "王小明")
    page.locator("[name='id_type']").select_option("id_card")
    fill(page, "id_number", "230402199003071231")  # wrong check digit
    fill(page, "phone", "13812345678")
    fill(page, "email", "wxm@example.com")
    fill(page, "description", "2025年全市重点项目投资计划完成情况")
    page.locator("[name='delivery_form'][value='electronic']").check()
    page.locator("[name='delivery_method'][value='online']").check()
    page.locator("form.citizen-form button[type='submit']").click()
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("a[href='#id_id_number']")).to_be_visible()
    expect(page.locator("[name='name']")).to_have_value("王小明")  # kept
    expect(page.locator("[name='description']")).to_have_value("2025年全市重点项目投资计划完成情况")
    page.screenshot(path=screenshot_path("citizen-1-application-error.png"), full_page=True)

    fill(page, "id_number", "230402199003071233")
    page.locator("form.citizen-form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/fgw/ysqgk/receipt/YS-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    application = InformationRequest.objects.get(name="王小明")
    expect(page.locator(".tracking-code")).to_have_text(application.tracking_code)
    expect(page.locator(".due-date")).to_contain_text(application.due_date.isoformat())
    page.screenshot(path=screenshot_path("citizen-2-receipt.png"), full_page=True)

    # --- following it from another browser: code and phone ----------------------------
    other = page.context.browser.new_context(locale="zh-CN").new_page()
    other.goto(f"{base}/fgw/ysqgk/track/")
    fill(other, "code", application.tracking_code.lower())
    fill(other, "phone", "138 1234 5678")
    other.locator("form.citizen-form button[type='submit']").click()
    other.wait_for_url(re.compile(rf"/fgw/ysqgk/track/{application.tracking_code}/$"))
    expect(other.locator(".due-date")).to_contain_text(application.due_date.isoformat())
    expect(other.locator("table.history tbody tr")).to_have_count(1)

    # --- a complaint ----------------------------------------------------------------------
    page.goto(f"{base}/fgw/tsjd/")
    page.locator("[name='category']").select_option("report")
    fill(page, "name", "王小明")
    fill(page, "phone", "13812345678")
    fill(page, "subject", "项目审批结果未公开")
    fill(page, "content", "2026年第三季度的项目审批结果在目录中找不到。")
    page.locator("form.citizen-form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/fgw/tsjd/receipt/TS-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    complaint = Complaint.objects.get(subject="项目审批结果未公开")
    assert complaint.unit.slug == "fgw"
    expect(page.locator(".tracking-code")).to_have_text(complaint.tracking_code)
    page.screenshot(path=screenshot_path("citizen-3-complaint-receipt.png"), full_page=True)

    # --- the unit's editor finds both in the registers --------------------------------------
    staff = page.context.browser.new_context(locale="zh-CN").new_page()
    staff.goto(f"{base}/admin/login/")
    staff.locator("#id_username").fill("fgw-editor")
    staff.locator("#id_password").fill(settings.GONGKAI_DEMO_PASSWORD)
    staff.locator("form.login-form button[type=submit]").click()
    staff.wait_for_url(f"{base}/admin/")
    staff.goto(f"{base}/admin/citizen_services/informationrequest/")
    expect(staff.get_by_text(application.tracking_code)).to_be_visible()
    expect(staff.get_by_text("138****5678")).to_be_visible()
    staff.goto(f"{base}/admin/citizen_services/informationrequest/inspect/{application.pk}/")
    expect(staff.locator(".clock-history tbody tr")).to_have_count(1)
    staff.screenshot(path=screenshot_path("citizen-4-register-inspect.png"), full_page=True)
    staff.locator("a[data-event='consultation_sent']").click()
    staff.locator("[name='note']").fill("征求项目单位意见")
    staff.locator("main form[enctype] button[type='submit']").click()
    staff.wait_for_url(re.compile(rf"/inspect/{application.pk}/$"))
    expect(staff.locator(".clock-history tbody tr")).to_have_count(2)
    staff.goto(f"{base}/admin/citizen_services/complaint/")
    expect(staff.get_by_text(complaint.tracking_code)).to_be_visible()
