"""Other terminals (Art. 12): Atom feeds per unit and per class column, one sitemap per site,
and the JSON API; nothing unpublished or draft reaches any of them."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from disclosure_pages.models import NewsPage, PolicyDocumentPage
from tests.factories import add_item
from tests.public_helpers import links, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths; a test elsewhere that changes sites and rolls back
    leaves them stale (wrong ports in full URLs)."""
    cache.clear()


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(client, url, status=200):
    parts = urlsplit(url)
    response = client.get(
        parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=parts.hostname
    )
    assert response.status_code == status, (url, response.status_code)
    return response


def feed_entries(client, url):
    response = fetch(client, url)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}link").get("href")
        for entry in root.findall(f"{ATOM}entry")
    }


def sitemap_locations(client, host):
    response = fetch(client, f"http://{host}/sitemap.xml")
    root = ET.fromstring(response.content)
    return [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]


@pytest.fixture
def items():
    """Published items in a portal section and in a subsite, a draft and a withdrawn item."""
    policy = add_item(
        PolicyDocumentPage,
        "fgw",
        title="关于印发价格管理办法的通知",
        doc_number="鹤发改规〔2026〕1号",
    )
    policy.tags.add("价格")
    policy.save_revision().publish()
    news = add_item(NewsPage, "fgw", title="市发改委召开工作会议")
    subsite = add_item(NewsPage, "xiangyang", title="向阳区召开工作会议")
    draft = add_item(PolicyDocumentPage, "fgw", title="尚未审核的草稿", publish=False)
    withdrawn = add_item(NewsPage, "fgw", title="已撤回的信息")
    withdrawn.unpublish()
    return {
        "policy": policy,
        "news": news,
        "subsite": subsite,
        "draft": draft,
        "withdrawn": withdrawn,
    }


# --- feeds -----------------------------------------------------------------------------


def test_the_units_feed_lists_its_live_items(client, items):
    entries = feed_entries(client, "http://localhost/fgw/gkml/feed/")
    assert entries == {
        items["policy"].title: items["policy"].get_full_url(),
        items["news"].title: items["news"].get_full_url(),
    }


def test_a_class_column_feed_lists_only_that_class(client, items):
    assert set(feed_entries(client, "http://localhost/fgw/gkml/zcfg/feed/")) == {
        items["policy"].title
    }
    assert set(feed_entries(client, "http://localhost/fgw/gkml/gzdt/feed/")) == {
        items["news"].title
    }


def test_a_subsite_units_feed_links_to_its_subsite(client, items):
    entries = feed_entries(client, "http://xiangyang.localhost/gkml/feed/")
    assert entries == {
        items["subsite"].title: "http://xiangyang.localhost"
        + urlsplit(items["subsite"].get_full_url()).path
    }
    assert entries[items["subsite"].title].startswith("http://xiangyang.localhost/gkml/gzdt/")


def test_catalogue_pages_announce_their_feed(client, items):
    for path, feed in (
        ("/fgw/gkml/", "/fgw/gkml/feed/"),
        ("/fgw/gkml/zcfg/", "/fgw/gkml/zcfg/feed/"),
    ):
        html = fetch(client, f"http://localhost{path}").content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html


def test_feed_entries_carry_date_author_and_class(client, items):
    root = ET.fromstring(fetch(client, "http://localhost/fgw/gkml/zcfg/feed/").content)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "鹤岗市发展和改革委员会"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {
        "政策法规",
        items["policy"].key_kind.name,
    }


def test_unknown_routes_below_a_catalogue_are_404(client):
    fetch(client, "http://localhost/fgw/gkml/feed/extra/", status=404)


# --- sitemaps --------------------------------------------------------------------------


def test_each_site_lists_only_its_own_pages(client, items):
    portal = sitemap_locations(client, "localhost")
    assert portal and all(url.startswith("http://localhost/") for url in portal)
    assert items["policy"].get_full_url() in portal
    assert "http://localhost/fgw/gkml/" in portal
    assert not any("xiangyang" in url or "luobei" in url for url in portal)

    subsite = sitemap_locations(client, "xiangyang.localhost")
    assert subsite and all(url.startswith("http://xiangyang.localhost/") for url in subsite)
    assert items["subsite"].get_full_url() in subsite
    assert "http://xiangyang.localhost/" in subsite

    # A county's department is a section of the county's site, so it is in that sitemap.
    county = sitemap_locations(client, "luobei.localhost")
    assert "http://luobei.localhost/luobei-jyj/gkml/" in county


def test_no_draft_or_withdrawn_page_is_in_any_sitemap(client, items):
    everything = " ".join(
        sitemap_locations(client, "localhost") + sitemap_locations(client, "xiangyang.localhost")
    )
    assert items["draft"].slug not in everything
    assert items["withdrawn"].slug not in everything


# --- API -------------------------------------------------------------------------------


def api(client, query, host="localhost", status=200):
    return fetch(client, f"http://{host}/api/v2/{query}", status=status)


def test_the_api_exposes_typed_pages_with_their_catalogue_metadata(client, items):
    data = api(client, "pages/?type=disclosure_pages.PolicyDocumentPage&fields=*").json()
    by_title = {page["title"]: page for page in data["items"]}
    assert set(by_title) == {items["policy"].title}
    page = by_title[items["policy"].title]
    items["policy"].refresh_from_db()
    assert page["index_number"] == items["policy"].index_number
    assert page["doc_number"] == "鹤发改规〔2026〕1号"
    assert page["tag_names"] == ["价格"]
    assert page["catalogue_class_name"] == "政策法规"
    assert page["unit_name"] == "鹤岗市发展和改革委员会"
    assert page["validity"] == "valid"
    assert "is_normative" in page and "effective_date" in page
    assert page["meta"]["html_url"] == items["policy"].get_full_url()


def test_the_api_detail_has_the_metadata(client, items):
    page = api(client, f"pages/{items['policy'].pk}/").json()
    assert page["doc_number"] == "鹤发改规〔2026〕1号"
    assert page["meta"]["type"] == "disclosure_pages.PolicyDocumentPage"


def test_drafts_and_withdrawn_pages_never_appear_in_the_api(client, items):
    for query in ("pages/?limit=20&type=disclosure_pages.NewsPage", "pages/?type=disclosure_pages.PolicyDocumentPage",
                  "pages/?search=草稿", f"pages/?child_of={items['news'].get_parent().pk}"):  # fmt: skip
        titles = {page["title"] for page in api(client, query).json()["items"]}
        assert items["draft"].title not in titles and items["withdrawn"].title not in titles
    for item in (items["draft"], items["withdrawn"]):
        api(client, f"pages/{item.pk}/", status=404)
        api(client, f"pages/{item.pk}/", host="xiangyang.localhost", status=404)


def test_the_api_lists_documents_that_live_pages_publish(
    client, django_capture_on_commit_callbacks
):
    document = make_document("fgw", name="申请表.docx", content=b"PK test")
    make_document("fgw", name="内部草稿.docx", content=b"PK draft")
    with django_capture_on_commit_callbacks(execute=True):  # the reference index updates on commit
        add_item(NewsPage, "fgw", attachments=[("attachment", {"document": document, "title": ""})])
    data = api(client, "documents/").json()
    downloads = {doc["title"]: doc["meta"]["download_url"] for doc in data["items"]}
    assert "申请表" in downloads
    assert "内部草稿" not in downloads  # uploaded, but no reviewed page publishes it
    assert api(client, f"documents/{document.pk}/").json()["title"] == "申请表"
    assert "items" in api(client, "images/").json()


def test_item_pages_link_their_attachment_and_the_api_shows_it(client):
    document = make_document("fgw")
    item = add_item(
        NewsPage, "fgw", attachments=[("attachment", {"document": document, "title": "附件一"})]
    )
    html = fetch(client, item.get_full_url()).content.decode()
    assert (document.url, "附件一") in links(html)
    page = api(client, f"pages/{item.pk}/").json()
    assert page["attachments"][0]["value"]["document"] == document.pk


def test_a_feed_reached_through_the_parent_host_redirects_to_the_subsite_feed(client):
    response = fetch(client, "http://localhost/xiangyang/gkml/zcfg/feed/", status=301)
    assert response["Location"] == "http://xiangyang.localhost/gkml/zcfg/feed/"


def test_pending_changes_of_a_live_item_stay_private_everywhere(client, items):
    """A live item edited and awaiting review keeps its published version on every surface."""
    policy = items["policy"]
    policy.title = "审核中的新标题"
    policy.summary = "审核中的新概述"
    policy.save_revision()
    surfaces = [
        fetch(client, "http://localhost/fgw/gkml/").content.decode(),
        fetch(client, "http://localhost/fgw/gkml/zcfg/").content.decode(),
        fetch(client, "http://localhost/").content.decode(),
        fetch(client, policy.get_full_url()).content.decode(),
        fetch(client, "http://localhost/fgw/gkml/feed/").content.decode(),
        json.dumps(api(client, f"pages/{policy.pk}/").json(), ensure_ascii=False),
        json.dumps(
            api(client, "pages/?type=disclosure_pages.PolicyDocumentPage&fields=*").json(),
            ensure_ascii=False,
        ),
    ]
    for surface in surfaces:
        assert "审核中的新" not in surface
        assert "关于印发价格管理办法的通知" in surface
