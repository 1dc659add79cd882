"""Screening through the page path: the body stored as the editor stores it (StreamField JSON,
Draftail's rich text HTML, TableBlock rows), saved as a revision and screened the way the
workflow's screening task screens it (`screen_revision`).

The screen must read what the reader sees: a marking on a paragraph of its own is a line of
its own, digits at the end of one paragraph never fuse with those at the start of the next,
list items and table rows are lines. The labelled plain-text cases of tests/test_screening.py
are rendered as rich text and screened both ways; the page path must find what the plain-text
screen finds. The even-numbered cases were used while writing the conversion (tuning half);
the odd-numbered ones were held out and only run at the end.
"""

import itertools

import pytest

from disclosure_pages.models import NewsPage
from review.page_screening import html_lines, screen_revision
from review.screening import screen_text
from tests.factories import add_item
from tests.test_screening import CASES

_keys = itertools.count(1)


def key():
    return f"k{next(_keys):04d}"


def paragraph(*lines):
    """A rich-text block as Draftail stores it: one <p data-block-key> per paragraph."""
    html = "".join(f'<p data-block-key="{key()}">{line}</p>' for line in lines)
    return {"type": "paragraph", "value": html, "id": f"p-{key()}"}


def table(rows, header=True):
    """A TableBlock as the editor stores it."""
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": header,
            "first_col_is_header": False,
            "table_header_choice": "row" if header else "",
            "table_caption": "",
            "merged_cells": [],
            "cell": [],
        },
        "id": f"t-{key()}",
    }


def as_body(text):
    """A plain-text case as an editor would type it: each line a paragraph, runs of lines
    with tab-separated cells a table."""
    blocks, lines = [], text.split("\n")
    for is_row, group in itertools.groupby(lines, key=lambda line: "\t" in line):
        group = list(group)
        if is_row:
            blocks.append(table([line.split("\t") for line in group]))
        else:
            blocks.append(paragraph(*group))
    return blocks


@pytest.fixture
def screen_body(user_named):
    editor = user_named("fgw-editor")

    def screen(body, summary=""):
        page = add_item(NewsPage, "fgw", publish=False, user=editor, summary=summary)
        page.body = body
        revision = page.save_revision(user=editor)
        return screen_revision(revision)

    return screen


def kinds(findings):
    return {finding.finding.kind for finding in findings}


def _agreement(cases, screen_body):
    """(cases where the page path finds what plain text finds, total, the differences)."""
    differences = []
    for text, _expected in cases:
        plain = {finding.kind for finding in screen_text(text, "body")}
        paged = kinds(screen_body(as_body(text)))
        if plain != paged:
            differences.append((text, sorted(plain), sorted(paged)))
    return len(cases) - len(differences), len(cases), differences


@pytest.mark.django_db
def test_the_page_path_finds_what_plain_text_finds_on_the_held_out_half(screen_body):
    held_out = CASES[1::2]
    same, total, differences = _agreement(held_out, screen_body)
    print(f"\npage path agrees with plain text on {same}/{total} held-out cases")
    assert not differences, differences


@pytest.mark.django_db
def test_the_page_path_finds_what_plain_text_finds_on_the_tuning_half(screen_body):
    _same, _total, differences = _agreement(CASES[0::2], screen_body)
    assert not differences, differences


RICH_CASES = [
    # a marking on its own paragraph, before the title
    (
        [paragraph("秘密", "鹤岗市财政局关于下达资金的通知")],
        {"classification"},
        ["秘密"],
    ),
    # a marking with its term, on a line of its own by a line break inside a paragraph
    (
        [{"type": "paragraph", "value": "<p>机密★1年<br/>关于调整人事安排的请示</p>"}],
        {"classification"},
        ["机密★1年"],
    ),
    # a heading block holding the marking, then a paragraph
    (
        [{"type": "heading", "value": "秘密★五年"}, paragraph("关于专项工作的报告")],
        {"classification"},
        ["秘密★五年"],
    ),
    # digits ending one paragraph and a mobile number starting the next
    (
        [paragraph("项目编号：20260001", "13812345678 张先生负责联系")],
        {"mobile"},
        ["138****5678"],
    ),
    # a list of people with home addresses, one per list item
    (
        [
            {
                "type": "paragraph",
                "value": '<ul><li data-block-key="a">张伟 鹤岗市向阳区光明街12号</li>'
                '<li data-block-key="b">李娜 鹤岗市工农区红旗路3号2单元501室</li></ul>',
            }
        ],
        {"person_address"},
        ["张*、李*"],
    ),
    # the same list in a table, and a marking alone in a table cell
    (
        [
            table(
                [
                    ["序号", "姓名", "家庭住址"],
                    ["1", "张伟", "鹤岗市向阳区光明街12号"],
                    ["2", "李娜", "鹤岗市工农区红旗路3号"],
                ]
            ),
            table([["内部", "局务会议纪要"]], header=False),
        ],
        {"person_address", "classification"},
        ["张*、李*", "内部"],
    ),
    # entities as Draftail writes them
    ([paragraph("联系电话&nbsp;13812345678")], {"mobile"}, ["138****5678"]),
    # an ordered list ending in an ID number, then the next item starting with digits
    (
        [
            {
                "type": "paragraph",
                "value": "<ol><li>经办人身份证号：230402199003071234</li><li>2026年3月办结</li></ol>",
            }
        ],
        set(),  # 230402199003071234 has a wrong check digit: not an ID
        [],
    ),
    # prose about secrecy, on several paragraphs: nothing
    (
        [paragraph("各单位要严格保守国家秘密。", "加强内部控制，完善内部审计。", "内部管理制度")],
        set(),
        [],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "expected", "values"), RICH_CASES)
def test_rich_text_bodies_are_screened_as_the_reader_sees_them(screen_body, body, expected, values):
    findings = screen_body(body)
    assert kinds(findings) == expected
    assert [finding.value_masked for finding in findings] == values
    assert all(finding.finding.line >= 1 for finding in findings)


@pytest.mark.django_db
def test_findings_name_the_field_and_the_line(screen_body):
    findings = screen_body(
        [paragraph("关于做好防汛工作的通知", "各乡镇："), paragraph("联系人手机13812345678")],
        summary="秘密★1年",
    )
    by_kind = {f.finding.kind: f.as_dict() for f in findings}
    summary_label = str(NewsPage._meta.get_field("summary").verbose_name)
    assert (by_kind["classification"]["where"], by_kind["classification"]["line"]) == (
        summary_label,
        1,
    )
    assert by_kind["mobile"]["line"] == 3
    assert by_kind["mobile"]["value"] == "138****5678"


def test_html_lines():
    assert html_lines('<p data-block-key="a">一</p><p data-block-key="b">二<br/>三</p>') == (
        "一\n二\n三"
    )
    assert html_lines("<ul><li>甲</li><li>乙</li></ul>") == "甲\n乙"
    assert html_lines("<table><tr><td>1</td><td>张伟</td></tr><tr><td>2</td></tr></table>") == (
        "1\t张伟\n2"
    )
    assert html_lines("<p>A&amp;B&nbsp;C <b>粗</b>体</p>") == "A&B\xa0C 粗体"
    assert html_lines("纯文本") == "纯文本"


@pytest.mark.parametrize(
    "marking",
    [
        "秘密★1年",
        "机密★长期",
        "秘密★五年",
        "绝密★10年",
        "机密★6个月",
        "秘密★1年6个月",
        "机密★2030年12月31日",
        "绝密★启用前",
        "秘密★公布前",
        "机密☆3年",
        "密级：秘密  保密期限：1年",
    ],
)
def test_markings_are_reported_whole(marking):
    for text in (f"{marking}\n关于……的通知", f"本文件（{marking}）仅供参阅。"):
        findings = [f for f in screen_text(text, "正文") if f.kind == "classification"]
        assert [f.value_masked for f in findings] == [marking], text


@pytest.mark.parametrize("marking", ["绝密", "机密", "秘密", "内部", "机密级", "内部资料"])
def test_bare_levels_on_a_line_of_their_own_are_reported_whole(marking):
    findings = screen_text(f"{marking}\n鹤岗市人民政府关于……的通知", "正文")
    assert [(f.kind, f.value_masked, f.line) for f in findings] == [("classification", marking, 1)]
