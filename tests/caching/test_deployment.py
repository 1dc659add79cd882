"""Running at scale: SQL queries per public page stay bounded, /healthz, structured logs, the
nginx sample, production settings, and the page cache shared by two app server processes."""

import importlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import health
from cms.jsonlog import JsonFormatter
from disclosure_pages.models import NewsPage
from tests.factories import add_item

ROOT = Path(__file__).resolve().parents[2]

# Upper bounds of SQL queries for one uncached page (measured: item 21, catalogue 24, class
# column 24, unit home 16, portal 17; most are Wagtail's routing, one per URL segment).
QUERY_BUDGET = {"item": 22, "catalogue": 25, "column": 25, "unit home": 18, "portal": 19}


@pytest.mark.django_db
def test_public_pages_run_a_bounded_number_of_queries(client):
    item = add_item(NewsPage, "fgw", title="查询次数测试", summary="摘要")
    pages = {
        "item": urllib.parse.urlsplit(item.get_full_url()).path,
        "catalogue": "/fgw/gkml/",
        "column": "/fgw/gkml/gzdt/",
        "unit home": "/fgw/",
        "portal": "/",
    }
    for name, path in pages.items():
        client.get(path, HTTP_HOST="localhost")  # per-process caches (site roots) filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code == 200
        assert len(queries) <= QUERY_BUDGET[name], (name, [q["sql"][:80] for q in queries])


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_a_check_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("cache unreachable")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError: cache unreachable"}
    assert body["checks"]["database"]["ok"]


# --- structured logs ------------------------------------------------------------------------


def test_json_log_lines_carry_the_message_and_extras():
    record = logging.LogRecord(
        "gongkai.test", logging.WARNING, __file__, 1, "发布 %s", ("x",), None
    )
    record.page_id = 42
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "发布 x" and line["level"] == "WARNING"
    assert line["logger"] == "gongkai.test" and line["page_id"] == 42


def test_log_format_json_selects_the_json_formatter(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    from cms.settings import base

    try:
        reloaded = importlib.reload(base)
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == "json"
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        importlib.reload(base)


# --- production settings --------------------------------------------------------------------


def production_settings(env):
    """The production settings module evaluated in a clean interpreter with `env`."""
    code = (
        "import json, cms.settings.production as s;"
        "print(json.dumps({'storage': s.STORAGES['default']['BACKEND'],"
        " 'sessions': getattr(s, 'SESSION_ENGINE', ''), 'cache': s.CACHES['default']['BACKEND'],"
        " 'tasks': s.TASKS['default']['BACKEND'], 'apps': s.INSTALLED_APPS[-1],"
        " 'frontend': getattr(s, 'WAGTAILFRONTENDCACHE', {})}))"
    )
    base_env = {"PATH": os.environ["PATH"], "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.gov.cn"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base_env, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_production_settings_for_redis_s3_tasks_and_nginx():
    plain = production_settings({})
    assert plain["storage"] == "django.core.files.storage.FileSystemStorage"
    assert plain["cache"].endswith("LocMemCache") and plain["frontend"] == {}
    scaled = production_settings(
        {
            "REDIS_URL": "redis://10.0.0.21:6379/0",
            "AWS_STORAGE_BUCKET_NAME": "gongkai-media",
            "TASKS_BACKEND": "database",
            "FRONTEND_CACHE_PURGE_URL": "http://10.0.0.10",
        }
    )
    assert scaled["storage"] == "storages.backends.s3.S3Storage"
    assert scaled["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert scaled["cache"] == "django_redis.cache.RedisCache"
    assert (
        scaled["tasks"] == "django_tasks_db.DatabaseBackend" and scaled["apps"] == "django_tasks_db"
    )
    assert scaled["frontend"]["nginx"]["LOCATION"] == "http://10.0.0.10"


# --- the nginx sample -----------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (make nginx)")
def test_the_nginx_sample_configuration_is_accepted(tmp_path):
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    # Only the writable paths move to a scratch directory; everything else is checked as is.
    conf = conf.replace("/var/cache/nginx/gongkai", str(tmp_path / "cache"))
    conf = conf.replace("/var/log/nginx", str(tmp_path))
    conf = conf.replace("/run/nginx-gongkai.pid", str(tmp_path / "nginx.pid"))
    if not any(Path("/etc/nginx/modules-enabled").glob("*cache-purge*")):
        conf = re.sub(r"\n\s*proxy_cache_purge [^;]*;", "", conf)  # without the module
    (tmp_path / "nginx.conf").write_text(conf)
    done = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


# --- two app servers sharing Redis ----------------------------------------------------------


def _redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return url
    except OSError:
        return None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    def __init__(self, env):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "cms.wsgi:application",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                return _get(self.url("/healthz"))
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.3)
        raise RuntimeError("the app server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def _get(url, opener=None, data=None):
    request = urllib.request.Request(url, headers={"Host": "localhost"}, data=data)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="needs the PostgreSQL server of DATABASE_URL"
)
@pytest.mark.django_db(transaction=True)
def test_a_change_on_one_app_server_is_seen_fresh_on_the_other():
    redis = _redis_url()
    if redis is None:
        pytest.skip("no Redis reachable (REDIS_URL or 127.0.0.1:6379)")
    item = add_item(NewsPage, "fgw", title="两台服务器测试")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis,
        "CACHE_KEY_PREFIX": f"gongkai-test-{os.getpid()}",
        "PAGE_CACHE": "1",
    }
    first, second = _Server(env), _Server(env)
    try:
        first.wait(), second.wait()
        path = urllib.parse.urlsplit(item.get_full_url()).path
        for server in (first, second):
            _get(server.url(path))
            status, headers, html = _get(server.url(path))
            assert status == 200 and headers["X-Cache"] == "HIT" and item.title in html
        catalogue = second.url("/fgw/gkml/gzdt/")
        _get(catalogue)
        assert item.title in _get(catalogue)[2]

        # Another process of the platform (as the scheduler or another app server's admin
        # would) publishes a change, then unpublishes: both servers answer fresh each time.
        code = (
            "from disclosure_pages.models import NewsPage\n"
            f"item = NewsPage.objects.get(pk={item.pk})\n"
            "item.title = '两台服务器测试（修订）'\n"
            "item.save_revision().publish()\n"
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
        )
        status, headers, html = _get(first.url(path))
        assert headers["X-Cache"] == "MISS" and "两台服务器测试（修订）" in html
        status, headers, html = _get(second.url(path))  # the page the first one just stored
        assert headers["X-Cache"] == "HIT" and "两台服务器测试（修订）" in html
        assert "两台服务器测试（修订）" in _get(catalogue)[2]
        code = f"from wagtail.models import Page\nPage.objects.get(pk={item.pk}).specific.unpublish()\n"
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
        )
        assert not NewsPage.objects.get(pk=item.pk).live
        assert _get(first.url(path))[0] == 404

        # The second server, whose cache held the page, answers fresh too.
        assert _get(second.url(path))[0] == 404
        assert item.title not in _get(catalogue)[2]
    finally:
        first.stop()
        second.stop()
