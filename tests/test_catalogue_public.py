"""The public catalogue (Art. 10, 12): navigation by class and key kind with counts, filters,
sort, pagination, empty and not-applicable states, and item pages of every type, each in a
constant number of queries."""

import datetime
import itertools
import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure_pages.catalogue import forget_facets
from disclosure_pages.models import (
    TYPED_PAGE_MODELS,
    CatalogueIndexPage,
    CatalogueNode,
    DisclosureItem,
    EmergencyPage,
    EnforcementResultPage,
    FaqPage,
    FeeItemPage,
    FormDownloadPage,
    GeneralItemPage,
    LandCompensationPage,
    NewsPage,
    OrganisationPage,
    PlanPage,
    PolicyDocumentPage,
    PowerItemPage,
    ProcurementPage,
    RecruitmentPage,
    ReliefFundsPage,
    ServiceGuidePage,
)
from tests.factories import add_item, column
from tests.public_helpers import bulk_live_items, links, make_document, make_image
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths; a test elsewhere that changes sites and rolls back
    leaves them stale (wrong ports in full URLs)."""
    cache.clear()


CATALOGUE = "/fgw/gkml/"  # a section of the portal (host localhost)


def get(client, path, host="localhost"):
    """GET a path on a host, or a full URL (as pages give them, for their canonical site)."""
    if path.startswith("http"):
        parts = urlsplit(path)
        host, path = parts.hostname, parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (path, response.status_code)
    return response


def path(page):
    return urlsplit(page.get_url()).path


def titles(response):
    return [item.title for item in response.context["items"]]


def quick_items(unit_slug, class_code, count, model=NewsPage, **fields):
    """Many live items fast (see bulk_live_items), published on consecutive days."""
    items = bulk_live_items(
        column(unit_slug, class_code), count, model, prefix=f"bulk-{next(_batch)}", **fields
    )
    for number, item in enumerate(items):
        item.publish_date = datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 300)
    DisclosureItem.objects.bulk_update(items, ["publish_date"])
    # Rows written directly send no publish signal: drop the unit's cached counts by hand.
    forget_facets(items[0].unit_id)
    return items


_batch = itertools.count()


# --- listing ---------------------------------------------------------------------------


def test_catalogue_lists_only_live_items_of_the_unit_with_counts_per_class_and_kind(client):
    policy = add_item(PolicyDocumentPage, "fgw", title="关于印发价格管理办法的通知")
    news = add_item(NewsPage, "fgw", title="市发改委召开工作会议")
    draft = add_item(NewsPage, "fgw", title="尚未发布的草稿", publish=False)
    other_unit = add_item(NewsPage, "czj", title="财政局的信息")

    response = get(client, CATALOGUE)
    assert set(titles(response)) == {policy.title, news.title}
    html = response.content.decode()
    assert draft.title not in html and other_unit.title not in html
    counts = {entry.column.slug: entry.count for entry in response.context["classes"]}
    assert counts == {
        "zfzn": 0,
        "xzql": 0,
        "xzzf": 0,
        "zcfg": 1,
        "bszn": 0,
        "bgxz": 0,
        "gzdt": 1,
        "wtjd": 0,
    }
    assert response.context["total"] == 2
    kinds = {entry.node.code: entry.count for entry in response.context["kinds"]}
    # The 20 key kinds of Art. 8, 政策解读, and the Art. 20 kinds 统计信息 and 财政预算、决算信息.
    assert len(kinds) == 23 and kinds["zcwj"] == 1 and sum(kinds.values()) == 1
    # Every class column and the items are real links.
    hrefs = {href for href, _text in links(html)}
    assert {"/fgw/gkml/zcfg/", "/fgw/gkml/gzdt/", path(policy), path(news)} <= hrefs


def test_a_class_column_lists_its_items_and_the_kinds_of_its_class(client):
    policy = add_item(PolicyDocumentPage, "fgw")
    add_item(NewsPage, "fgw")
    response = get(client, "/fgw/gkml/zcfg/")
    assert titles(response) == [policy.title]
    assert {entry.node.code for entry in response.context["kinds"]} == {"sfjm", "zcwj", "zcjd"}
    assert not response.context["show_class_filter"]


def test_filters_by_class_kind_year_topic_and_validity(client):
    old = add_item(PolicyDocumentPage, "fgw", publish_date=datetime.date(2024, 5, 1))
    repealed = add_item(PolicyDocumentPage, "fgw", validity="repealed")
    tagged = add_item(NewsPage, "fgw")
    tagged.tags.add("营商环境")
    tagged.save_revision().publish()
    plan = add_item(PlanPage, "fgw", plan_year=2026)

    def listed(query):
        return set(titles(get(client, CATALOGUE + query)))

    assert listed("?class=zcfg") == {old.title, repealed.title}
    assert listed("?kind=ghjh") == {plan.title}
    assert listed("?year=2024") == {old.title}
    assert listed("?tag=营商环境") == {tagged.title}
    assert listed("?validity=repealed") == {repealed.title}
    assert listed("?class=zcfg&validity=valid") == {old.title}
    assert listed("?class=gzdt&kind=zcwj") == set()
    response = get(client, CATALOGUE + "?tag=营商环境")
    assert ("营商环境", "营商环境", True) in response.context["tag_options"]  # selected
    assert ("2024", "2024", False) in response.context["year_options"]
    assert '<option value="营商环境" selected>' in response.text


def test_sort_newest_first_by_default_then_by_title_or_date_written(client):
    a = add_item(NewsPage, "fgw", title="乙", publish_date=datetime.date(2026, 3, 1),
                 written_date=datetime.date(2026, 1, 5))  # fmt: skip
    b = add_item(NewsPage, "fgw", title="甲", publish_date=datetime.date(2026, 2, 1),
                 written_date=datetime.date(2026, 1, 9))  # fmt: skip
    c = add_item(NewsPage, "fgw", title="丙", publish_date=datetime.date(2026, 4, 1))
    assert titles(get(client, CATALOGUE)) == [c.title, a.title, b.title]
    assert titles(get(client, CATALOGUE + "?sort=title")) == sorted([a.title, b.title, c.title])
    assert titles(get(client, CATALOGUE + "?sort=written")) == [b.title, a.title, c.title]


def test_pagination_20_per_page_keeps_the_filters(client):
    quick_items("fgw", "gzdt", 25)
    first = get(client, "/fgw/gkml/?class=gzdt")
    assert len(first.context["items"]) == 20
    assert first.context["items"].paginator.num_pages == 2
    html = first.content.decode()
    assert "?class=gzdt&amp;page=2" in html
    second = get(client, "/fgw/gkml/?class=gzdt&page=2")
    assert len(second.context["items"]) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert '<li aria-current="page"><span>2</span></li>' in second.text
    assert 'rel="prev" href="?class=gzdt&amp;page=1"' in second.text


def test_the_pager_centres_on_the_page_shown(client):
    """Far into a long listing, the pager shows the pages around the current one, the first
    and last two, and ellipses between."""
    quick_items("fgw", "gzdt", 20 * 25)
    response = get(client, "/fgw/gkml/gzdt/?sort=title&page=12")
    labels = [label for label, _url, _current in response.context["pagination"]["links"]]
    assert labels == ["1", "2", "…", *map(str, range(9, 16)), "…", "24", "25"]
    assert '<li aria-current="page"><span>12</span></li>' in response.text
    assert 'rel="next" href="?sort=title&amp;page=13"' in response.text
    assert 'href="?sort=title&amp;page=9">9</a>' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=99999",
        "?page=999",
        "?page=-1",
        "?page=abc",
        "?kind=unknown",
        "?class=unknown",
        "?validity=maybe",
        "?sort=drop+table",
        "?tag=" + "长" * 500,
        "?class=zcfg&class=gzdt",
    ],
)
def test_invalid_filter_values_are_ignored_never_an_error(client, query):
    add_item(NewsPage, "fgw")
    for path in (CATALOGUE, "/fgw/gkml/gzdt/"):
        response = client.get(path + query, HTTP_HOST="localhost")
        assert response.status_code == 200


@pytest.mark.parametrize("query", ["?year=%00", "?tag=%00", "?tag=%E4%B8%8D%00"])
def test_nul_characters_are_refused_with_a_readable_page(client, query):
    """PostgreSQL cannot compare NUL: security.middleware refuses them before any view runs."""
    add_item(NewsPage, "fgw")
    for path in (CATALOGUE, "/fgw/gkml/gzdt/"):
        response = client.get(path + query, HTTP_HOST="localhost")
        assert response.status_code == 400
        assert "地址" in response.content.decode()


def test_invalid_values_fall_back_to_the_unfiltered_listing(client):
    item = add_item(NewsPage, "fgw")
    response = get(client, CATALOGUE + "?year=abc&kind=unknown&page=999")
    assert titles(response) == [item.title]
    assert set(response.context["filters"].ignored) == {"year", "kind"}


def test_empty_states_say_so(client):
    response = get(client, "/fgw/gkml/bgxz/")
    assert response.context["items"].paginator.count == 0
    assert 'class="empty-state"' in response.content.decode()
    add_item(NewsPage, "fgw")
    filtered = get(client, CATALOGUE + "?year=1999")
    assert filtered.context["items"].paginator.count == 0
    html = filtered.content.decode()
    assert 'class="empty-state"' in html and 'href="/fgw/gkml/"' in html


def test_a_class_that_does_not_apply_shows_its_reason(client):
    col = column("fgw", "xzzf")
    col.not_applicable = True
    col.not_applicable_reason = "本单位无行政执法职能，执法事项由市场监管局公开。"
    col.save_revision().publish()
    column_page = get(client, "/fgw/gkml/xzzf/").content.decode()
    assert col.not_applicable_reason in column_page
    assert 'class="empty-state"' not in column_page
    index_page = get(client, CATALOGUE).content.decode()
    assert col.not_applicable_reason in index_page


def test_catalogues_of_subsites_and_county_sections_are_served_too(client):
    item = add_item(NewsPage, "luobei-jyj")
    response = get(client, "/luobei-jyj/gkml/", host="luobei.localhost")
    assert titles(response) == [item.title]
    assert get(client, "/gkml/", host="xiangyang.localhost").context["total"] == 0


def test_listed_items_link_and_label_as_their_pages_would(client):
    """Listing rows are values (ListingItem): their links are what `page.get_url(request)`
    gives, on the portal and on a subsite, and their labels are the pages' own."""
    from wagtail.models import Page

    from disclosure_pages.models import Validity

    repealed = add_item(PolicyDocumentPage, "fgw", validity=Validity.REPEALED)
    add_item(NewsPage, "fgw", slug="政策解读")
    add_item(NewsPage, "luobei-jyj")
    for response in (
        get(client, CATALOGUE),
        get(client, "/luobei-jyj/gkml/", host="luobei.localhost"),
    ):
        rows = list(response.context["items"])
        assert rows
        for row in rows:
            page = Page.objects.get(pk=row.pk).specific
            assert row.url == Page.get_url(page, request=response.wsgi_request)
            assert row.title == page.title
            assert row.class_name == page.catalogue_class_name
            assert row.publish_date == page.publish_date.isoformat()
            assert f'href="{row.url}"' in response.text
    row = next(row for row in get(client, CATALOGUE).context["items"] if row.pk == repealed.pk)
    assert row.validity_label == repealed.get_validity_display() != ""


# --- constant queries ------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return len(queries)


def test_the_listing_runs_a_constant_number_of_queries_at_10_and_1000_items(
    client, record_property
):
    pages = [CATALOGUE, CATALOGUE + "?class=gzdt&year=2026&sort=title&page=3", "/fgw/gkml/gzdt/"]

    def measure():
        """Queries per page: with the unit's counts to rebuild (the first request after a
        publish), then with them cached."""
        counts = []
        for path in pages:
            forget_facets(unit.pk)
            counts.append((count_queries(client, path), count_queries(client, path)))
        return counts

    unit = quick_items("fgw", "gzdt", 10)[0].unit
    for path in pages:  # warm the site and content type caches and the pages kept in memory
        get(client, path)
    at_10 = measure()

    started = time.monotonic()
    quick_items("fgw", "gzdt", 600)
    quick_items(
        "fgw",
        "zcfg",
        390,
        model=PolicyDocumentPage,
        key_kind=CatalogueNode.objects.get(code="zcwj"),
    )
    created = time.monotonic() - started
    assert get(client, CATALOGUE).context["total"] == 1000
    at_1000 = measure()

    started = time.monotonic()
    get(client, CATALOGUE)
    rendered = time.monotonic() - started
    measured = f"{at_10} at 10 items, {at_1000} at 1000 items"
    record_property("queries", measured)
    record_property("timing", f"990 created in {created:.1f}s, listing in {rendered * 1000:.0f}ms")
    assert at_1000 == at_10, measured
    assert max(max(counts) for counts in at_1000) <= 30, measured


def test_django_assert_max_num_queries_on_a_full_catalogue(client, django_assert_max_num_queries):
    quick_items("fgw", "gzdt", 60)
    quick_items("fgw", "zcfg", 30, model=PolicyDocumentPage)
    get(client, CATALOGUE)
    with django_assert_max_num_queries(30):
        get(client, CATALOGUE + "?page=2")


# --- item pages ------------------------------------------------------------------------

TYPED_FIELDS = {
    OrganisationPage: {"duties": "<p>负责全市国民经济和社会发展规划。</p>"},
    PowerItemPage: {
        "power_type": "licensing",
        "legal_basis": "《中华人民共和国行政许可法》第十二条",
    },
    ServiceGuidePage: {"applicants": "本市户籍居民", "time_limit": "5个工作日"},
    FeeItemPage: {"basis": "黑价联〔2020〕1号", "standard": "每件10元"},
    EnforcementResultPage: {"case_number": "鹤市监罚〔2026〕8号", "result": "罚款五千元"},
    PolicyDocumentPage: {"is_normative": True, "effective_date": datetime.date(2026, 2, 1)},
    PlanPage: {"plan_year": 2026},
    ProcurementPage: {"project_name": "市政道路维修工程", "method": "公开招标"},
    RecruitmentPage: {"application_deadline": datetime.date(2026, 6, 30)},
    LandCompensationPage: {"location": "向阳区红旗路以北", "area": "3.2公顷"},
    EmergencyPage: {"event_type": "暴雨洪涝", "level": "IV级"},
    ReliefFundsPage: {"source": "省级救灾资金", "amount": "120000.00"},
    NewsPage: {},
    FaqPage: {"question": "如何申请政府信息公开？", "answer": "<p>通过依申请公开渠道提交。</p>"},
    FormDownloadPage: {"instructions": "请用黑色签字笔填写"},
    GeneralItemPage: {},
}
SHOWN = {  # a value of each type's own fields that its page must show
    OrganisationPage: "负责全市国民经济和社会发展规划",
    PowerItemPage: "《中华人民共和国行政许可法》第十二条",
    ServiceGuidePage: "本市户籍居民",
    FeeItemPage: "每件10元",
    EnforcementResultPage: "鹤市监罚〔2026〕8号",
    PolicyDocumentPage: "2026-02-01",
    PlanPage: "2026",
    ProcurementPage: "市政道路维修工程",
    RecruitmentPage: "2026-06-30",
    LandCompensationPage: "向阳区红旗路以北",
    EmergencyPage: "暴雨洪涝",
    ReliefFundsPage: "省级救灾资金",
    FaqPage: "通过依申请公开渠道提交",
    FormDownloadPage: "请用黑色签字笔填写",
}


def repeated(model, times):
    """The repeating parts of an item (attachments, blocks with documents and photos), `times`
    each, every one with its own document or image so a query per one would show."""
    documents = [make_document("fgw", name=f"附件{n}.pdf") for n in range(times)]
    fields = {
        "attachments": [
            ("attachment", {"document": document, "title": f"附件{n}"})
            for n, document in enumerate(documents)
        ]
    }
    block = {
        OrganisationPage: ("leaders", "leader", lambda n: {"name": f"领导{n}", "position": "副主任", "photo": make_image(f"照片{n}")}),
        PowerItemPage: ("materials", "material", lambda n: {"name": "申请书", "sample": documents[n]}),
        ServiceGuidePage: ("materials", "material", lambda n: {"name": "身份证", "sample": documents[n]}),
        PlanPage: ("goals", "goal", lambda n: {"goal": f"目标{n}", "progress": 50}),
        RecruitmentPage: ("positions", "position", lambda n: {"title": f"科员{n}", "number": 2}),
    }.get(model)  # fmt: skip
    if block:
        name, block_type, value = block
        fields[name] = [(block_type, value(n)) for n in range(times)]
    return fields, documents


def typed_item(model, times, **extra):
    fields, documents = repeated(model, times)
    item = add_item(model, "fgw", **TYPED_FIELDS.get(model, {}), **fields, **extra)
    for n in range(times):
        item.tags.add(f"主题{n}")
    item.save_revision().publish()
    return item, documents


@pytest.mark.parametrize("model", TYPED_PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_type_renders_its_fields_in_a_constant_number_of_queries(client, model):
    small, _documents = typed_item(model, 1)
    large, documents = typed_item(model, 6)
    get(client, small.url)  # warm caches (content types, site root paths) and make renditions
    get(client, large.url)
    with CaptureQueriesContext(connection) as small_queries:
        html = get(client, small.url).content.decode()
    with CaptureQueriesContext(connection) as large_queries:
        large_html = get(client, large.url).content.decode()
    assert len(large_queries) == len(small_queries), model.__name__
    assert len(large_queries) <= 30
    if model in SHOWN:
        assert SHOWN[model] in html
        assert 'class="typed-fields"' in html
    assert all(f'href="{document.url}"' in large_html for document in documents)
    if model is OrganisationPage:
        assert large_html.count('class="leader-photo"') == 6


def test_general_item_uses_the_shared_template(client):
    item = add_item(GeneralItemPage, "fgw", summary="其他信息的内容概述")
    html = get(client, item.url).content.decode()
    assert "其他信息的内容概述" in html and 'class="metadata"' in html


def test_an_item_page_shows_metadata_attachments_validity_and_the_units_contact(client):
    document = make_document("fgw", name="价格管理办法.pdf", content=b"%PDF-1.4 " + b"x" * 2048)
    successor = add_item(PolicyDocumentPage, "fgw", title="新的价格管理办法")
    item = add_item(
        PolicyDocumentPage,
        "fgw",
        title="旧的价格管理办法",
        doc_number="鹤发改规〔2020〕1号",
        written_date=datetime.date(2020, 3, 2),
        validity="repealed",
        successor=successor,
        attachments=[("attachment", {"document": document, "title": "办法全文"})],
    )
    item.tags.add("价格")
    item.save_revision().publish()
    item.refresh_from_db()
    html = get(client, item.url).content.decode()
    unit = UnitPage.objects.get(slug="fgw")
    for text in (item.index_number, "鹤岗市发展和改革委员会", "鹤发改规〔2020〕1号", "2020-03-02",
                 item.publish_date.strftime("%Y-%m-%d"), "价格", "政策法规"):  # fmt: skip
        assert text in html
    assert f'href="{path(successor)}"' in html  # the validity notice links the successor
    assert f'href="{document.url}"' in html and "办法全文" in html
    assert "PDF" in html and "2.0" in html  # type and size (2.0 KB)
    assert f"http://localhost{document.url}" in html  # the address, printed with the link
    assert unit.complaint_channel.split("；")[0] in html and unit.phone in html


def test_a_draft_or_unpublished_item_is_not_served(client):
    draft = add_item(NewsPage, "fgw", publish=False)
    gone = add_item(NewsPage, "fgw")
    url = path(gone)
    gone.unpublish()
    assert client.get(f"/fgw/gkml/gzdt/{draft.slug}/", HTTP_HOST="localhost").status_code == 404
    assert client.get(url, HTTP_HOST="localhost").status_code == 404
    assert gone.title not in get(client, CATALOGUE).content.decode()


# --- print and small screens -----------------------------------------------------------


def test_print_styles_fit_a4_and_hide_the_chrome():
    from django.contrib.staticfiles import finders

    css = open(finders.find("themes/default/site.css"), encoding="utf-8").read()
    assert "@page" in css and "size: A4" in css
    print_rules = css[css.index("@media print") :]
    for selector in (
        ".header-search",
        ".catalogue-nav",
        ".catalogue-filters",
        ".pagination",
        "button",
        ".print-url",
    ):
        assert selector in print_rules


def test_the_catalogue_index_is_a_routable_page():
    assert (
        CatalogueIndexPage.objects.filter(url_path__endswith="/fgw/gkml/")
        .get()
        .reverse_subpage("feed")
        == "feed/"
    )


def test_cached_counts_follow_publish_and_unpublish(client):
    before = get(client, CATALOGUE).context["total"]
    item = add_item(NewsPage, "fgw", title="计数缓存")
    assert get(client, CATALOGUE).context["total"] == before + 1
    item.unpublish()
    assert get(client, CATALOGUE).context["total"] == before
