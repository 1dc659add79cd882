"""The four fixed columns of every unit (指南 gkzn, 制度 gkzd, 法定主动公开内容 fdzdgknr, 年报
gknb): provisioned for new units and added to existing ones by sync_units, in the unit's menu
and sitemap; the 指南 shows the unit's real contact and the platform's real periods."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Page

from citizen_services import clock, fees
from review.deadlines import PUBLICATION_LIMIT_WORKING_DAYS
from statutory_columns.models import (
    AnnualReportIndexPage,
    GuidePage,
    RulesPage,
    StatutoryContentPage,
)
from unit_sites.models import UnitPage
from unit_sites.provisioning import UnitSpec, provision_unit
from unit_sites.validators import make_credit_code

pytestmark = pytest.mark.django_db

COLUMNS = {
    "gkzn": (GuidePage, "政府信息公开指南"),
    "gkzd": (RulesPage, "政府信息公开制度"),
    "fdzdgknr": (StatutoryContentPage, "法定主动公开内容"),
    "gknb": (AnnualReportIndexPage, "政府信息公开年报"),
}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def assert_has_columns(unit):
    for slug, (model, title) in COLUMNS.items():
        page = unit.get_children().get(slug=slug)
        assert isinstance(page.specific, model), slug
        assert page.live and page.title == title


def menu(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    nav = response.content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    return {title: url for url, title in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_every_demo_unit_has_the_four_columns():
    units = list(UnitPage.objects.all())
    assert len(units) > 10
    for unit in units:
        assert_has_columns(unit)


def test_a_new_unit_gets_the_four_columns():
    result = provision_unit(
        UnitSpec(
            slug="tjj",
            name="鹤岗市统计局",
            kind="department",
            org_code=make_credit_code("11230400777777770"),
            parent_slug="hegang",
            password="a-long-test-password",
        )
    )
    assert_has_columns(result.unit)


def test_sync_units_gives_existing_units_the_columns_once():
    unit = UnitPage.objects.get(slug="czj")
    for slug in COLUMNS:
        unit.get_children().get(slug=slug).delete()  # a unit from before this app
    assert not GuidePage.objects.child_of(unit).exists()
    before = Page.objects.count()
    call_command("sync_units")
    call_command("sync_units")  # idempotent
    assert Page.objects.count() == before + len(COLUMNS)
    assert_has_columns(UnitPage.objects.get(slug="czj"))


def test_the_columns_are_in_the_menu_and_the_sitemap(client):
    # A unit on its own site (a district) and a unit shown as a section of the portal.
    for host, path, prefix in (
        ("xiangyang.localhost", "/", "/"),
        ("localhost", "/fgw/", "/fgw/"),
    ):
        entries = menu(client, host, path)
        for slug, (_model, title) in COLUMNS.items():
            assert entries[title] == f"{prefix}{slug}/", (host, title)
        response = client.get("/sitemap.xml", HTTP_HOST=host)
        root = ET.fromstring(response.content)
        locations = {url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")}
        for slug in COLUMNS:
            assert f"http://{host}{prefix}{slug}/" in locations, (host, slug)


def test_the_guide_shows_the_units_contact_and_the_platforms_periods(client):
    unit = UnitPage.objects.get(slug="xiangyang")
    unit.address = "黑龙江省鹤岗市向阳区红军路1号"
    unit.phone = "0468-3456789"
    unit.email = "gongkai@xiangyang.example.gov.cn"
    unit.office_hours = "工作日 8:30-11:30"
    unit.save()
    guide = GuidePage.objects.child_of(unit).get()
    guide.fax = "0468-3456780"
    guide.postcode = "154100"
    guide.save_revision().publish()
    cache.clear()
    response = client.get("/gkzn/", HTTP_HOST="xiangyang.localhost")
    assert response.status_code == 200
    html = response.content.decode()
    for value in (
        "黑龙江省鹤岗市向阳区红军路1号",
        "0468-3456789",
        "gongkai@xiangyang.example.gov.cn",
        "工作日 8:30-11:30",
        "0468-3456780",
        "154100",
        'href="/ysqgk/"',  # the unit's own application form
        'href="/tsjd/"',
        'href="/fdzdgknr/"',
    ):
        assert value in html, value
    assert f"{PUBLICATION_LIMIT_WORKING_DAYS}个工作日内" in html
    assert f"自收到申请之日起{clock.REPLY_LIMIT}个工作日内" in html
    assert f"{clock.CLARIFICATION_WINDOW}个工作日内" in html
    assert f"最长不超过{clock.EXTENSION}个工作日" in html
    assert f"前{fees.FREE_REQUESTS_PER_MONTH}件" in html
    assert "鹤岗市人民政府" in html  # the authority above the district, for complaints


def test_the_statutory_content_links_into_the_catalogue(client):
    response = client.get("/fdzdgknr/", HTTP_HOST="xiangyang.localhost")
    html = response.content.decode()
    assert "财政预算、决算信息" in html
    assert 'href="/gkml/zcfg/?kind=zcwj"' in html
    assert 'href="/gkml/gzdt/?kind=czyjs"' in html  # the kind added for Art. 20 (7)
    assert 'href="/gkml/gzdt/?kind=tjxx"' in html  # and for Art. 20 (4)
    rows = response.context["rows"]
    assert [row["number"] for row in rows] == list(range(1, 16))
    assert all(row["links"] for row in rows)


def test_the_rules_page_lists_the_units_rules(client):
    response = client.get("/gkzd/", HTTP_HOST="xiangyang.localhost")
    html = response.content.decode()
    for title in ("政府信息公开审查制度", "政府信息公开保密审查制度", "政府信息公开工作考核制度"):
        assert title in html


def test_the_reports_column_lists_the_units_reports_and_the_portal_every_units(client):
    from tests.test_site_metadata import published_report

    city_department = published_report("czj", 2025)
    district = published_report("xiangyang", 2025)
    older = published_report("czj", 2024)
    response = client.get("/czj/gknb/", HTTP_HOST="localhost")
    html = response.content.decode()
    assert city_department.title in html and older.title in html
    assert district.title not in html  # a unit's column lists its own reports
    portal = client.get("/gknb/?year=2025", HTTP_HOST="localhost")
    titles = [report.title for report in portal.context["all_reports"]]
    assert city_department.title in titles and district.title in titles
    assert older.title not in titles  # the year chosen only
    assert portal.context["years"][:2] == [2025, 2024]
