"""Hostile input, fuzzed with hypothesis: nothing typed into titles, metadata, rich text, tags,
search queries, citizens' forms or file names becomes active content in a page (no script, no
event handler, no javascript: link), template syntax is shown and never evaluated, and nothing
gives a server error. Examples are bounded so the suite stays fast."""

import io
import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_services.models import Complaint, InformationRequest
from security.middleware import ALLOWED_INLINE_HANDLERS
from tests.citizen_helpers import APPLY_HOST, APPLY_URL, application_data, small_pdf

pytestmark = pytest.mark.django_db

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><body onload=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "javascript:alert(1)",
    "<iframe src=//evil.example></iframe>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "&lt;script&gt;",
    "{{ gk_probe }}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "' OR '1'='1",
    "'; DROP TABLE wagtailcore_page; --",
    "%",
    "_",
    "\\",
    "政府信息公开",
    "\u202e",
    "<!--",
    "]]>",
]
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), min_size=1, max_size=4
).map("".join)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class ActiveContent(HTMLParser):
    """Elements and attributes of a page that would run code."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        source = dict(attrs).get("src") or ""
        if tag == "script" and source.startswith(django_settings.STATIC_URL):
            pass  # the platform's own static scripts (themes), never input
        elif tag in ("script", "iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and value not in ALLOWED_INLINE_HANDLERS:
                self.found.append(f"{name}={value!r}")
            compact = "".join(value.split()).lower()
            if name in self.URL_ATTRIBUTES and compact.startswith(("javascript:", "data:text")):
                self.found.append(f"{name}={value!r}")


def active_content(response):
    assert response.status_code < 500
    parser = ActiveContent()
    parser.feed(response.content.decode())
    return parser.found


def assert_nothing_evaluated(html):
    assert django_settings.SECRET_KEY not in html
    # A dumped context ({% debug %}, {{ request }} …) shows Django's built-in context entries.
    assert "&#x27;True&#x27;: True" not in html


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {name: hostile for name in ("q", "unit", "class", "year", "validity", "page")}
    )
)
def test_search_reflects_queries_and_filters_inert(params):
    response = Client().get("/search/", params, HTTP_HOST="localhost")
    assert response.status_code in (200, 400)
    assert active_content(response) == []
    assert_nothing_evaluated(response.content.decode())


def test_template_syntax_in_a_query_is_shown_not_evaluated():
    response = Client().get(
        "/search/", {"q": "{{ gk_probe }} {% now 'Y' %}"}, HTTP_HOST="localhost"
    )
    html = response.content.decode()
    assert "{{ gk_probe }}" in html and "{% now &#x27;Y&#x27; %}" in html


@FUZZ
@given(
    title=hostile, summary=hostile, issuer=hostile, doc_number=hostile, tag=hostile, body=hostile
)
def test_stored_item_fields_are_rendered_inert(title, summary, issuer, doc_number, tag, body):
    from disclosure_pages.importing import import_lines
    from disclosure_pages.models import DisclosureItem
    from unit_sites.models import UnitPage

    cache.clear()
    record = {
        "id": f"fuzz-{abs(hash((title, body)))}",
        "title": f"测试{title}"[:200],
        "summary": summary[:500],
        "issuer": f"鹤岗市{issuer}"[:100],
        "doc_number": doc_number[:50],
        "date": "2026-03-02",
        "category": "工作动态",
        "body": body,
    }
    report = import_lines([json.dumps(record)], UnitPage.objects.get(slug="fgw"), base_dir="/tmp")
    if report.errors:
        return  # refused with a message: nothing stored
    page = DisclosureItem.objects.get(legacy_id=record["id"]).specific
    page.tags.add(tag.strip()[:100] or "标签")
    page.save_revision().publish()
    client = Client()
    for url in (page.url, page.get_parent().url, "/search/?q=" + "测试"):
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, url
        assert active_content(response) == [], url
        assert_nothing_evaluated(response.content.decode())


def test_rich_text_is_sanitised_to_its_features():
    from disclosure_pages.importing import body_html

    html = body_html(
        '<p onclick="alert(1)">正文<script>alert(1)</script>'
        '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)></p>'
    )
    assert "正文" in html
    for needle in ("<script", "onclick", "onerror", "javascript:"):
        assert needle not in html


def named(content, name):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


@FUZZ
@given(name=hostile, description=hostile, purpose=hostile, address=hostile, filename=hostile)
def test_the_application_form_renders_input_inert(name, description, purpose, address, filename):
    cache.clear()  # rate limits
    InformationRequest.objects.all().delete()
    attachment = small_pdf()
    attachment.name = f"{filename[:60]}.pdf"
    client = Client()
    response = client.post(
        APPLY_URL,
        {
            **application_data(
                name=f"张{name}"[:50],
                description=f"2025年学校布局调整方案{description}",
                purpose=purpose[:200],
                address=f"黑龙江省鹤岗市{address}"[:200],
            ),
            "attachments": [attachment],
        },
        HTTP_HOST=APPLY_HOST,
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(urlsplit(response["Location"]).path, HTTP_HOST=APPLY_HOST)
        assert response.status_code == 200
    assert active_content(response) == []
    assert_nothing_evaluated(response.content.decode())


@FUZZ
@given(name=hostile, subject=hostile, content=hostile, page_url=hostile)
def test_the_complaint_form_renders_input_inert(name, subject, content, page_url):
    cache.clear()
    Complaint.objects.all().delete()
    client = Client()
    response = client.post(
        "/luobei-jyj/tsjd/",
        {
            "category": "complaint",
            "name": f"李{name}"[:50],
            "phone": "13987654321",
            "email": "lisi@example.com",
            "subject": f"未公开{subject}"[:200],
            "content": f"县教育局网站上找不到收费标准{content}",
            "page_url": page_url[:200],
            "website": "",
        },
        HTTP_HOST="luobei.localhost",
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(urlsplit(response["Location"]).path, HTTP_HOST="luobei.localhost")
        assert response.status_code == 200
    assert active_content(response) == []
    assert_nothing_evaluated(response.content.decode())


def test_a_nul_character_in_the_query_string_is_refused_politely():
    response = Client().get("/search/?q=%00abc", HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "<h1>" in response.content.decode()


# --- every public request: never a server error, never slow ---------------------------------

PUBLIC_PATHS = [
    "/",
    "/fgw/",
    "/fgw/gkml/",
    "/fgw/gkml/feed/",
    "/search/",
    "/sitemap.xml",
    "/api/v2/pages/",
    "/api/v2/documents/",
]
# Numbers where code expects a page, a year, a limit or an id: zero, negatives, huge ones.
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-1", "9999", "10000", "1e9", "０", "²", "٣", "1.5", "NaN", "0x10"]),
)
short_text = st.one_of(numbers, st.text(max_size=6), st.sampled_from(FRAGMENTS))
PARAMETERS = [
    "q", "year", "page", "unit", "class", "validity", "view", "type", "fields", "order",
    "limit", "offset", "search", "id", "child_of", "descendant_of", "format",
]  # fmt: skip
MAX_SECONDS = 2.0


@FUZZ
@given(
    path=st.sampled_from(PUBLIC_PATHS),
    params=st.dictionaries(st.sampled_from(PARAMETERS), short_text, min_size=1, max_size=4),
)
def test_no_public_request_fails_or_takes_long(path, params):
    import time

    cache.clear()  # measure the application, not the page cache
    started = time.perf_counter()
    response = Client().get(path, {**params, "q": params.get("q", "")[:6]}, HTTP_HOST="localhost")
    elapsed = time.perf_counter() - started
    assert response.status_code < 500, (path, params, response.status_code)
    assert elapsed < MAX_SECONDS, (path, params, elapsed)


@pytest.mark.parametrize("year", ["0", "1", "9998", "9999", "10000", "99999999999999999999"])
def test_search_by_any_year_answers(year):
    response = Client().get("/search/", {"q": "政府", "year": year}, HTTP_HOST="localhost")
    assert response.status_code == 200


HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v2/pages/?offset={HUGE}",
        f"/api/v2/pages/?limit={HUGE}",
        f"/api/v2/documents/?offset={HUGE}",
        f"/api/v2/pages/?id={HUGE}",
        f"/api/v2/pages/?child_of={HUGE}",
        f"/fgw/gkml/?page={HUGE}",
        f"/search/?q=政府&page={HUGE}",
        "/search/?q=政府&page=-1",
    ],
)
def test_huge_numbers_in_public_urls_answer_without_a_server_error(url):
    response = Client().get(url, HTTP_HOST="localhost")
    assert response.status_code < 500, response.status_code
