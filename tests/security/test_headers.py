"""Security headers, the CSP against the public templates, and 413 for oversized requests."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from security.middleware import ALLOWED_INLINE_HANDLERS, content_security_policy, csp_hash

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize("path", ["/", "/fgw/", "/search/?q=政府", "/luobei-jyj/ysqgk/"])
def test_public_pages_carry_the_security_headers(client, path):
    host = "luobei.localhost" if "luobei" in path else "localhost"
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Server" not in response


def test_the_admin_has_no_csp_but_is_not_framable(client_for):
    response = client_for("fgw-editor").get("/admin/")
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_preview_may_be_framed_by_the_admin(client_for):
    from disclosure_pages.models import NewsPage
    from tests.factories import add_item

    page = add_item(NewsPage, "fgw", title="预览")
    response = client_for("admin").get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


class InlineScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts.append(self.getpos())
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append(value)
            if value and "javascript:" in value:
                self.handlers.append(value)


def public_templates():
    for path in ROOT.glob("*/templates/**/*.html"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "var") or "/admin/" in f"/{relative}":
            continue
        if relative.parts[2] in ("wagtailadmin", "wagtailusers"):
            continue
        if path.name in (
            "verify.html",
            "setup.html",
            "confirm.html",
            "provision_form.html",
            "provision_done.html",
            "screening_report.html",
            "deadlines_panel.html",
            "withdraw.html",
            "item_record.html",
        ):
            continue  # admin views (no CSP there)
        yield path


def test_public_templates_have_nothing_the_csp_would_block():
    policy = content_security_policy()
    blocked = []
    for path in public_templates():
        finder = InlineScriptFinder()
        finder.feed(re.sub(r"{%.*?%}|{{.*?}}", "", path.read_text()))
        if finder.inline_scripts:
            blocked.append(f"{path}: inline <script>")
        for handler in finder.handlers:
            if handler not in ALLOWED_INLINE_HANDLERS or csp_hash(handler) not in policy:
                blocked.append(f"{path}: {handler}")
    assert not blocked


def test_oversized_requests_get_413_with_a_readable_page(client):
    response = client.post(
        "/luobei-jyj/ysqgk/",
        data=b"x",
        content_type="application/octet-stream",
        HTTP_HOST="luobei.localhost",
        CONTENT_LENGTH=str(settings.GONGKAI_MAX_REQUEST_SIZE + 1),
    )
    assert response.status_code == 413
    assert "<h1>" in response.content.decode()
    # The admin allows larger uploads (documents), but not without limit.
    admin = Client()
    assert (
        admin.post(
            "/admin/documents/multiple/add/",
            data=b"x",
            content_type="application/octet-stream",
            CONTENT_LENGTH=str(settings.GONGKAI_MAX_REQUEST_SIZE + 1),
        ).status_code
        != 413
    )
    assert (
        admin.post(
            "/admin/documents/multiple/add/",
            data=b"x",
            content_type="application/octet-stream",
            CONTENT_LENGTH=str(settings.GONGKAI_MAX_ADMIN_REQUEST_SIZE + 1),
        ).status_code
        == 413
    )


def run_manage_production(*args):
    from tests.test_settings import PRODUCTION_ENV, run_manage

    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    return run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)


def test_production_sends_hsts_and_secure_cookies():
    result = run_manage_production()
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
    ], result.stderr


def test_the_session_middlewares_leave_anonymous_requests_alone(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from security.middleware import SessionTimeoutMiddleware, TwoFactorMiddleware

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"session.{name} used")

    request = rf.get("/fgw/")
    request.session = Untouchable()
    request.user = AnonymousUser()
    ok = HttpResponse("ok")
    assert SessionTimeoutMiddleware(lambda r: ok)(request) is ok
    assert TwoFactorMiddleware(lambda r: ok)(request) is ok


SECURITY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options")


def assert_security_headers(response):
    for name in SECURITY_HEADERS:
        assert name in response, (response.status_code, name)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_refusals_carry_the_security_headers_too(client):
    """The 413 and 400 answers given before the page runs, and Django's own 400s, are pages
    like any other: same headers."""
    too_large = client.post(
        "/fgw/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.GONGKAI_MAX_REQUEST_SIZE + 1),
    )
    assert too_large.status_code == 413
    assert_security_headers(too_large)
    nul = client.get("/search/?q=%00")
    assert nul.status_code == 400
    assert_security_headers(nul)
    bad_host = client.get("/", HTTP_HOST="evil.example:bad port")
    assert bad_host.status_code == 400
    assert_security_headers(bad_host)


@pytest.mark.parametrize("path", ["/", "/fgw/", "/search/?q=政府", "/sitemap.xml"])
def test_public_pages_do_not_vary_on_cookies(client, path):
    for cookies in ({}, {"gongkai_view": "accessible"}):
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies[name] = value
        response = client.get(path)
        assert response.status_code == 200
        assert "Cookie" not in response.get("Vary", ""), (path, cookies)
