"""The Wagtail admin as a unit's editor sees it, in a real browser.

A department's editor logs in through the real (Chinese) login form and finds in the page
explorer and the admin search only its own unit's catalogue, never another department's pages.
"""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Page

from disclosure_pages.taxonomy import CATALOGUE_CLASSES

PASSWORD = settings.GONGKAI_DEMO_PASSWORD
EDITOR = "fgw-editor"
OWN_UNIT = "鹤岗市发展和改革委员会"
OTHER_UNIT = "鹤岗市财政局"
CATALOGUE_SLUG = "gkml"
CATALOGUE_TITLE = "政务公开目录"
SHARED_CLASS = "政府职能"  # a catalogue class every unit has
CLASS_NAMES = [name for _code, name, _description in CATALOGUE_CLASSES]


@pytest.fixture
def three_units(provision_units):
    """The portal and two city departments (sections), provisioned in a flushed database."""
    units = provision_units("hegang", "fgw", "czj")
    assert (units["fgw"].title, units["czj"].title) == (OWN_UNIT, OTHER_UNIT)
    return units


@pytest.mark.browser
def test_department_editor_sees_only_its_own_catalogue(
    live_server, three_units, browser_page, screenshot_path
):
    page = browser_page
    base = live_server.url
    own_catalogue = three_units["fgw"].get_children().get(slug=CATALOGUE_SLUG)
    own_classes = {p.title: p.pk for p in own_catalogue.get_children()}
    assert list(own_classes) == CLASS_NAMES

    # Controls: unrestricted, the search backend finds the other department and every
    # unit's "政府职能" class page. So the editor's empty or single results below come
    # from the permission filter, not from a search that cannot find Chinese words.
    assert three_units["czj"].pk in [p.pk for p in Page.objects.search(OTHER_UNIT)]
    assert len(Page.objects.search(SHARED_CLASS)) == len(three_units)

    # The login page is in Chinese; sign in through the real form.
    page.goto(f"{base}/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile(r"^登录"))
    submit = page.locator("form.login-form button[type=submit]")
    expect(submit).to_have_text("登录")
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(PASSWORD)
    submit.click()
    page.wait_for_url(f"{base}/admin/")
    expect(page).to_have_title(re.compile(r"^控制面板"))  # the dashboard, in Chinese

    # The sidebar's page explorer starts at the editor's own unit and lists only its
    # workspaces (the catalogue and the citizen-service pages), never another unit.
    own_unit = three_units["fgw"]
    workspaces = list(own_unit.get_children().order_by("path"))
    assert own_catalogue.pk in [workspace.pk for workspace in workspaces]
    page.locator("#wagtail-sidebar").get_by_role("button", name="页面", exact=True).click()
    explorer = page.locator(".c-page-explorer")
    expect(explorer.locator(".c-page-explorer__header__title")).to_have_text(own_unit.title)
    expect(explorer.locator(".c-page-explorer__item__title")).to_have_count(len(workspaces))
    expect(explorer).to_contain_text(CATALOGUE_TITLE)
    expect(explorer).not_to_contain_text(OTHER_UNIT)
    page.keyboard.press("Escape")

    # The explorer's listing: /admin/pages/ sends the editor to its own unit, which lists
    # exactly its own workspaces; the other department appears nowhere on the page.
    page.goto(f"{base}/admin/pages/")
    expect(page).to_have_url(f"{base}/admin/pages/{own_unit.pk}/")
    rows = page.locator("main table.listing tbody tr")
    expect(rows).to_have_count(len(workspaces))
    assert _edit_link_ids(rows) == {workspace.pk for workspace in workspaces}
    assert OTHER_UNIT not in page.content()
    # The catalogue lists exactly the unit's 8 class pages.
    page.goto(f"{base}/admin/pages/{own_catalogue.pk}/")
    rows = page.locator("main table.listing tbody tr")
    expect(rows).to_have_count(len(CLASS_NAMES))
    assert _edit_link_ids(rows) == set(own_classes.values())
    page.screenshot(path=screenshot_path("admin-editor-explorer.png"), full_page=True)

    # The admin search (from the sidebar's search box) finds nothing of the other department…
    _search(page, base, OTHER_UNIT)
    expect(page.locator("main h2[role=alert]")).to_have_text(f"对不起，没有符合{OTHER_UNIT}的页面")
    expect(page.locator("main table.listing tbody tr")).to_have_count(0)

    # …and of a title that every unit's catalogue has, only the editor's own page.
    _search(page, base, SHARED_CLASS)
    rows = page.locator("main table.listing tbody tr")
    expect(rows).to_have_count(1)
    assert _edit_link_ids(rows) == {own_classes[SHARED_CLASS]}


def _search(page, base, query):
    box = page.locator("#menu-search-q")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"{base}/admin/pages/search/?q={quote(query)}")


def _edit_link_ids(rows):
    """The ids of the pages whose edit links the listing rows hold."""
    hrefs = rows.locator("a[href$='/edit/']").evaluate_all("links => links.map(a => a.pathname)")
    return {
        int(m.group(1)) for href in hrefs if (m := re.fullmatch(r"/admin/pages/(\d+)/edit/", href))
    }
