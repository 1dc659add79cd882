"""A provisioned account (one name, no family name, no e-mail) changes its own password on
the admin's account page, in a real browser: a guessable password is refused in Chinese, a
strong one is taken and works at the next sign-in."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

PASSWORD = settings.GONGKAI_DEMO_PASSWORD
EDITOR = "fgw-editor"
NEW_PASSWORD = "Tundra-Kettle-4ever-Blue"


@pytest.mark.browser
def test_a_provisioned_editor_changes_its_password(
    live_server, provision_units, browser_page, screenshot_path
):
    provision_units("hegang", "fgw")
    editor = get_user_model().objects.get(username=EDITOR)
    assert editor.first_name and not editor.last_name and not editor.email
    page = browser_page
    base = live_server.url
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text[:300]))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} {response.url}")
        ),
    )

    def sign_in(password):
        page.goto(f"{base}/admin/login/")
        page.locator("#id_username").fill(EDITOR)
        page.locator("#id_password").fill(password)
        page.locator("form.login-form button[type=submit]").click()
        page.wait_for_url(f"{base}/admin/")

    def change_password(old, new):
        page.goto(f"{base}/admin/account/")
        page.locator("#id_password-old_password").fill(old)
        page.locator("#id_password-new_password1").fill(new)
        page.locator("#id_password-new_password2").fill(new)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()

    sign_in(PASSWORD)
    expect(page).to_have_title(re.compile(r"^控制面板"))

    # A password that character-class rules would pass: refused, explained in Chinese.
    change_password(PASSWORD, "P@ssw0rd1234")
    expect(page.locator("main")).to_contain_text("太容易猜到")
    page.locator("#id_password-new_password2").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("account-password-refused.png")), full_page=True)
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)

    # A strong one is taken although the account has no family name.
    change_password(PASSWORD, NEW_PASSWORD)
    expect(page.locator(".messages")).to_contain_text("修改成功")
    page.screenshot(path=str(screenshot_path("account-password-changed.png")), full_page=True)
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    assert not editor.last_name

    page.context.clear_cookies()  # signed out
    sign_in(NEW_PASSWORD)
    expect(page).to_have_title(re.compile(r"^控制面板"))
    assert problems == []
