"""The text side of search: segmentation for the index and for queries, document numbers,
query parsing and highlighting (no pages needed)."""

import pytest

from search import docnumbers
from search.highlight import highlight, snippet
from search.query import parse, to_fts5
from search.segmentation import cut_for_index, cut_for_query, get_segmenter, refresh_dictionary


def test_the_index_holds_every_bigram_of_a_run_of_chinese():
    assert cut_for_index("政府信息公开", mode="bigrams").split() == [
        "政府", "府信", "信息", "息公", "公开",
    ]  # fmt: skip
    # punctuation separates runs; Latin and digits stay whole, lower-cased, full width folded
    assert cut_for_index("《条例》第２条ＰＭ", mode="bigrams").split() == [
        "条例",
        "第",
        "2",
        "条",
        "pm",
    ]


def test_the_words_mode_keeps_jieba_words():
    assert "行政许可" in cut_for_index("行政许可事项", mode="words").split()


@pytest.mark.django_db
def test_queries_are_cut_into_words():
    assert cut_for_query("河南的预算") == ["河南", "预算"]  # function words dropped
    assert cut_for_query("鹤政发2025") == ["鹤政发", "2025"]  # a lone 鹤 joins its neighbour
    assert cut_for_query("垃圾分类") in (["垃圾分类"], ["垃圾", "分类"])


@pytest.mark.django_db
def test_the_dictionary_holds_the_platform_terms_and_refreshes():
    refresh_dictionary()
    words = get_segmenter().words
    assert "鹤岗市发展和改革委员会" in words  # a unit's name
    assert "政策法规" in words  # a catalogue class
    assert "公租房" in words  # a synonym term


@pytest.mark.parametrize(
    "typed",
    [
        "鹤政发〔2025〕4号",
        "鹤政发[2025]4号",
        "鹤政发(2025)4号",
        "鹤政发（2025）4号",
        "鹤政发【2025】4号",
        "鹤政发2025 4号",
        "鹤政发 〔2025〕 第4号",
        "鹤政发〔2025〕004号",
    ],
)
def test_document_numbers_normalise_to_one_form(typed):
    assert docnumbers.normalise_doc_number(typed) == "<鹤政发><2025><4>"
    assert docnumbers.looks_like_doc_number(typed)


def test_what_looks_like_a_document_number():
    assert docnumbers.looks_like_doc_number("国令第707号")
    assert docnumbers.looks_like_doc_number("国办发明电〔2018〕15号")
    assert not docnumbers.looks_like_doc_number("2019 节假日")
    assert not docnumbers.looks_like_doc_number("垃圾分类")


def test_match_tiers_of_document_numbers():
    stored = docnumbers.normalise_doc_number("中华人民共和国国务院令第711号")
    assert docnumbers.match_tier("国务院令第711号", stored) == 2
    assert docnumbers.match_tier("中华人民共和国国务院令第711号", stored) == 3
    assert docnumbers.match_tier("国务院令第712号", stored) == 0
    assert docnumbers.match_tier("鹤政发 4号", "<鹤政发><2025><4>") == 1
    assert docnumbers.match_tier("鹤政发 14号", "<鹤政发><2025><4>") == 0


def test_index_numbers_in_part():
    assert docnumbers.parse_index_number("11230400MB1234567X/2026-00042") == (
        "11230400MB1234567X",
        2026,
        42,
    )
    assert docnumbers.parse_index_number("2026-42") == (None, 2026, 42)
    assert docnumbers.parse_index_number("社保") is None


@pytest.mark.django_db
def test_parsing_expands_synonyms_and_keeps_parts():
    query = parse("社保 2024")
    assert [part.text for part in query.parts] == ["社保", "2024"]
    assert "社会保险" in query.terms
    assert to_fts5(query) == '(("社保" OR "社会 会保 保险") AND "2024")'


@pytest.mark.django_db
def test_quotes_and_operators_in_queries_are_only_text():
    for typed in ['"公开', "公开 OR", "NOT 公开", "公开*", "(公开", "{title}: 公开"]:
        assert "公开" in to_fts5(parse(typed))


def test_highlighting_escapes_then_marks():
    html = highlight("<b>垃圾分类</b> & 垃圾", ["垃圾分类", "垃圾"])
    assert html == "&lt;b&gt;<mark>垃圾分类</mark>&lt;/b&gt; &amp; <mark>垃圾</mark>"


def test_highlighting_latin_and_digits_only_whole():
    assert str(highlight("2019年 20190", ["2019"])) == "<mark>2019</mark>年 20190"


def test_highlighting_matches_full_width_forms():
    assert str(highlight("ＰＭ２.５", ["pm"])) == "<mark>ＰＭ</mark>２.５"


def test_a_snippet_is_a_window_around_the_matches():
    text = "开头" * 100 + "这里讲垃圾分类的要求" + "结尾" * 100
    html = str(snippet(text, ["垃圾分类"], length=40))
    assert "<mark>垃圾分类</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 80


def test_a_snippet_shows_the_densest_window():
    text = "甲" * 300 + "公开" + "乙" * 300 + "公开、公开、公开" + "丙" * 300
    html = str(snippet(text, ["公开"], length=40))
    assert html.count("<mark>公开</mark>") == 3


def test_a_snippet_of_a_long_text_with_many_matches_takes_linear_time():
    """Security (issue 18, finding 4): the densest-window search counted the matches after
    every match again, so a long regulation searched for a common word held a CPU for
    minutes (240,000 characters: 27 s). Four times the text must cost about four times."""
    import time

    paragraph = (
        "根据《中华人民共和国政府信息公开条例》，本机关主动公开政府信息，依申请公开的情况如下。"
    )
    timings = []
    for size in (60_000, 240_000):
        text = (paragraph * (size // len(paragraph) + 1))[:size]
        started = time.perf_counter()
        html = str(snippet(text, ["公开", "政府信息"]))
        timings.append(time.perf_counter() - started)
        assert "<mark>公开</mark>" in html
    # today's code: 0.03 s and 0.13 s; the quadratic one took 1.6 s and 27 s
    assert timings[1] < 2.0
    assert timings[1] < 16 * max(timings[0], 0.01)


def test_highlighting_maps_characters_that_normalise_to_several():
    # "ﬁ" becomes "fi": marks still fall on the original characters
    assert str(highlight("ﬁ公开 公开", ["公开"])) == "ﬁ<mark>公开</mark> <mark>公开</mark>"


@pytest.mark.django_db
def test_relevance_comes_from_the_index_text_the_same_on_every_database():
    """Issue 23 (3): the backends only retrieve candidates; their order comes from a BM25
    computed here over the stored index text, so SQLite and PostgreSQL agree."""
    from search.engine import text_relevance

    texts = {
        1: " 垃圾 圾分 分类 " * 5 + " 其他" * 300 + " ",  # a long document about it
        2: " 垃圾 圾分 分类 其他 ",  # a short page mentioning it once
        3: " 其他 内容 ",
    }
    relevance = text_relevance(parse("垃圾分类"), texts)
    assert relevance[1] == 1.0
    assert relevance[1] > relevance[2] > relevance[3] == 0.0
