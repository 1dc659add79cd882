"""The portal home (Art. 10) and a citizen's way to an item: latest and key items of every unit on
the portal, each unit's latest items on its home, the directory of all units; a published item
is three clicks from the portal and is in the feed, the sitemap and the API; nothing draft or
withdrawn shows anywhere."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure_pages.models import FaqPage, NewsPage, PolicyDocumentPage
from tests.factories import add_item, column
from tests.public_helpers import Browser, bulk_live_items, links, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths; a test elsewhere that changes sites and rolls back
    leaves them stale (wrong ports in full URLs)."""
    cache.clear()


def section(response, key):
    """The items of one home-page section (`latest` or `highlights`), by title."""
    for entry in response.context["home_sections"]:
        if entry["key"] == key:
            return [item.title for item in entry["items"]]
    return None


def home(client, host="localhost"):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    return response


# --- the portal and unit homes ---------------------------------------------------------


def test_the_portal_shows_the_latest_items_of_every_unit(client):
    city = add_item(NewsPage, "fgw", title="市发改委动态")
    district = add_item(NewsPage, "xiangyang", title="向阳区动态")
    county_department = add_item(
        FaqPage, "luobei-jyj", title="萝北县教育局问答", question="问", answer="<p>答</p>"
    )
    response = home(client)
    latest = section(response, "latest")
    assert latest[:3] == [county_department.title, district.title, city.title]  # newest first
    hrefs = {href for href, _text in links(response.content.decode())}
    assert district.get_full_url() in hrefs  # subsite items link to their subsite
    assert county_department.get_full_url().startswith("http://luobei.localhost/luobei-jyj/")
    assert county_department.get_full_url() in hrefs


def test_latest_means_the_newest_publication_date_not_the_newest_upload(client):
    """An imported old document is published here today, but the lists show its own date:
    it does not push newer documents off the portal and the unit home."""
    import datetime

    recent = add_item(NewsPage, "fgw", title="本月动态", publish_date=datetime.date(2026, 11, 2))
    imported = add_item(
        NewsPage, "fgw", title="2015年旧文件", publish_date=datetime.date(2015, 3, 1)
    )
    for latest in (
        section(home(client), "latest"),
        section(client.get("/fgw/", HTTP_HOST="localhost"), "latest"),
    ):
        assert latest.index(recent.title) < latest.index(imported.title)


def test_the_portal_shows_key_and_hot_items_marked_for_it_only_once_live(client):
    key = add_item(PolicyDocumentPage, "fgw", title="重点：价格管理办法", on_portal=True)
    district_key = add_item(NewsPage, "xiangyang", title="重点：向阳区重大项目", on_portal=True)
    ordinary = add_item(NewsPage, "fgw", title="普通动态")
    draft = add_item(NewsPage, "fgw", title="重点：尚未发布", on_portal=True, publish=False)
    withdrawn = add_item(NewsPage, "czj", title="重点：已撤回", on_portal=True)
    withdrawn.unpublish()
    # Live, but marked for the portal only in a draft revision awaiting review.
    pending = add_item(NewsPage, "czj", title="待审核的重点标记")
    pending.on_portal = True
    pending.save_revision()

    response = home(client)
    highlights = section(response, "highlights")
    assert set(highlights) == {key.title, district_key.title}
    html = response.content.decode()
    for hidden in (draft, withdrawn):
        assert hidden.title not in html
    assert pending.title not in highlights and ordinary.title not in highlights
    pending.get_latest_revision().publish()
    assert pending.title in section(home(client), "highlights")


def test_a_unit_home_shows_its_own_latest_items_and_no_portal_highlights(client):
    own = add_item(NewsPage, "xiangyang", title="向阳区自己的动态", on_portal=True)
    department = add_item(NewsPage, "xiangyang-mzj", title="向阳区民政局动态")
    add_item(NewsPage, "fgw", title="市发改委动态")
    draft = add_item(NewsPage, "xiangyang", title="向阳区草稿", publish=False)
    response = home(client, "xiangyang.localhost")
    assert section(response, "latest") == [own.title]
    assert section(response, "highlights") is None
    assert draft.title not in response.content.decode()
    section_home = client.get("/xiangyang-mzj/", HTTP_HOST="xiangyang.localhost")
    assert section(section_home, "latest") == [department.title]


def test_the_portal_directory_lists_every_unit_with_its_site_or_section(client):
    hrefs = {href: text for href, text in links(home(client).content.decode())}
    assert hrefs["http://xiangyang.localhost/"] == "向阳区人民政府"
    assert hrefs["/fgw/"] == "鹤岗市发展和改革委员会"
    assert hrefs["http://jyj.localhost/"] == "鹤岗市教育局"
    assert hrefs["http://luobei.localhost/luobei-jyj/"] == "萝北县教育局"  # a county's department
    assert hrefs["http://xiangyang.localhost/xiangyang-mzj/"] == "向阳区民政局"


def test_the_portal_home_runs_a_constant_number_of_queries(client):
    bulk_live_items(column("fgw", "gzdt"), 3, NewsPage, prefix="few", on_portal=True)
    home(client)
    with CaptureQueriesContext(connection) as few:
        home(client)
    bulk_live_items(column("czj", "gzdt"), 80, NewsPage, prefix="many", on_portal=True)
    bulk_live_items(column("luobei-jyj", "gzdt"), 80, NewsPage, prefix="many")
    with CaptureQueriesContext(connection) as many:
        response = home(client)
    assert len(section(response, "latest")) == 10
    assert len(many) == len(few)


# --- a citizen's way to an item, and the other surfaces ----------------------------------


@pytest.mark.parametrize(
    ("unit_slug", "unit_name", "host"),
    [
        ("xiangyang", "向阳区人民政府", "xiangyang.localhost"),  # a district with its own subsite
        ("fgw", "鹤岗市发展和改革委员会", "localhost"),  # a department: a section of the portal
        ("luobei-jyj", "萝北县教育局", "luobei.localhost"),  # a county department: a section
    ],
)
def test_a_citizen_reaches_a_published_item_in_three_clicks_and_finds_it_everywhere(
    client, settings, unit_slug, unit_name, host
):
    document = make_document(unit_slug, name="实施方案.pdf")
    item = add_item(
        PolicyDocumentPage,
        unit_slug,
        title="关于印发乡村振兴实施方案的通知",
        doc_number="测政发〔2026〕5号",
        attachments=[("attachment", {"document": document, "title": "实施方案全文"})],
    )
    item.refresh_from_db()
    draft = add_item(PolicyDocumentPage, unit_slug, title="仍在审核的方案草稿", publish=False)
    withdrawn = add_item(PolicyDocumentPage, unit_slug, title="已经撤回的方案")
    withdrawn.unpublish()

    browser = Browser(client, "http://localhost/")
    assert browser.get("/").status_code == 200
    browser.click(unit_name)  # 1: portal → the unit (subsite or section)
    assert browser.response.status_code == 200
    assert urlsplit(browser.url).hostname == host
    browser.click("政务公开目录")  # 2: the unit → its catalogue
    assert browser.response.status_code == 200
    catalogue_url = browser.url
    catalogue_html = browser.html
    browser.click(item.title)  # 3: the catalogue → the item
    assert browser.response.status_code == 200
    assert browser.url == item.get_full_url()

    html = browser.html
    for text in (item.index_number, "测政发〔2026〕5号", "政策法规", item.issuer):
        assert text in html
    attachment = dict((text, href) for href, text in links(html))["实施方案全文"]
    assert attachment == document.url
    # Tests keep files in memory, which Wagtail cannot stream from a path: let it redirect to
    # the storage instead (what it does with remote storage), proving the link is served.
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    download = Browser(client, browser.url).get(attachment)
    assert download.status_code == 302 and download["Location"] == document.file.url

    # The same item in the unit's feed, its site's sitemap and the API of that site.
    feed = Browser(client, catalogue_url).get("feed/")
    assert feed.status_code == 200
    feed_links = [
        link.get("href")
        for link in ET.fromstring(feed.content).iter("{http://www.w3.org/2005/Atom}link")
    ]
    assert item.get_full_url() in feed_links
    sitemap = Browser(client, f"http://{host}/").get("/sitemap.xml").content.decode()
    assert f"<loc>{item.get_full_url()}</loc>" in sitemap
    api = Browser(client, f"http://{host}/").get(
        "/api/v2/pages/?type=disclosure_pages.PolicyDocumentPage&fields=index_number"
    )
    assert {page["index_number"] for page in api.json()["items"]} == {item.index_number}

    # Nothing in review or withdrawn, on any surface.
    surfaces = [
        home(client).content.decode(),
        browser.get(f"http://{host}/").content.decode(),
        catalogue_html,
        Browser(client, catalogue_url).get("zcfg/").content.decode(),
        feed.content.decode(),
        sitemap,
        json.dumps(api.json(), ensure_ascii=False),
    ]
    for hidden in (draft, withdrawn):
        for surface in surfaces:
            assert hidden.title not in surface and f"/{hidden.slug}/" not in surface
        assert (
            Browser(client, f"http://{host}/").get(f"/api/v2/pages/{hidden.pk}/").status_code == 404
        )


def test_descendants_skip_the_path_filter_only_while_the_portal_is_the_only_top_level_page(db):
    from wagtail.models import Page

    from unit_sites.models import UnitPage, descendants

    portal = UnitPage.objects.get(slug="hegang")
    expected = set(Page.objects.descendant_of(portal).values_list("pk", flat=True))
    assert set(descendants(Page.objects.all(), portal).values_list("pk", flat=True)) == expected

    other_root = Page.get_first_root_node().add_child(instance=Page(title="另一门户", slug="other"))
    outsider = other_root.add_child(instance=Page(title="门户之外", slug="outside"))
    portal = UnitPage.objects.get(slug="hegang")  # a fresh object: the answer is kept per object
    found = set(descendants(Page.objects.all(), portal).values_list("pk", flat=True))
    assert found == expected
    assert not {other_root.pk, outsider.pk} & found
    inclusive = set(
        descendants(Page.objects.all(), portal, inclusive=True).values_list("pk", flat=True)
    )
    assert inclusive == expected | {portal.pk}
