"""The Wagtail admin's own searches read Chinese as the public search does (search.admin_search):
an editor finds an item by any word of its title, its 文号 in any bracket style, or its 索引号,
within what the admin lets the editor see."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.permission_policies.pages import PagePermissionPolicy

from disclosure_pages.models import DisclosureItem, GeneralItemPage, PolicyDocumentPage
from tests.factories import add_item
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db

# Common words of the demo's titles; each occurs inside longer titles, rarely at their start.
QUERIES = [
    "低保",
    "最低生活保障",
    "年度报告",
    "行政处罚",
    "办事指南",
    "通知",
    "公开",
    "政府信息",
    "预算",
    "安全",
    "教育",
    "采购",
    "规划",
]


# Titles of the demo's kind, each common word inside them (never at their start).
TITLES = [
    ("fgw", "绥滨县2026年第一季度城乡低保资金发放情况公示"),
    ("xiangyang-mzj", "向阳区城乡最低生活保障标准调整的通知"),
    ("fgw", "鹤岗市发展和改革委员会2025年度报告"),
    ("luobei-jyj", "萝北县教育局行政处罚决定书"),
    ("xiangyang-mzj", "向阳区民政局社会救助办事指南"),
    ("czj", "鹤岗市财政局关于政府信息公开工作的安排"),
    ("czj", "鹤岗市2026年市本级预算草案"),
    ("zjj", "鹤岗市住建局建筑施工安全专项整治方案"),
    ("luobei-jyj", "萝北县义务教育阶段招生工作通知"),
    ("czj", "鹤岗市政府采购意向公开"),
    ("zjj", "鹤岗市城市总体规划修编公示"),
]


@pytest.fixture
def items():
    return [
        add_item(PolicyDocumentPage if i % 2 else GeneralItemPage, unit, title=title)
        for i, (unit, title) in enumerate(TITLES)
    ]


def admin_search(client, query):
    """The pks of every page the admin's page search lists for the query (all result pages)."""
    found, number = [], 1
    while True:
        response = client.get(reverse("wagtailadmin_pages:search"), {"q": query, "p": number})
        assert response.status_code == 200
        page_obj = response.context["page_obj"]
        found += [page.pk for page in page_obj.object_list]
        if not page_obj.has_next():
            return found
        number += 1


def explorable(user):
    return PagePermissionPolicy().explorable_instances(user)


@pytest.mark.parametrize("username", ["gongkaiban", "webteam"])
def test_every_live_item_whose_title_contains_a_common_word_is_found(
    client_for, user_named, username, items
):
    client = client_for(username)
    scope = explorable(user_named(username)).values("pk")
    missed, searched = {}, 0
    for query in QUERIES:
        expected = set(
            DisclosureItem.objects.live()
            .filter(title__contains=query, pk__in=scope)
            .values_list("pk", flat=True)
        )
        searched += bool(expected)
        missing = expected - set(admin_search(client, query))
        if missing:
            missed[query] = missing
    assert not missed
    live = DisclosureItem.objects.live()
    assert searched >= 10, [(q, live.filter(title__contains=q).count()) for q in QUERIES]


def test_the_words_of_a_query_may_stand_apart_and_synonyms_count(client_for, items):
    client = client_for("gongkaiban")
    item = DisclosureItem.objects.live().filter(title__contains="最低生活保障").first()
    assert item.pk in admin_search(client, "低保")  # 低保 is a synonym of 最低生活保障
    words = re.findall(r"[\u4e00-\u9fff]{2}", item.title)
    assert item.pk in admin_search(client, f"{words[-1]}{words[0]}")


def test_an_editor_finds_only_in_own_units(client_for, user_named, items):
    client = client_for("xiangyang-editor")
    own = explorable(user_named("xiangyang-editor"))
    others = (
        DisclosureItem.objects.live()
        .filter(title__contains="通知")
        .exclude(pk__in=own.values("pk"))
    )
    assert others.exists()
    found = set(admin_search(client, "通知"))
    assert not found & set(others.values_list("pk", flat=True))
    assert found <= set(own.values_list("pk", flat=True))


def test_a_document_number_in_any_bracket_style_and_the_index_number_find_the_item(client_for):
    client = client_for("gongkaiban")
    item = add_item(
        PolicyDocumentPage,
        "fgw",
        title="关于印发价格监测办法的通知",
        doc_number="鹤发改发〔2025〕17号",
    )
    assert item.index_number
    square = item.doc_number.replace("〔", "[").replace("〕", "]")
    assert item.pk in admin_search(client, square)
    assert item.pk in admin_search(client, item.doc_number.replace("〔", "（").replace("〕", "）"))
    assert item.pk in admin_search(client, item.index_number)
    year_serial = item.index_number.split("/")[-1]
    assert item.pk in admin_search(client, year_serial)


def test_the_page_chooser_searches_in_chinese(client_for, items):
    client = client_for("gongkaiban")
    item = DisclosureItem.objects.live().filter(title__contains="行政处罚").first()
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "行政处罚"})
    assert response.status_code == 200
    assert item.title in response.content.decode()


def test_the_documents_listing_searches_in_chinese(client_for):
    Document = get_document_model()
    unit = UnitPage.objects.get(slug="fgw")
    document = Document(
        title="鹤岗市发展和改革委员会关于价格监测的通知附件", collection=unit.collection
    )
    document.file.save("price.txt", ContentFile(b"price"), save=False)
    document.save()
    client = client_for("fgw-editor")
    response = client.get(reverse("wagtaildocs:index"), {"q": "价格监测"})
    assert response.status_code == 200
    assert document.title in response.content.decode()
