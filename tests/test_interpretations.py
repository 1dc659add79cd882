"""政策解读 as its own page type: a 解读 belongs to one or more 政策文件, each shows the other
(published ones only), the catalogue files it under its own kind, and the inspection flags a
规范性文件 left without one past the office's period."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from disclosure_pages.models import InterpretationPage, PolicyDocumentPage
from supervision.inspection import inspect_unit
from supervision.models import Indicator
from tests.factories import add_item, column
from unit_sites.models import UnitPage
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def path(page):
    return urlsplit(page.url).path


def interpret(unit_slug, *documents, publish=True, **fields):
    fields.setdefault("form", "graphic")
    page = InterpretationPage(title=fields.pop("title", "图解：价格管理办法"), **fields)
    page.documents = list(documents)
    page.live = publish  # a new Page is live by default; a draft must not be
    column(unit_slug, "zcfg").add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def test_a_document_and_its_interpretations_link_both_ways(client):
    document = add_item(PolicyDocumentPage, "fgw", title="鹤岗市价格管理办法", is_normative=True)
    other = add_item(PolicyDocumentPage, "fgw", title="鹤岗市收费管理办法")
    graphic = interpret("fgw", document, other, title="图解：两个办法")
    draft = interpret("fgw", document, title="文字解读草稿", form="text", publish=False)
    assert graphic.key_kind.code == "zcjd"  # its own kind in the catalogue

    html = client.get(path(document), HTTP_HOST="localhost").content.decode()
    assert f'href="{path(graphic)}"' in html and "图解：两个办法" in html
    assert '<span class="interpretation-form">图解</span>' in html
    assert "文字解读草稿" not in html  # drafts never leak
    assert path(draft) not in html

    html = client.get(path(graphic), HTTP_HOST="localhost").content.decode()
    assert f'href="{path(document)}"' in html and f'href="{path(other)}"' in html
    assert "<dd>图解</dd>" in html

    # The catalogue's kind filter lists the 解读 apart from the documents.
    listing = client.get("/fgw/gkml/zcfg/?kind=zcjd", HTTP_HOST="localhost")
    titles = [row.title for row in listing.context["items"].object_list]
    assert "图解：两个办法" in titles and "鹤岗市价格管理办法" not in titles


def test_inspection_flags_a_normative_document_without_interpretation(settings):
    settings.GONGKAI_INTERPRETATION_WORKING_DAYS = 3
    unit = UnitPage.objects.get(slug="fgw")
    published = datetime.date(2026, 10, 12)
    lonely = add_item(
        PolicyDocumentPage,
        "fgw",
        title="无解读的规范性文件",
        is_normative=True,
        publish_date=published,
    )
    explained = add_item(
        PolicyDocumentPage,
        "fgw",
        title="有解读的规范性文件",
        is_normative=True,
        publish_date=published,
    )
    add_item(PolicyDocumentPage, "fgw", title="普通文件", publish_date=published)
    interpret("fgw", explained)
    due = add_working_days(published, 3)

    def flagged(today):
        return [
            finding.page_id
            for finding in inspect_unit(unit, today)
            if finding.indicator == Indicator.MISSING_INTERPRETATION
        ]

    assert flagged(due) == []  # still within the period
    assert flagged(due + datetime.timedelta(days=1)) == [lonely.pk]
