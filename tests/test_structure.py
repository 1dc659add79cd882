"""What public requests read from memory (unit_sites.structure) is never stale: a change is
seen at the next request in this process and in the others, a rolled-back change is never
kept, and nothing kept is shared between callers."""

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import PageViewRestriction, Site

from themes.models import SiteThemeSettings
from unit_sites import structure
from unit_sites.models import UnitPage, unit_for_page

HOME = "<h1>鹤岗市人民政府</h1>"


def other_process_changes_the_structure():
    """What a bump in another process leaves behind: a new token in the shared cache and, for
    a per-process cache, a new epoch file."""
    cache.set(structure.VERSION_KEY, "from-another-process", None)
    structure.bump_file_epoch(structure.EPOCH_FILE)


@pytest.mark.django_db(transaction=True)
def test_changes_reach_every_process_and_rolled_back_ones_none(client):
    """One transactional test (a flush follows each): outside a transaction is where what is
    read is shared, by this process's later requests."""
    assert HOME in client.get("/", HTTP_HOST="localhost").content.decode()
    # Another process renames the portal's unit: no signal reaches this one…
    UnitPage.objects.filter(slug="hegang").update(title="鹤岗市人民政府（新）")
    assert HOME in client.get("/", HTTP_HOST="localhost").content.decode()  # kept in memory
    # …but its bump does.
    other_process_changes_the_structure()
    assert (
        "<h1>鹤岗市人民政府（新）</h1>" in client.get("/", HTTP_HOST="localhost").content.decode()
    )

    # A change saved here is seen at once.
    site = Site.objects.get(root_page__slug="xiangyang")
    host = site.hostname
    assert client.get("/", HTTP_HOST=host).status_code == 200
    theme = SiteThemeSettings.lookup(site)
    theme.sponsor = "向阳区人民政府办公室"
    theme.save()
    assert "向阳区人民政府办公室" in client.get("/", HTTP_HOST=host).content.decode()

    # A rolled-back one is never kept.
    with pytest.raises(RuntimeError), transaction.atomic():
        site.hostname = "renamed.localhost"
        site.save()
        # Inside the transaction its own change is what it reads…
        assert structure.site_for_hostname("renamed.localhost", 80).pk == site.pk
        raise RuntimeError("rolled back")
    # …and after the rollback, nobody keeps it.
    assert structure.site_for_hostname(host, 80).pk == site.pk
    assert structure.site_for_hostname("renamed.localhost", 80).pk != site.pk
    assert client.get("/", HTTP_HOST=host).status_code == 200


@pytest.mark.django_db
def test_a_new_view_restriction_takes_effect_at_the_next_request(client):
    assert client.get("/fgw/", HTTP_HOST="localhost").status_code == 200
    fgw = UnitPage.objects.get(slug="fgw")
    PageViewRestriction.objects.create(page=fgw, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/fgw/", HTTP_HOST="localhost")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_callers_get_instances_of_their_own():
    fgw = UnitPage.objects.get(slug="fgw")
    first, second = unit_for_page(fgw), unit_for_page(fgw)
    assert first == second and first is not second
    first.title = "changed by one caller"
    assert unit_for_page(fgw).title == fgw.title
    site = structure.site_for_hostname("localhost", 80)
    assert site.root_page is not structure.site_for_hostname("localhost", 80).root_page


@pytest.mark.django_db
def test_publishing_an_item_keeps_the_structure_publishing_a_unit_renews_it(client):
    from disclosure_pages.models import NewsPage
    from tests.factories import add_item

    before = structure.current_version()
    add_item(NewsPage, "fgw")
    assert structure.current_version() == before
    fgw = UnitPage.objects.get(slug="fgw")
    fgw.title = "鹤岗市发展改革委"
    fgw.save_revision().publish()
    assert structure.current_version() != before
    assert (
        "<h1>鹤岗市发展改革委</h1>" in client.get("/fgw/", HTTP_HOST="localhost").content.decode()
    )
