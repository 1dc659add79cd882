"""The public search (Art. 10): Chinese words inside longer compounds, colloquial short forms,
document numbers in any form, several words, unit scoping, facets, highlighting, the API in the
page's order, and nothing that is not public."""

import json
from urllib.parse import urlencode

import pytest
from wagtail.models import PageViewRestriction, Site
from wagtail.rich_text import RichText

from disclosure_pages.models import (
    DisclosureItem,
    FaqPage,
    GeneralItemPage,
    PolicyDocumentPage,
    PowerItemPage,
)
from search.models import Synonym
from search.views import public_search
from tests.factories import add_item

pytestmark = pytest.mark.django_db


def body(*paragraphs):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def item(title, unit="fgw", model=PolicyDocumentPage, text="", **fields):
    return add_item(model, unit, title=title, body=body(text) if text else [], **fields)


def search(client, host="localhost", **params):
    response = client.get("/search/?" + urlencode(params), HTTP_HOST=host)
    assert response.status_code == 200
    return response


def result_ids(response):
    return [result.page.pk for result in response.context.get("results") or []]


def portal():
    return Site.objects.get(root_page__slug="hegang")


def found(query, site=None, **filters):
    return public_search(site or portal(), query, filters).pks


@pytest.fixture
def documents():
    """A small catalogue across units: titles, numbers, issuers, bodies."""
    return {
        "open": item(
            "鹤岗市政府信息公开管理办法",
            doc_number="鹤政发〔2025〕4号",
            issuer="鹤岗市人民政府",
            text="为了规范政府信息公开工作，制定本办法。",
        ),
        "waste": item(
            "鹤岗市生活垃圾分类管理实施方案",
            unit="czj",
            doc_number="鹤财发〔2024〕12号",
            text="推进生活垃圾分类，建设分类投放设施。",
        ),
        "insurance": item(
            "关于调整城乡居民社会保险缴费标准的通知",
            unit="rsj",
            doc_number="鹤人社发〔2024〕7号",
            issuer="鹤岗市人力资源和社会保障局",
            text="各县区人社部门：现将缴费标准通知如下。",
        ),
        "housing": item(
            "公共租赁住房配租公告",
            unit="zjj",
            model=GeneralItemPage,
            text="符合条件的家庭可申请公共租赁住房。",
        ),
        "licence": item(
            "行政许可事项清单",
            unit="luobei-jyj",
            model=GeneralItemPage,
            text="本清单列明办学许可等行政许可事项。",
        ),
        "body_only": item(
            "关于做好年度工作的通知",
            doc_number="鹤发改发〔2023〕1号",
            text="各单位要按照政府信息公开的要求，做好年度工作安排。",
        ),
    }


# --- words inside longer runs of Chinese ----------------------------------------------------


def test_a_word_inside_a_longer_title_is_found(documents):
    assert documents["open"].pk in found("公开")
    assert documents["licence"].pk in found("行政许可")
    assert documents["waste"].pk in found("垃圾分类")
    assert found("管理办法")[0] == documents["open"].pk


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(documents):
    ranked = found("政府信息公开")
    assert ranked.index(documents["open"].pk) < ranked.index(documents["body_only"].pk)


def test_words_only_in_a_typed_pages_own_fields_are_found(client):
    """The typed pages' own text (a power item's legal basis and materials, an answer) is
    searchable, and a match there ranks below the same word in a title."""
    power = add_item(
        PowerItemPage,
        "fgw",
        title="建设工程消防设计审查",
        power_type="licensing",
        legal_basis="《鹤岗市琥珀湾保护条例》第十二条",
        materials=[("material", {"name": "翡翠谷勘测报告", "copies": "一份", "note": ""})],
    )
    answer = add_item(
        FaqPage, "fgw", title="如何办理？", question="如何办理？", answer="<p>携带蓝鲸卡</p>"
    )
    titled = item("鹤岗市琥珀湾保护规划")
    assert found("琥珀湾") == [titled.pk, power.pk]
    assert found("翡翠谷") == [power.pk]
    assert found("蓝鲸卡") == [answer.pk]
    response = search(client, q="翡翠谷")
    assert "<mark>翡翠谷</mark>" in response.content.decode()  # snippet from the typed field


def test_nothing_found_for_words_the_documents_do_not_contain(documents):
    assert found("航天发射") == []


# --- synonyms ---------------------------------------------------------------------------------


def test_colloquial_short_forms_find_the_official_words(documents):
    """Seeded by the data migration: 社保 → 社会保险, 公租房 → 公共租赁住房."""
    assert found("社保")[0] == documents["insurance"].pk
    assert found("公租房")[0] == documents["housing"].pk


def test_synonyms_edited_by_the_office_apply_at_once(documents):
    assert found("办学证") == []
    Synonym.objects.create(term="办学证", expansions="办学许可", two_way=False)
    assert found("办学证") == [documents["licence"].pk]


def test_synonyms_are_a_snippet_in_the_admin(client_for):
    client = client_for("admin")
    response = client.get("/admin/snippets/search/synonym/?" + urlencode({"q": "社保"}))
    assert response.status_code == 200
    assert "社会保险" in response.content.decode()
    assert Synonym.objects.count() > 100  # seeded by the data migration


def test_the_city_disclosure_office_may_edit_synonyms(user_named):
    office = user_named("gongkaiban")
    assert office.has_perm("search.change_synonym")
    assert not user_named("fgw-editor").has_perm("search.change_synonym")


# --- document numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "鹤政发〔2025〕4号",
        "鹤政发[2025]4号",
        "鹤政发(2025)4号",
        "鹤政发（2025）第4号",
        "鹤政发【2025】04号",
        "鹤政发2025 4号",
        "鹤政发 2025 4",
    ],
)
def test_a_document_number_in_any_bracket_style_ranks_its_document_first(documents, query):
    assert found(query)[0] == documents["open"].pk


def test_part_of_a_document_number_finds_it(documents):
    assert found("鹤政发 4号")[0] == documents["open"].pk
    assert documents["waste"].pk in found("鹤财发〔2024〕")


def test_a_document_number_inside_a_longer_issuer_code_is_found(documents):
    """国务院令第711号 is how citizens type 中华人民共和国国务院令第711号."""
    decree = item("中华人民共和国政府信息公开条例", doc_number="中华人民共和国国务院令第711号")
    assert found("国务院令第711号")[0] == decree.pk


def test_the_index_number_finds_its_document(documents):
    number = DisclosureItem.objects.get(pk=documents["waste"].pk).index_number
    assert number
    assert found(number)[0] == documents["waste"].pk
    year, serial = number.split("/")[1].split("-")
    # year and serial without the code: every unit with that serial, this one among them
    assert documents["waste"].pk in found(f"{year}-{int(serial)}")


def test_the_normalised_number_is_kept_on_save(documents):
    page = documents["open"]
    assert DisclosureItem.objects.get(pk=page.pk).doc_number_normalised == "<鹤政发><2025><4>"


# --- several words, issuers -----------------------------------------------------------------


def test_documents_with_every_word_come_first_then_those_with_most_of_them(documents):
    assert found("鹤岗 垃圾分类")[0] == documents["waste"].pk
    # no document has both words: those with one of them (half the query's weight) are listed
    both = found("垃圾分类 社会保险")
    assert {documents["waste"].pk, documents["insurance"].pk} <= set(both)
    # …but not those with too little of it (鹤岗 alone is a third of 鹤岗 航天发射中心)
    assert documents["open"].pk not in found("鹤岗 航天发射中心")


def test_filler_words_of_a_question_are_dropped(documents):
    assert found("垃圾分类在哪里查")[0] == documents["waste"].pk
    assert found("怎么申请公共租赁住房")[0] == documents["housing"].pk


def test_a_compound_of_a_short_form_finds_the_full_form(documents):
    """城市低保金: the documents write 城市居民最低生活保障金 (低保 → 最低生活保障)."""
    page = item("城市居民最低生活保障金发放办法")
    assert found("城市低保金")[0] == page.pk


def test_punctuation_inside_a_phrase_does_not_block_it(documents):
    page = item("推进政务服务“一网、通办”的实施意见")
    assert page.pk in found("一网通办")[:3]


def test_words_typed_together_may_stand_apart_in_the_document(documents):
    assert documents["insurance"].pk in found("社会保险标准")


def test_an_issuer_finds_its_documents(documents):
    assert found("鹤岗市人力资源和社会保障局")[0] == documents["insurance"].pk


# --- scope and facets -----------------------------------------------------------------------


def test_the_portal_searches_every_unit_a_subsite_only_its_own(client, documents):
    portal_ids = result_ids(search(client, q="公开"))
    assert documents["open"].pk in portal_ids
    assert documents["licence"].pk in result_ids(search(client, q="行政许可"))
    # 萝北县's site holds its departments' items, not the city's
    luobei = result_ids(search(client, host="luobei.localhost", q="行政许可"))
    assert luobei == [documents["licence"].pk]
    assert result_ids(search(client, host="luobei.localhost", q="公开")) == []


def test_a_unit_parameter_narrows_to_that_unit(client, documents):
    response = search(client, q="公开", unit="fgw")
    assert set(result_ids(response)) == {documents["open"].pk, documents["body_only"].pk}
    assert response.context["scope_unit"].slug == "fgw"
    assert result_ids(search(client, q="公开", unit="czj")) == []


def test_a_section_header_search_is_scoped_to_its_unit(client, documents):
    html = client.get("/fgw/", HTTP_HOST="localhost").content.decode()
    assert '<input type="hidden" name="unit" value="fgw">' in html
    home = client.get("/", HTTP_HOST="localhost").content.decode()
    assert 'name="unit"' not in home


def test_facets_count_every_match_and_filter(client, documents):
    response = search(client, q="鹤岗")
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    units = {value["label"]: value["count"] for value in facets["unit"]["values"]}
    # the issuer defaults to the unit's name, so both of 发改委's items mention 鹤岗
    assert units["鹤岗市发展和改革委员会"] == 2
    assert units["鹤岗市财政局"] == 1
    assert sum(units.values()) == response.context["total"]
    years = {value["label"] for value in facets["year"]["values"]}
    assert str(documents["open"].publish_date.year) in years
    assert {value["label"] for value in facets["validity"]["values"]}
    narrowed = search(client, q="鹤岗", unit="czj")
    assert result_ids(narrowed) == [documents["waste"].pk]
    by_class = search(client, q="公开", **{"class": "gzdt"})
    assert result_ids(by_class) == [documents["licence"].pk] or all(
        DisclosureItem.objects.get(pk=pk).catalogue_class.code == "gzdt"
        for pk in result_ids(by_class)
    )


def test_validity_and_year_filters(client, documents):
    repealed = item("鹤岗市旧版垃圾分类办法", validity="repealed")
    assert result_ids(search(client, q="垃圾分类", validity="repealed")) == [repealed.pk]
    year = str(documents["waste"].publish_date.year)
    assert documents["waste"].pk in result_ids(search(client, q="垃圾分类", year=year))
    assert result_ids(search(client, q="垃圾分类", year="1999")) == []


def test_pagination_keeps_the_query_and_filters(client, documents):
    for n in range(12):
        item(f"鹤岗市停车场建设情况通报第{n}期", unit="czj")
    first = search(client, q="停车场", unit="czj")
    assert first.context["total"] == 12
    assert len(result_ids(first)) == 10
    next_url = first.context["page_urls"]["next"]
    assert "unit=czj" in next_url and "page=2" in next_url
    second = client.get("/search/" + next_url, HTTP_HOST="localhost")
    assert len(result_ids(second)) == 2
    assert not set(result_ids(first)) & set(result_ids(second))


def test_nothing_found_suggests_dropping_a_word_or_a_filter(client, documents):
    response = search(client, q="垃圾分类 航天发射 火箭回收")
    assert result_ids(response) == []
    labels = [s["label"] for s in response.context["suggestions"]]
    assert any("航天发射" in label for label in labels)
    assert response.context["suggestions"][0]["url"].startswith("?q=")
    filtered = search(client, q="垃圾分类", unit="fgw")
    assert result_ids(filtered) == []
    assert filtered.context["suggestions"]


# --- highlighting -----------------------------------------------------------------------------


def test_matches_are_highlighted_and_everything_else_escaped(client):
    page = item("<script>alert(1)</script>垃圾分类告知书", text="<b>垃圾分类</b>从我做起")
    html = search(client, q="垃圾分类").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>垃圾分类</mark>告知书" in html
    assert page.pk in result_ids(search(client, q="垃圾分类"))


def test_a_query_is_escaped_where_it_is_shown(client, documents):
    html = search(client, q='"><img src=x onerror=alert(1)>').content.decode()
    assert "<img src=x" not in html


def test_synonym_matches_are_highlighted(client, documents):
    html = search(client, q="社保").content.decode()
    assert "<mark>社会保险</mark>" in html


# --- only what is public --------------------------------------------------------------------


def test_drafts_never_appear(client):
    draft = item("鹤岗市草稿文件征求意见稿", publish=False)
    assert draft.pk not in found("征求意见稿")
    assert draft.pk not in result_ids(search(client, q="征求意见稿"))


def test_an_unpublished_page_leaves_the_results_at_once(client):
    page = item("鹤岗市撤回文件测试")
    assert found("撤回文件") == [page.pk]
    page.unpublish()
    assert found("撤回文件") == []
    assert result_ids(search(client, q="撤回文件")) == []
    assert json.loads(api(client, search="撤回文件").content)["items"] == []


def test_a_draft_change_of_a_live_page_is_not_searchable(client):
    page = item("鹤岗市正式版本通知")
    page.title = "鹤岗市秘密修改草稿"
    page.save_revision()
    assert found("秘密修改") == []
    assert found("正式版本") == [page.pk]


def test_private_pages_never_appear(client):
    page = item("鹤岗市内部通知限制访问")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert found("限制访问") == []


# --- the API ------------------------------------------------------------------------------------


def api(client, host="localhost", **params):
    return client.get("/api/v2/pages/?" + urlencode(params), HTTP_HOST=host)


@pytest.mark.parametrize("query", ["鹤岗", "公开", "社保", "鹤政发2025 4号", "通知"])
def test_the_api_lists_results_in_the_page_order(client, documents, query):
    page_ids = result_ids(search(client, q=query))
    for params in ({}, {"type": "disclosure_pages.DisclosureItem"}):
        response = api(client, search=query, limit=10, **params)
        assert response.status_code == 200
        data = json.loads(response.content)
        assert [entry["id"] for entry in data["items"]] == page_ids[:10]


def test_the_api_search_is_scoped_to_its_site(client, documents):
    data = json.loads(api(client, host="luobei.localhost", search="行政许可").content)
    assert [entry["id"] for entry in data["items"]] == [documents["licence"].pk]
