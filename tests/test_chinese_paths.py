"""Addresses with Chinese slugs: the withdrawal notice and the page cache compare them as Django
decodes them (request.path), new items get a short ASCII slug, and the embedded SQLite lets two
writers work at once."""

import threading
import time
from urllib.parse import quote, urlsplit

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client
from wagtail.models import Page

from disclosure_pages.models import NewsPage, PolicyDocumentPage
from review.models import Withdrawal
from review.views import withdraw_page
from tests.factories import add_item, column

CHINESE_SLUG = "关于进一步优化营商环境的通知"


def get(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, HTTP_HOST=parts.hostname or "localhost")


@pytest.mark.django_db
def test_a_withdrawn_item_with_a_chinese_slug_answers_410_with_its_notice(client, user_named):
    item = add_item(NewsPage, "fgw", title="关于进一步优化营商环境的通知", slug=CHINESE_SLUG)
    url = item.get_full_url()
    assert quote(CHINESE_SLUG) in url  # the address as links carry it, percent-encoded
    assert get(client, url).status_code == 200

    withdrawal = withdraw_page(item, user_named("admin"), reason="error", note="发布有误")
    assert withdrawal.path == f"/fgw/gkml/gzdt/{CHINESE_SLUG}/"  # stored as request.path
    notice = get(client, url)
    assert notice.status_code == 410
    body = notice.content.decode()
    assert "关于进一步优化营商环境的通知" in body and "发布有误" in body

    # A withdrawal recorded before the fix kept the percent-encoded path: it still answers.
    Withdrawal.objects.filter(pk=withdrawal.pk).update(path=urlsplit(url).path)
    assert get(client, url).status_code == 410


@pytest.mark.django_db
def test_the_page_cache_forgets_a_changed_page_with_a_chinese_slug(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE = {"ENABLED": True}
    settings.VAR_DIR = tmp_path
    item = add_item(NewsPage, "fgw", title="旧标题的动态", slug=CHINESE_SLUG)
    visitor = Client()
    url = item.get_full_url()
    get(visitor, url)
    assert get(visitor, url)["X-Cache"] == "HIT"
    item.title = "新标题的动态"
    item.save_revision().publish()
    response = get(visitor, url)
    assert response["X-Cache"] != "HIT"
    assert "新标题的动态" in response.content.decode()


@pytest.mark.django_db
def test_a_new_item_gets_a_short_ascii_slug_unless_its_editor_sets_one():
    parent = column("fgw", "zcfg")
    item = PolicyDocumentPage(title="鹤岗市关于" + "进一步加强" * 40 + "的实施意见")
    parent.add_child(instance=item)
    assert len(item.slug) == 8 and int(item.slug, 16) >= 0 and item.slug.isascii()
    slug = item.slug
    item.title = "改过的标题"
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.slug == slug  # stable: the address does not follow the title
    assert get(Client(), item.get_full_url()).status_code == 200

    own = PolicyDocumentPage(title="自定地址的文件", slug="zidingyi")
    parent.add_child(instance=own)
    assert own.slug == "zidingyi"
    chinese = PolicyDocumentPage(title="中文地址的文件", slug=CHINESE_SLUG)
    parent.add_child(instance=chinese)
    assert Page.objects.get(pk=chinese.pk).slug == CHINESE_SLUG  # existing kind still works


@pytest.mark.django_db
def test_the_admin_form_leaves_the_slug_to_the_platform(client_for):
    parent = column("fgw", "gzdt")
    client = client_for("fgw-editor")
    response = client.post(
        f"/admin/pages/add/disclosure_pages/newspage/{parent.pk}/",
        {
            "title": "市发改委召开专题会议",
            "slug": "",
            "genre": "动态",
            "validity": "valid",
            "disclosure_mode": "proactive",
            "formed_date": "2026-12-01",
            "summary": "",
            "body-count": "0",
            "attachments-count": "0",
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsPage.objects.get(title="市发改委召开专题会议")
    assert len(item.slug) == 8 and item.slug.isascii()


def test_sqlite_lets_two_writers_work_at_once(settings, tmp_path, django_db_blocker):
    """WAL, a busy timeout and IMMEDIATE transactions (cms.settings.base): two transactions
    that each read and then write at the same moment (an autosave and a submit) both succeed,
    instead of one failing with "database is locked"."""
    options = settings.DATABASES["default"]
    if options["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the embedded SQLite's settings")
    path = tmp_path / "two-writers.sqlite3"
    settings_dict = {**connection.settings_dict, "NAME": str(path), "OPTIONS": options["OPTIONS"]}

    def open_connection(alias):
        wrapper = DatabaseWrapper(settings_dict, alias=alias)
        wrapper.ensure_connection()
        return wrapper

    django_db_blocker.unblock()  # connections of its own to a file of its own
    setup = open_connection("setup")
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE item (n integer)")
    setup.close()

    errors = []
    start = threading.Barrier(2)

    def writer(n):
        db = open_connection(f"writer{n}")
        try:
            start.wait()
            db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM item")
                time.sleep(0.3)
                cursor.execute("INSERT INTO item VALUES (%s)", [n])
            db.commit()
        except Exception as error:
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    check = open_connection("check")
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        assert cursor.fetchone()[0] == 2
    check.close()
    django_db_blocker.restore()
