"""Elasticsearch for Chinese at scale: index settings and mapping checked offline on a
constructed backend (no cluster needed); a live round trip when ELASTICSEARCH_URL is set."""

import os

import pytest
from django.test import override_settings

from disclosure_pages.models import DisclosureItem, PolicyDocumentPage
from search.backends.elasticsearch9 import (
    ChineseElasticsearch9SearchBackend,
    chinese_analysis,
    synonym_rules,
)
from search.index import SegmentedSearchField
from search.models import Synonym

ES_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.elasticsearch9",
        "URLS": [os.environ.get("ELASTICSEARCH_URL") or "http://127.0.0.1:9200"],
        "INDEX_PREFIX": "gongkai_test_",
    }
}


def backend(**params):
    return ChineseElasticsearch9SearchBackend({"URLS": ["http://127.0.0.1:9200"], **params})


def test_cjk_is_the_default_analysis():
    analysis = chinese_analysis("cjk", ["社保, 社会保险"])
    index, search = analysis["analyzer"]["default"], analysis["analyzer"]["default_search"]
    assert index["tokenizer"] == "standard" and "cjk_bigram" in index["filter"]
    assert "gongkai_synonyms" not in index["filter"]
    assert search["filter"][-1] == "gongkai_synonyms"  # after the bigrams: rules are bigrams too
    assert analysis["filter"]["gongkai_synonyms"] == {
        "type": "synonym_graph",
        "synonyms": ["社保, 社会保险"],
        "lenient": True,
    }


@pytest.mark.parametrize(
    ("name", "index_tokenizer", "search_tokenizer"),
    [("smartcn", "smartcn_tokenizer", "smartcn_tokenizer"), ("ik", "ik_max_word", "ik_smart")],
)
def test_plugin_analyzers_by_setting(name, index_tokenizer, search_tokenizer):
    with override_settings(ELASTICSEARCH_ANALYZER=name):
        settings = backend().index_settings(synonyms=[])
    analyzers = settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"]["tokenizer"] == index_tokenizer
    assert analyzers["default_search"]["tokenizer"] == search_tokenizer
    # Wagtail's own analyzers (autocomplete) stay
    assert "edgengram_analyzer" in analyzers


def test_an_unknown_analyzer_is_refused():
    with pytest.raises(ValueError, match="Unknown Elasticsearch analyzer"):
        chinese_analysis("pinyin")


@pytest.mark.django_db
def test_the_synonym_table_is_pushed_as_a_filter():
    Synonym.objects.create(term="拆违", expansions="拆除违法建设", two_way=False)
    rules = synonym_rules()
    assert "社保, 社会保险" in rules
    assert "拆违 => 拆违, 拆除违法建设" in rules
    settings = backend(ANALYZER="cjk").index_settings()
    assert settings["settings"]["analysis"]["filter"]["gongkai_synonyms"]["synonyms"] == rules


def test_index_settings_from_the_environment_are_merged():
    settings = backend(INDEX_SETTINGS={"settings": {"index": {"number_of_shards": 3}}})
    merged = settings.index_settings(synonyms=[])
    assert merged["settings"]["index"]["number_of_shards"] == 3
    assert merged["settings"]["analysis"]["analyzer"]["default"]["tokenizer"] == "standard"


@pytest.mark.django_db
@override_settings(WAGTAILSEARCH_BACKENDS=ES_BACKENDS)
def test_the_mapping_gives_raw_text_and_boosts_to_elasticsearch():
    from modelsearch.backends.elasticsearch9 import Elasticsearch9Mapping

    mapping_class = Elasticsearch9Mapping(PolicyDocumentPage)
    properties = mapping_class.get_mapping()["properties"]
    title = properties["title"]
    # the boost of the search field (title 5) becomes a boosted copy Wagtail's queries weigh
    assert title["type"] == "text"
    assert mapping_class.get_boost_field_name(5) in title["copy_to"]
    assert "analyzer" not in title  # the index's default (Chinese) analyzer applies
    # Elasticsearch analyses Chinese itself: fields hand it the text unsegmented
    page = PolicyDocumentPage(title="鹤岗市政府信息公开管理办法")
    field = next(f for f in DisclosureItem.search_fields if isinstance(f, SegmentedSearchField))
    assert field.get_value(page) == "鹤岗市政府信息公开管理办法"


@pytest.mark.django_db
def test_the_database_backend_gets_segmented_text():
    page = PolicyDocumentPage(title="鹤岗市政府信息公开管理办法")
    field = next(f for f in DisclosureItem.search_fields if isinstance(f, SegmentedSearchField))
    assert "公开" in field.get_value(page).split()


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL")
@pytest.mark.django_db
@override_settings(WAGTAILSEARCH_BACKENDS=ES_BACKENDS)
def test_live_cluster_finds_words_inside_compounds_and_synonyms():
    from wagtail.search.backends import get_search_backend

    from search.views import site_queryset
    from tests.factories import add_item

    es = get_search_backend()
    page = add_item(PolicyDocumentPage, "fgw", title="关于调整城乡居民社会保险缴费标准的通知")
    es.reset_index()
    es.add_type(DisclosureItem)
    es.add_type(PolicyDocumentPage)
    es.add(page)
    es.refresh_index()
    analyzed = es.es.indices.analyze(
        index=es.get_index_for_model(PolicyDocumentPage).name, text="社会保险", analyzer="default"
    )
    assert {token["token"] for token in analyzed["tokens"]} >= {"社会", "保险"}
    from search.engine import run_search

    for query in ("社会保险", "保险", "社保"):
        assert page.pk in run_search(query, site_queryset(None)).pks, query
