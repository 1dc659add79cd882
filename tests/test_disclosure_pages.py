import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from disclosure_pages.models import (
    TYPED_PAGE_MODELS,
    CatalogueClassPage,
    CatalogueNode,
    DisclosureItem,
    GeneralItemPage,
    NewsPage,
    PolicyDocumentPage,
    PowerItemPage,
)
from tests.factories import add_item, column
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db


def test_the_taxonomy_has_the_8_classes_and_20_key_kinds():
    classes = CatalogueNode.get_root_nodes()
    assert [node.name for node in classes] == [
        "政府职能",
        "行政权力",
        "行政执法",
        "政策法规",
        "办事指南",
        "表格下载",
        "工作动态",
        "问题解答",
    ]
    kinds = CatalogueNode.objects.filter(level="key_kind")
    numbered = kinds.filter(article8_item__isnull=False)
    assert sorted(numbered.values_list("article8_item", flat=True)) == list(range(1, 21))
    # Kinds added later by data migrations, without an Art. 8 number: 政策解读 and the Art. 20
    # items 统计信息 and 财政预算、决算信息 (statutory_columns).
    others = {kind.code: kind.get_parent().code for kind in kinds.filter(article8_item=None)}
    assert others == {"zcjd": "zcfg", "tjxx": "gzdt", "czyjs": "gzdt"}
    assert all(kind.get_parent().level == "class" for kind in kinds)


def test_an_item_knows_its_unit_class_kind_and_issuer():
    item = add_item(PolicyDocumentPage, "fgw", doc_number="鹤发改发〔2026〕3号")
    assert item.unit.slug == "fgw"
    assert item.catalogue_class.code == "zcfg"
    assert item.key_kind.code == "zcwj"
    assert item.issuer == "鹤岗市发展和改革委员会"


def test_index_number_is_assigned_on_first_publication():
    org_code = UnitPage.objects.get(slug="fgw").org_code
    first = add_item(PolicyDocumentPage, "fgw")
    second = add_item(NewsPage, "fgw")
    year = first.publish_date.year
    assert first.index_number == f"{org_code}/{year}-00001"
    assert second.index_number == f"{org_code}/{year}-00002"
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", first.index_number)


def test_a_draft_has_no_index_number():
    draft = add_item(NewsPage, "fgw", publish=False)
    assert draft.index_number is None and draft.publish_date is None


def test_index_number_never_changes_on_republish_or_revert():
    item = add_item(NewsPage, "fgw")
    number = item.index_number
    first_revision = item.latest_revision
    item.title = "更新后的标题"
    item.save_revision().publish()
    first_revision.publish()  # roll back to the revision made before the number existed
    item.refresh_from_db()
    assert item.index_number == number
    assert item.publish_date is not None


def test_index_number_survives_a_move_to_another_unit():
    item = add_item(NewsPage, "fgw")
    number = item.index_number
    item.move(column("czj", "gzdt"), pos="last-child")
    item = DisclosureItem.objects.get(pk=item.pk)
    assert item.index_number == number
    assert item.unit.slug == "czj"


def test_sequences_are_per_unit_and_per_year():
    with freeze_time("2025-12-31 10:00:00"):
        old = add_item(NewsPage, "fgw")
    with freeze_time("2026-01-02 10:00:00"):
        new = add_item(NewsPage, "fgw")
        other_unit = add_item(NewsPage, "czj")
    assert old.index_number.endswith("/2025-00001")
    assert new.index_number.endswith("/2026-00001")
    assert other_unit.index_number.endswith("/2026-00001")
    assert old.publish_date == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("model", TYPED_PAGE_MODELS)
def test_typed_pages_are_creatable_only_under_their_class(model):
    columns = CatalogueClassPage.objects.filter(url_path__startswith="/hegang/fgw/gkml/")
    allowed = {c.node.code for c in columns if model.can_create_at(c)}
    if model is GeneralItemPage:
        assert len(allowed) == 8
    else:
        assert allowed == {model.catalogue_class_code}
    assert not model.can_create_at(UnitPage.objects.get(slug="fgw"))


def test_power_item_cannot_be_created_under_policy_column():
    assert not PowerItemPage.can_create_at(column("fgw", "zcfg"))
    assert PowerItemPage.can_create_at(column("fgw", "xzql"))


def test_hiding_a_class_needs_a_reason():
    col = column("fgw", "xzzf")
    col.not_applicable = True
    with pytest.raises(ValidationError) as excinfo:
        col.full_clean()
    assert "not_applicable_reason" in excinfo.value.message_dict
    col.not_applicable_reason = "本单位无行政执法职能"
    col.full_clean()
