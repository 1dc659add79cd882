"""Subsites by hostname, sections by path, and switching between them without losing pages
or breaking old links."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import Site

from unit_sites.models import FormerHostname, UnitPage
from unit_sites.presence import move_to_own_site, move_to_section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("host", "path", "title"),
    [
        ("localhost", "/", "鹤岗市人民政府"),
        ("xiangyang.localhost", "/", "向阳区人民政府"),
        ("suibin.localhost", "/", "绥滨县人民政府"),
        ("jyj.localhost", "/", "鹤岗市教育局"),
        ("localhost", "/fgw/", "鹤岗市发展和改革委员会"),
        ("localhost", "/czj/", "鹤岗市财政局"),
        ("luobei.localhost", "/luobei-jyj/", "萝北县教育局"),
        ("luobei.localhost", "/luobei-jyj/gkml/zfzn/", "政府职能"),
    ],
)
def test_units_are_served_on_their_site_or_section(client, host, path, title):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_each_subsite_shows_its_own_unit_in_the_header(client):
    body = client.get("/", HTTP_HOST="luobei.localhost").content.decode()
    assert 'class="site-name" href="/">萝北县人民政府' in body


def test_a_subsite_unit_reached_through_the_parent_host_redirects_to_its_subsite(client):
    response = client.get("/xiangyang/gkml/?page=2", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "http://xiangyang.localhost/gkml/?page=2"


def test_the_portal_lists_every_unit_with_its_address(client):
    body = client.get("/", HTTP_HOST="localhost").content.decode()
    assert 'href="http://xiangyang.localhost/"' in body
    assert 'href="/fgw/"' in body


def test_switching_a_subsite_to_a_section_keeps_pages_and_old_links():
    unit = UnitPage.objects.get(slug="jyj")
    page_ids = set(unit.get_descendants(inclusive=True).values_list("pk", flat=True))
    move_to_section(unit)
    unit.refresh_from_db()
    assert not Site.objects.filter(root_page=unit).exists()
    assert set(unit.get_descendants(inclusive=True).values_list("pk", flat=True)) == page_ids
    assert FormerHostname.objects.filter(hostname="jyj.localhost", unit=unit).exists()


def test_old_subsite_links_redirect_after_becoming_a_section(client):
    move_to_section(UnitPage.objects.get(slug="jyj"))
    response = client.get("/gkml/zcfg/?q=1", HTTP_HOST="jyj.localhost")
    assert response.status_code == 301
    assert response["Location"] == "http://localhost/jyj/gkml/zcfg/?q=1"
    assert client.get("/jyj/gkml/zcfg/", HTTP_HOST="localhost").status_code == 200


def test_old_section_links_redirect_after_becoming_a_subsite(client):
    unit = UnitPage.objects.get(slug="czj")
    move_to_own_site(unit, "czj.localhost")
    response = client.get("/czj/gkml/", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "http://czj.localhost/gkml/"
    assert client.get("/gkml/", HTTP_HOST="czj.localhost").status_code == 200


def test_a_round_trip_site_section_site_forgets_the_former_hostname(client):
    unit = UnitPage.objects.get(slug="jyj")
    move_to_section(unit)
    move_to_own_site(unit, "jyj.localhost")
    assert not FormerHostname.objects.exists()
    assert client.get("/", HTTP_HOST="jyj.localhost").status_code == 200


@pytest.mark.parametrize(
    ("slug", "action", "message"),
    [
        ("hegang", "section", "门户"),
        ("fgw", "section", "栏目"),
        ("jyj", "site", "已有"),
    ],
)
def test_impossible_switches_are_refused_in_chinese(slug, action, message):
    unit = UnitPage.objects.get(slug=slug)
    with pytest.raises(ValidationError) as excinfo:
        if action == "section":
            move_to_section(unit)
        else:
            move_to_own_site(unit, "new.localhost")
    assert message in " ".join(excinfo.value.messages)


def test_a_taken_hostname_is_refused():
    with pytest.raises(ValidationError):
        move_to_own_site(UnitPage.objects.get(slug="czj"), "xiangyang.localhost")
    assert not Site.objects.filter(root_page__slug="czj").exists()


def test_switch_command(capsys):
    call_command("set_unit_presence", "czj", "--hostname=czj.localhost")
    assert "http://czj.localhost/" in capsys.readouterr().out
    call_command("set_unit_presence", "czj", "--section")
    assert "http://localhost/czj/" in capsys.readouterr().out
