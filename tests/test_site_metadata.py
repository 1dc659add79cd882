"""The metadata tags of the national site rules (政府网站发展指引) on every public page: the three
site tags everywhere, the column tags on column pages, the content tags on items."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from wagtail.models import Site

from disclosure_pages.models import NewsPage, PolicyDocumentPage
from tests.factories import add_item
from themes.models import SiteThemeSettings

pytestmark = pytest.mark.django_db

META_RE = re.compile(r'<meta name="([A-Z][A-Za-z]+)" content="([^"]*)">')
SITE = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT = ("ArticleTitle", "PubDate", "ContentSource")


@pytest.fixture(autouse=True)
def site_codes():
    cache.clear()
    for hostname, code in (("localhost", "2304000001"), ("xiangyang.localhost", "2304020001")):
        settings_obj = SiteThemeSettings.lookup(Site.objects.get(hostname=hostname))
        settings_obj.website_code = code
        settings_obj.save()


def metadata(client, path, host="localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    html = response.content.decode()
    head = html.split("</head>")[0]
    tags = [(name, unescape(value)) for name, value in META_RE.findall(head)]
    names = [name for name, _value in tags]
    assert len(names) == len(set(names)), f"a tag twice on {path}: {names}"
    return dict(tags), names


def assert_portal_site(tags):
    assert tags["SiteName"] == "鹤岗市人民政府"
    assert tags["SiteDomain"] == "localhost"
    assert tags["SiteIDCode"] == "2304000001"


def test_a_site_home_carries_only_the_site_tags(client):
    tags, names = metadata(client, "/")
    assert names == list(SITE)
    assert_portal_site(tags)
    tags, names = metadata(client, "/", host="xiangyang.localhost")
    assert names == list(SITE)
    assert tags == {
        "SiteName": "向阳区人民政府",
        "SiteDomain": "xiangyang.localhost",
        "SiteIDCode": "2304020001",
    }


def test_column_pages_carry_the_site_and_column_tags(client):
    expected = {
        "/fgw/": ("鹤岗市发展和改革委员会", "首页"),  # a unit shown as a section of the portal
        "/fgw/gkml/": ("政务公开目录", "信息公开目录"),
        "/fgw/gkml/zcfg/": ("政策法规", "政策文件"),
        "/fgw/gkml/gzdt/": ("工作动态", "工作动态"),
        "/fgw/gkml/xzql/": ("行政权力", "信息公开目录"),
        "/fgw/ysqgk/": ("依申请公开", "依法申请公开"),
        "/fgw/tsjd/": ("投诉监督", "咨询投诉"),
        "/fgw/bygk/": ("不予公开信息说明", "依法申请公开"),
        "/search/?q=价格": ("搜索", "其他"),
    }
    for path, (name, column_type) in expected.items():
        tags, names = metadata(client, path)
        assert names == [*SITE, *COLUMN], path
        assert_portal_site(tags)
        assert (tags["ColumnName"], tags["ColumnType"]) == (name, column_type), path
        assert tags["ColumnKeywords"], path
    tags, _names = metadata(client, "/fgw/gkml/zcfg/")
    assert tags["ColumnDescription"] == "法律、法规、规章、规范性文件和其他政策文件"
    # A district's own subsite names itself, not the portal.
    tags, _names = metadata(client, "/gkml/", host="xiangyang.localhost")
    assert tags["SiteName"] == "向阳区人民政府"
    assert tags["ColumnType"] == "信息公开目录"


def test_an_item_carries_the_content_tags(client):
    item = add_item(
        PolicyDocumentPage,
        "fgw",
        title="鹤岗市价格管理办法",
        summary="规范本市价格管理。",
        issuer="鹤岗市发展和改革委员会",
    )
    item.tags.add("价格", "管理")
    item.save()
    published = item.first_published_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    tags, names = metadata(client, item.url)
    assert names[:10] == [*SITE, *COLUMN, *CONTENT]
    assert_portal_site(tags)
    assert tags["ColumnName"] == "政策法规"
    assert tags["ColumnType"] == "政策文件"
    assert tags["ArticleTitle"] == "鹤岗市价格管理办法"
    assert tags["PubDate"] == published.strftime("%Y-%m-%d %H:%M")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", tags["PubDate"])
    assert tags["ContentSource"] == "鹤岗市发展和改革委员会"
    assert tags["Description"] == "规范本市价格管理。"
    assert set(tags["Keywords"].split(",")) == {"价格", "管理"}
    assert tags["Url"] == item.get_full_url()


def test_an_imported_item_is_dated_by_its_publication_date(client):
    item = add_item(NewsPage, "xiangyang", title="旧动态", publish_date=datetime.date(2015, 3, 1))
    tags, _names = metadata(client, item.get_url(), host="xiangyang.localhost")
    assert tags["PubDate"] == "2015-03-01 00:00"
    assert tags["SiteName"] == "向阳区人民政府"
    assert tags["ContentSource"] == "向阳区人民政府"  # the unit, when no issuer is given
    assert "Description" not in tags  # optional tags only when there is a value


def published_report(unit_slug, year):
    from annual_reports.generation import generate_report

    report = generate_report(unit_slug, year)
    report.get_latest_revision_as_object().save_revision().publish()
    report.refresh_from_db()
    assert report.live
    return report


def test_an_annual_report_is_in_the_annual_report_column(client):
    report = published_report("czj", 2025)
    tags, _names = metadata(client, report.url)
    assert tags["ColumnType"] == "信息公开年报"
    assert tags["ColumnName"] == "政府信息公开年报"
    assert tags["ArticleTitle"] == report.title


def test_a_theme_frame_without_the_metadata_tags_is_reported(tmp_path):
    """A theme may replace base.html; the admin's theme check reports one that drops the tags."""
    from types import SimpleNamespace

    from themes.health import template_errors

    theme = SimpleNamespace(template_dir=tmp_path)
    (tmp_path / "base.html").write_text(
        "{% load site_metadata_tags %}<head></head>{% block content %}{% endblock %}"
    )
    errors = template_errors(theme)
    assert [name for name, _error in errors] == ["base.html"]
    assert "{% site_metadata %}" in errors[0][1]
    (tmp_path / "base.html").write_text(
        "{% load site_metadata_tags %}<head>{% site_metadata %}</head>"
    )
    assert template_errors(theme) == []
