"""The demo is the real structure of Hegang; every account can log into the admin."""

import pytest
from django.contrib.auth.models import User
from wagtail.models import Collection, Page, Site

from cms.demo import DEMO_UNITS, load_demo
from tests.conftest import DEMO_PASSWORD
from unit_sites.models import UnitKind, UnitPage

pytestmark = pytest.mark.django_db

DISTRICTS_AND_COUNTIES = [
    "xiangyang",
    "gongnong",
    "nanshan",
    "xingan",
    "dongshan",
    "xingshan",
    "luobei",
    "suibin",
]


def test_the_portal_is_the_default_site_on_localhost():
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.root_page.slug) == ("localhost", "hegang")
    assert Site.objects.count() == len([unit for unit in DEMO_UNITS if unit[5]])


@pytest.mark.parametrize("slug", DISTRICTS_AND_COUNTIES)
def test_every_district_and_county_has_its_own_subsite(slug):
    site = Site.objects.get(root_page__slug=slug)
    assert site.hostname == f"{slug}.localhost"
    assert UnitPage.objects.get(slug=slug).kind == UnitKind.COUNTY_GOVERNMENT


def test_city_departments_include_sections_and_subsites():
    departments = UnitPage.objects.filter(kind=UnitKind.DEPARTMENT, depth=3)
    assert departments.count() >= 8
    sections = [unit for unit in departments if not unit.has_own_site]
    assert len(sections) >= 3
    assert all(unit.get_full_url() == f"http://localhost/{unit.slug}/" for unit in sections)


def test_a_county_department_is_a_section_of_its_county():
    unit = UnitPage.objects.get(slug="luobei-jyj")
    assert unit.get_parent().slug == "luobei"
    assert unit.get_full_url() == "http://luobei.localhost/luobei-jyj/"


def demo_usernames():
    names = {"admin", "webteam", "gongkaiban"}
    for slug, _name, _short, kind, *_rest in DEMO_UNITS:
        names |= {f"{slug}-editor", f"{slug}-reviewer", f"{slug}-secrecy"}
        if kind == UnitKind.COUNTY_GOVERNMENT:
            names.add(f"{slug}-office")
    return names


def test_every_demo_account_exists():
    assert demo_usernames() <= set(User.objects.values_list("username", flat=True))


@pytest.mark.parametrize("username", sorted(demo_usernames()))
def test_every_demo_account_logs_into_the_admin(client, username):
    response = client.post(
        "/admin/login/", {"username": username, "password": DEMO_PASSWORD}, HTTP_HOST="localhost"
    )
    assert response.status_code == 302, f"{username} could not log in"
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200


def test_loading_the_demo_twice_duplicates_nothing():
    def snapshot():
        return (
            Page.objects.count(),
            Site.objects.count(),
            User.objects.count(),
            Collection.objects.count(),
            UnitPage.objects.count(),
        )

    before = snapshot()
    load_demo(DEMO_PASSWORD, port=80, log=lambda *args: None)
    assert snapshot() == before


def test_loading_on_another_port_moves_every_site():
    load_demo(DEMO_PASSWORD, port=8123, log=lambda *args: None)
    assert set(Site.objects.values_list("port", flat=True)) == {8123}
    assert (
        UnitPage.objects.get(slug="xiangyang").get_full_url() == "http://xiangyang.localhost:8123/"
    )
