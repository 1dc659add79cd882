"""Both shipped themes in a real browser: no serious or critical axe-core violation on the
public pages a citizen uses, at desktop and phone widths; the accessible theme's large type,
keyboard use and touch targets; screenshots of every page.

axe-core comes from `make axe` (var/vendor/, pinned); nothing is downloaded here. With
GONGKAI_SCREENSHOTS_DIR set (`make screenshots`) the screenshots go there (docs/screenshots/)
as small PNGs, else to var/screenshots/."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Site

from disclosure_pages.models import NewsPage, PolicyDocumentPage
from tests.factories import add_item
from themes.models import SiteThemeSettings
from unit_sites.models import UnitPage

VENDOR = Path(settings.BASE_DIR) / "var" / "vendor"
WIDTHS = {"desktop": 1280, "phone": 390}
THEMES = ("default", "accessible")
MAX_HEIGHT = 1600
BLOCKING = {"serious", "critical"}


def axe_script():
    found = sorted(VENDOR.glob("axe-core-*/axe.min.js"))
    if not found:
        pytest.fail("axe-core is missing: run `make axe` (part of `make test`).", pytrace=False)
    return found[-1]


def screenshots_dir():
    target = os.environ.get("GONGKAI_SCREENSHOTS_DIR")
    path = Path(settings.BASE_DIR) / (target or "var/screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path, bool(target)


def build_platform(provision_units):
    """The portal, a department's section, a few items, the footer's numbers and contacts."""
    units = provision_units("hegang", "fgw")
    UnitPage.objects.filter(slug="hegang").update(
        address="黑龙江省鹤岗市向阳区红军路1号", phone="0468-3222222"
    )
    UnitPage.objects.filter(slug="fgw").update(address="鹤岗市政府大楼3楼", phone="0468-3211111")
    portal = Site.objects.get(is_default_site=True)
    SiteThemeSettings.objects.update_or_create(
        site=portal,
        defaults={
            "website_code": "2304000001",
            "icp_number": "黑ICP备05000001号",
            "police_number": "黑公网安备 23040202000001号",
            "operator": "鹤岗市政务服务中心",
        },
    )
    item = add_item(
        PolicyDocumentPage,
        "fgw",
        title="鹤岗市发展和改革委员会关于进一步优化营商环境的实施意见",
        doc_number="鹤发改发〔2026〕3号",
        issuer="鹤岗市发展和改革委员会",
        summary="围绕市场准入、政务服务、要素保障等方面提出二十条措施。",
        written_date=datetime.date(2026, 1, 5),
        publish_date=datetime.date(2026, 1, 8),
    )
    for number in range(1, 6):
        add_item(
            NewsPage,
            "fgw",
            title=f"市发改委召开第{number}季度重点项目推进会",
            publish_date=datetime.date(2026, 1, 10 + number),
        )
    return units, item


def pages_to_check(units, item):
    fgw = units["fgw"]
    return {
        "portal": "/",
        "unit": f"/{fgw.slug}/",
        "catalogue": f"/{fgw.slug}/gkml/",
        "item": item.get_url(),
        "search": "/search/?q=营商环境",
        "application": f"/{fgw.slug}/ysqgk/",
    }


def run_axe(page, script):
    page.add_script_tag(path=str(script))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def save_screenshot(page, path, small):
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    png = page.screenshot(
        full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)}
    )
    if small:  # a palette of 64 colours keeps docs/ light and text sharp
        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB")
        image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        image.save(path, optimize=True)
    else:
        path.write_bytes(png)


@pytest.mark.browser
def test_both_themes_pass_axe_on_the_public_pages(live_server, provision_units, browser_page):
    units, item = build_platform(provision_units)
    script = axe_script()
    shots, for_docs = screenshots_dir()
    base = live_server.url
    browser = browser_page.context.browser
    failures = []
    for theme in THEMES:
        for width_name, width in WIDTHS.items():
            context = browser.new_context(
                locale="zh-CN",
                viewport={"width": width, "height": 900},
                device_scale_factor=1,
                bypass_csp=True,  # axe is injected as an inline script
            )
            if theme == "accessible":
                context.add_cookies([{"name": "gongkai_view", "value": "accessible", "url": base}])
            page = context.new_page()
            for name, path in pages_to_check(units, item).items():
                response = page.goto(base + path)
                assert response.status == 200, (theme, path, response.status)
                assert page.locator("html").get_attribute("data-theme") == theme
                assert page.locator("html").get_attribute("lang") == "zh-Hans"
                for violation in run_axe(page, script):
                    failures.append(f"{theme}/{width_name} {path}: {violation}")
                save_screenshot(page, shots / f"{theme}-{name}-{width_name}.png", for_docs)
            if theme == "accessible" and width_name == "phone":
                # The check can fail: text too faint to read is reported as serious.
                page.evaluate(
                    """document.querySelector('main').insertAdjacentHTML('beforeend',
                    '<p style="color:#ddd;background:#fff">看不清的文字</p>')"""
                )
                assert "color-contrast" in {v["id"] for v in run_axe(page, script)}
            context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_the_accessible_view_is_large_keyboard_friendly_and_reached_without_javascript(
    live_server, provision_units, browser_page
):
    _units, item = build_platform(provision_units)
    base = live_server.url
    context = browser_page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{base}/fgw/gkml/")
    assert page.locator("html").get_attribute("data-theme") == "default"
    page.locator("a.view-switch").click()  # a plain link: no JavaScript needed
    page.wait_for_url(f"{base}/fgw/gkml/?view=accessible")
    assert page.locator("html").get_attribute("data-theme") == "accessible"
    page.goto(base + item.get_url())  # remembered
    assert page.locator("html").get_attribute("data-theme") == "accessible"
    context.close()

    # With scripts (as most visitors): sizes, focus and keyboard.
    page = browser_page
    page.context.add_cookies([{"name": "gongkai_view", "value": "accessible", "url": base}])
    page.goto(f"{base}/fgw/ysqgk/")
    body_px = float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))
    assert body_px >= 18
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('main *, header *, footer *')]
            .filter(e => e.offsetParent !== null && e.childNodes.length &&
                    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert smallest >= 18, smallest
    # The first Tab reaches the skip link, visibly; following it moves focus to main.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 3
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Touch targets: the navigation, the switch and the form's button are at least 44 px high.
    for selector in (".main-nav a", ".view-switch", "form.citizen-form button[type=submit]"):
        for box in [el.bounding_box() for el in page.locator(selector).all()]:
            assert box["height"] >= 44, (selector, box)
    # The current navigation item is marked by more than colour (aria-current and a marker).
    current = page.locator(".main-nav a[aria-current]")
    assert current.count() == 1
    marker = page.evaluate(
        "getComputedStyle(document.querySelector('.main-nav a[aria-current]'), '::before').content"
    )
    assert marker not in ("none", "normal", "")
    # Back to the standard view.
    page.locator("a.view-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("data-theme") == "default"
