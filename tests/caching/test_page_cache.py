"""The page cache: a hit is really served from the cache, every kind of change purges what it
must (no stale page after publish, unpublish, move or withdrawal) and nothing private is ever
cached."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from caching.purge import urls_affected_by
from disclosure_pages.models import CatalogueIndexPage, NewsPage
from review.models import Withdrawal
from review.views import withdraw_page
from tests.factories import add_item, column
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE = {"ENABLED": True}
    settings.VAR_DIR = tmp_path  # the local-memory epoch file


@pytest.fixture
def visitor():
    return Client()


def get(client, url, **extra):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(path, HTTP_HOST=parts.hostname or "localhost", **extra)


def text(response):
    """The page's text without tags (search highlighting splits titles with <mark>)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def warm(client, url):
    """Fetch twice: the second answer must come from the cache."""
    first = get(client, url)
    second = get(client, url)
    assert second["X-Cache"] == "HIT", (url, first.status_code, first["X-Cache"])
    return text(second)


def unit(slug):
    return UnitPage.objects.get(slug=slug)


def catalogue_urls(unit_slug, class_code="gzdt"):
    catalogue = CatalogueIndexPage.objects.child_of(unit(unit_slug)).get()
    url = catalogue.get_full_url()
    return [url, f"{url}{class_code}/", f"{url}feed/", f"{url}{class_code}/feed/"]


def site_root(page):
    return page.get_site().root_url


# --- a hit is a hit ---------------------------------------------------------------------


def test_a_warm_page_is_served_from_the_cache_without_any_query(visitor):
    item = add_item(NewsPage, "fgw", title="缓存命中测试")
    first = get(visitor, item.get_full_url())
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = get(visitor, item.get_full_url())
    assert second["X-Cache"] == "HIT"
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_query_strings_and_hosts_are_cached_apart(visitor):
    add_item(NewsPage, "fgw", title="分页与主机测试")
    listing = catalogue_urls("fgw")[0]
    warm(visitor, listing)
    assert get(visitor, listing + "?sort=title")["X-Cache"] == "MISS"
    assert get(visitor, "http://jyj.localhost/")["X-Cache"] == "MISS"
    assert "分页与主机测试" not in get(visitor, "http://jyj.localhost/").content.decode()


# --- every change purges what it affects ------------------------------------------------


def affected_pages(item):
    """The public pages showing a fgw item: its page, catalogue and column with their
    feeds, the unit home, the portal home, the sitemap and the search of its site."""
    root = site_root(item)
    return [
        *catalogue_urls("fgw"),
        unit("fgw").get_full_url(),
        unit("hegang").get_full_url(),
        f"{root}/sitemap.xml",
        f"{root}/search/?q=%E7%BC%93%E5%AD%98%E5%8F%91%E5%B8%83",  # 缓存发布
    ]


def test_publishing_purges_every_page_showing_the_item(visitor, django_capture_on_commit_callbacks):
    older = add_item(NewsPage, "fgw", title="缓存发布旧稿", on_portal=True)
    pages = affected_pages(older)
    for url in [older.get_full_url(), *pages]:
        assert "缓存发布新稿" not in warm(visitor, url)

    older.title = "缓存发布新稿"
    with django_capture_on_commit_callbacks(execute=True):
        older.save_revision().publish()
    newer = add_item(NewsPage, "fgw", title="缓存发布第二篇", slug="cache-second")

    for url in [older.get_full_url(), *pages]:
        response = get(visitor, url)
        assert response["X-Cache"] == "MISS", url  # purged, rendered again
        if "sitemap" not in url:  # the sitemap lists addresses, not titles
            html = text(response)
            assert "缓存发布新稿" in html and "缓存发布旧稿" not in html, url
    for url in [newer.get_full_url(), *pages[:2], pages[4]]:
        assert "缓存发布第二篇" in text(get(visitor, url)), url
    assert newer.slug in get(visitor, pages[6]).content.decode()


def test_unpublishing_purges_the_item_and_its_listings(visitor):
    item = add_item(NewsPage, "fgw", title="缓存撤下测试", on_portal=True)
    pages = affected_pages(item)[:7]
    for url in [item.get_full_url(), *pages]:
        assert "缓存撤下测试" in warm(visitor, url) or "sitemap" in url
    item.unpublish()
    assert get(visitor, item.get_full_url()).status_code == 404
    for url in pages:
        html = text(get(visitor, url))
        assert "缓存撤下测试" not in html and item.slug not in html, url


def test_withdrawing_purges_the_item_and_the_portal_highlight(visitor, user_named):
    item = add_item(NewsPage, "fgw", title="缓存撤回测试", on_portal=True)
    portal = unit("hegang").get_full_url()
    warm(visitor, item.get_full_url())
    assert "缓存撤回测试" in warm(visitor, portal)
    withdraw_page(item, user_named("fgw-reviewer"), reason=Withdrawal.Reason.ERROR)
    assert get(visitor, item.get_full_url()).status_code == 410
    assert "缓存撤回测试" not in get(visitor, portal).content.decode()
    assert "缓存撤回测试" not in get(visitor, catalogue_urls("fgw")[1]).content.decode()


def test_moving_purges_the_old_and_the_new_place(visitor):
    item = add_item(NewsPage, "fgw", title="缓存移动测试")
    old_url = item.get_full_url()
    old_pages, new_pages = catalogue_urls("fgw"), catalogue_urls("czj")
    warm(visitor, old_url)
    for url in old_pages + new_pages:
        warm(visitor, url)
    Page.objects.get(pk=item.pk).move(column("czj", "gzdt"), pos="last-child")
    item.refresh_from_db()
    moved = get(visitor, old_url)
    assert moved.status_code == 301  # Wagtail's automatic redirect, not the cached page
    assert moved["Location"] == item.get_full_url()
    assert get(visitor, item.get_full_url()).status_code == 200
    for url in old_pages:
        assert "缓存移动测试" not in text(get(visitor, url)), url
    for url in new_pages:
        assert "缓存移动测试" in text(get(visitor, url)), url


def test_a_change_purges_exactly_its_pages(visitor, settings):
    """Publishing in one unit leaves other units' cached pages alone (and hits stay hits) in
    a shared cache (without the epoch file that a per-process cache needs)."""
    settings.GONGKAI_PAGE_CACHE = {"ENABLED": True, "EPOCH_FILE": False}
    item = add_item(NewsPage, "fgw", title="精确清除测试")
    urls = urls_affected_by(item)
    assert item.get_full_url() in urls
    assert set(catalogue_urls("fgw")) <= urls
    assert unit("fgw").get_full_url() in urls
    assert not set(catalogue_urls("czj")) & urls
    assert unit("czj").get_full_url() not in urls
    other = catalogue_urls("czj")[0]
    warm(visitor, other)
    add_item(NewsPage, "fgw", title="精确清除测试二")
    assert get(visitor, other)["X-Cache"] == "HIT"


def test_the_portal_is_purged_only_when_the_item_is_shown_there():
    add_item(NewsPage, "fgw", title="门户最新")
    portal = unit("hegang").get_full_url()
    for n in range(10):
        add_item(NewsPage, "czj", title=f"较新{n}")
    old = NewsPage.objects.get(title="门户最新")
    assert portal not in urls_affected_by(old)  # ten newer items: off the portal's list
    old.on_portal = True
    assert portal in urls_affected_by(old)


def test_moving_a_publication_date_back_takes_the_item_off_the_portal(visitor):
    """The portal lists the newest publication dates: an item whose date is moved back leaves
    the list, and the portal is purged (the rule reads the earlier revision's date)."""
    import datetime

    for n in range(10):
        add_item(NewsPage, "czj", title=f"日期较早{n}", publish_date=datetime.date(2026, 1, 1))
    item = add_item(NewsPage, "fgw", title="改日期测试", publish_date=datetime.date(2026, 6, 1))
    portal = unit("hegang").get_full_url()
    assert "改日期测试" in warm(visitor, portal)
    item.publish_date = datetime.date(2020, 1, 1)
    item.save_revision().publish()
    assert "改日期测试" not in text(get(visitor, portal))
    # Asked after the publication (page_published), as the purge asks: the item is off the
    # list now, and was on it before (a local-memory cache forgets everything on any purge,
    # so the page above cannot tell).
    assert portal in urls_affected_by(item)
    # An item dated before the whole list that never was on it leaves the portal alone.
    old = add_item(NewsPage, "fgw", title="旧文件", publish_date=datetime.date(2019, 1, 1))
    assert portal not in urls_affected_by(old)


def test_a_unit_change_forgets_its_whole_site(visitor):
    item = add_item(NewsPage, "xiangyang", title="区属信息")
    warm(visitor, item.get_full_url())
    district = unit("xiangyang")
    district.title = "向阳区人民政府（新名）"
    district.save_revision().publish()
    assert "向阳区人民政府（新名）" in get(visitor, item.get_full_url()).content.decode()


# --- nothing private is cached ----------------------------------------------------------


def test_logged_in_users_get_fresh_pages_and_fill_no_cache(client_for, visitor):
    item = add_item(NewsPage, "fgw", title="登录用户测试")
    editor = client_for("fgw-editor")
    for _ in range(2):
        assert get(editor, item.get_full_url())["X-Cache"] == "BYPASS"
    assert get(visitor, item.get_full_url())["X-Cache"] == "MISS"
    warm(visitor, item.get_full_url())
    assert get(editor, item.get_full_url())["X-Cache"] == "BYPASS"  # never a cached copy


def test_a_session_or_message_cookie_bypasses_the_cache(visitor):
    item = add_item(NewsPage, "fgw", title="会话测试")
    warm(visitor, item.get_full_url())
    for cookie in ("sessionid", "messages"):
        other = Client()
        other.cookies[cookie] = "x"
        assert get(other, item.get_full_url())["X-Cache"] == "BYPASS"


def test_the_accessible_view_is_cached_apart(visitor):
    item = add_item(NewsPage, "fgw", title="无障碍测试")
    warm(visitor, item.get_full_url())
    other = Client()
    other.cookies["gongkai_view"] = "accessible"
    assert get(other, item.get_full_url())["X-Cache"] == "MISS"


def test_drafts_previews_and_the_admin_are_never_cached(client_for, visitor):
    item = add_item(NewsPage, "fgw", title="草稿前的标题")
    warm(visitor, item.get_full_url())
    item.title = "尚未审核的草稿标题"
    item.save_revision()
    draft = add_item(NewsPage, "fgw", title="全新草稿", publish=False)
    for _ in range(2):
        assert get(visitor, draft.get_full_url()).status_code == 404
    editor = client_for("fgw-editor")
    preview = editor.get(f"/admin/pages/{item.pk}/view_draft/")
    assert preview.status_code == 200 and "尚未审核的草稿标题" in preview.content.decode()
    assert "尚未审核的草稿标题" not in get(visitor, item.get_full_url()).content.decode()
    assert editor.get("/admin/")["X-Cache"] == "BYPASS"
    preview = item.get_latest_revision_as_object().make_preview_request()
    assert "尚未审核的草稿标题" in preview.content.decode()
    assert "尚未审核的草稿标题" not in get(visitor, item.get_full_url()).content.decode()


@pytest.mark.parametrize("path", ["/ysqgk/", "/ysqgk/track/", "/tsjd/"])
def test_citizen_forms_and_tracking_pages_are_never_cached(visitor, path):
    for _ in range(2):
        response = get(visitor, f"http://localhost{path}")
        assert response.status_code == 200
        assert response["X-Cache"] == "BYPASS"


def test_posts_are_never_served_from_the_cache(visitor):
    item = add_item(NewsPage, "fgw", title="提交测试")
    warm(visitor, item.get_full_url())
    response = visitor.post(urlsplit(item.get_full_url()).path, HTTP_HOST="localhost")
    assert response["X-Cache"] == "BYPASS"


def test_the_rating_form_keeps_item_pages_cacheable(visitor):
    """The item page carries the rating form: it must not set a CSRF cookie."""
    item = add_item(NewsPage, "fgw", title="评价测试")
    response = get(visitor, item.get_full_url())
    assert 'id="rating"' in response.content.decode()
    assert not response.cookies
    csrf_client = Client(enforce_csrf_checks=True)
    rated = csrf_client.post(f"/citizen/rate/{item.pk}/", {"useful": "yes"}, HTTP_HOST="localhost")
    assert rated.status_code == 302


def test_a_batch_in_one_transaction_purges_every_item(visitor):
    """Imports publish many items in one transaction (what a column implies is computed once
    per batch): each item's own page and the listings are still purged."""
    items = [add_item(NewsPage, "fgw", title=f"批量旧标题{n}") for n in range(3)]
    listing = catalogue_urls("fgw")[1]
    for item in items:
        warm(visitor, item.get_full_url())
    warm(visitor, listing)
    with transaction.atomic():
        for n, item in enumerate(items):
            item.title = f"批量新标题{n}"
            item.save_revision().publish()
    html = text(get(visitor, listing))
    for n, item in enumerate(items):
        assert f"批量新标题{n}" in text(get(visitor, item.get_full_url()))
        assert f"批量新标题{n}" in html and f"批量旧标题{n}" not in html


# --- hostnames --------------------------------------------------------------------------


def test_a_retired_subsite_hostname_redirects_instead_of_serving_the_portal(visitor):
    from unit_sites.presence import move_to_section

    warm(visitor, "http://localhost/")  # the portal's home page is in the cache
    warm(visitor, "http://jyj.localhost/")
    move_to_section(unit("jyj"))
    for _attempt in range(2):
        response = get(visitor, "http://jyj.localhost/")
        assert response.status_code == 301
        assert response["Location"] == "http://localhost/jyj/"
        assert response["X-Cache"] != "HIT"


def test_unknown_hostnames_neither_read_nor_fill_the_cache(visitor):
    warm(visitor, "http://localhost/")
    for _attempt in range(2):
        response = get(visitor, "http://unknown.localhost/")
        assert response["X-Cache"] == "BYPASS"
