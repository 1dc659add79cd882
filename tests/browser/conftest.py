"""Shared fixtures for the browser tests: Debian's chromium driven by Playwright's sync API.

The tests never download a browser (no `playwright install`); they launch /usr/bin/chromium.
"""

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import django.test.testcases
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from wagtail.models import Site

from tests.conftest import restore_migration_data
from unit_sites.models import UnitKind, UnitPage
from unit_sites.provisioning import UnitSpec, provision_unit
from unit_sites.validators import make_credit_code


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's database
    connection (in-memory SQLite: Django hands the test's connection to the server's
    threads). Concurrent requests, such as an autosave while the editor saves, would
    otherwise run two transactions at once on one connection ("cannot start a transaction
    within a transaction"), which no real server does: each thread has its own connection."""

    def set_app(self, application):
        lock = threading.Lock()

        def serialised(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(serialised)


class LiveServerThreadOneAtATime(LiveServerThread):
    def _create_server(self, connections_override=None):
        if connections_override:
            self.server_class = OneRequestAtATimeServer
        return super()._create_server(connections_override)


# pytest-django's live_server imports django.test.testcases.LiveServerThread when it starts.
django.test.testcases.LiveServerThread = LiveServerThreadOneAtATime

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# The units a browser test may provision, by slug: (name, short name, kind, parent slug,
# hostname, 17 first characters of the credit code). The portal is the default site.
UNIT_SPECS = {
    "hegang": (
        "鹤岗市人民政府",
        "鹤岗市",
        UnitKind.CITY_GOVERNMENT,
        None,
        "localhost",
        "11230400000000010",
    ),
    "fgw": (
        "鹤岗市发展和改革委员会",
        "市发改委",
        UnitKind.DEPARTMENT,
        "hegang",
        None,
        "11230400000000100",
    ),
    "czj": ("鹤岗市财政局", "市财政局", UnitKind.DEPARTMENT, "hegang", None, "11230400000000130"),
}


@pytest.fixture
def screenshot_path():
    """Where a test saves a screenshot by name (var/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name: SCREENSHOTS / name


@pytest.fixture
def browser_page():
    """A Playwright page in a fresh headless chromium; everything is closed afterwards.

    A missing browser is a failure, not a skip: the browser tests are part of `make test`."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Debian's chromium is not installed at {CHROMIUM}: run `make chromium` "
            "(the browser tests never download a browser).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise
    # refuse ORM calls made by the test (SynchronousOnlyOperation) while it is running.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            page = context.new_page()
            yield page
            context.close()
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def provision_units(live_server):
    """Build a small platform inside the test: `provision_units("hegang", "fgw")` flushes the
    live server's transactional database (it starts with whatever an earlier test left: the
    session's demo, or nothing after a flush), restores what the migrations seed, provisions
    the units of UNIT_SPECS in the order given (accounts use the demo password) and returns
    them by slug."""
    port = urlsplit(live_server.url).port

    def build(*slugs):
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        restore_migration_data()
        for slug in slugs:
            name, short, kind, parent, hostname, code = UNIT_SPECS[slug]
            provision_unit(
                UnitSpec(
                    slug=slug,
                    name=name,
                    short_name=short,
                    kind=kind,
                    org_code=make_credit_code(code),
                    parent_slug=parent,
                    hostname=hostname,
                    port=port,
                    password=settings.GONGKAI_DEMO_PASSWORD,
                )
            )
        portal = Site.objects.get(is_default_site=True)
        assert (portal.hostname, portal.port) == ("localhost", port)
        return {unit.slug: unit for unit in UnitPage.objects.all()}

    yield build
    cache.clear()
