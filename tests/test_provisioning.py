import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage
from unit_sites import provisioning
from unit_sites.models import UnitGroup, UnitPage, UnitRole
from unit_sites.provisioning import ProvisioningError, UnitSpec, provision_unit
from unit_sites.validators import make_credit_code

pytestmark = pytest.mark.django_db


def spec(**overrides):
    values = {
        "slug": "tjj",
        "name": "鹤岗市统计局",
        "kind": "department",
        "org_code": make_credit_code("11230400777777770"),
        "parent_slug": "hegang",
        "password": "a-long-test-password",
    }
    values.update(overrides)
    return UnitSpec(**values)


def counts():
    return {
        "pages": Page.objects.count(),
        "groups": Group.objects.count(),
        "users": User.objects.count(),
        "collections": Collection.objects.count(),
        "sites": Site.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
    }


def test_provisioning_a_section_creates_everything_in_one_step():
    result = provision_unit(spec())
    unit = result.unit
    assert result.created
    assert unit.live and unit.get_parent().slug == "hegang"
    assert not Site.objects.filter(root_page=unit).exists()
    assert unit.get_full_url() == "http://localhost/tjj/"

    catalogue = CatalogueIndexPage.objects.child_of(unit).get()
    assert catalogue.live and catalogue.slug == "gkml"
    assert list(CatalogueClassPage.objects.child_of(catalogue).values_list("title", flat=True)) == [
        "政府职能",
        "行政权力",
        "行政执法",
        "政策法规",
        "办事指南",
        "表格下载",
        "工作动态",
        "问题解答",
    ]

    roles = set(UnitGroup.objects.filter(unit=unit).values_list("role", flat=True))
    assert roles == {
        UnitRole.EDITOR,
        UnitRole.REVIEWER,
        UnitRole.SECRECY,
    }  # no office: a department
    assert set(result.accounts) == {"tjj-editor", "tjj-reviewer", "tjj-secrecy"}
    editor = User.objects.get(username="tjj-editor")
    assert editor.check_password("a-long-test-password")
    assert editor.has_perm("wagtailadmin.access_admin")

    # Staff work in the unit's workspaces (its catalogue, and the citizen-service pages that
    # citizen_services adds), not on the unit page (which would cover sub-units).
    editors = UnitGroup.objects.get(unit=unit, role=UnitRole.EDITOR).group
    workspaces = unit.get_children().values_list("pk", flat=True)
    assert catalogue.pk in workspaces
    assert set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "page_id", "permission__codename"
        )
    ) == {(pk, codename) for pk in workspaces for codename in ("add_page", "change_page")}
    assert not GroupPagePermission.objects.filter(
        group__in=unit.role_groups.values("group"), page=unit
    ).exists()

    assert unit.collection is not None
    assert GroupCollectionPermission.objects.filter(
        group=editors, collection=unit.collection, permission__codename="add_document"
    ).exists()
    # The city office oversees the new department's documents.
    city_office = UnitGroup.objects.get(unit__slug="hegang", role=UnitRole.OFFICE).group
    assert GroupCollectionPermission.objects.filter(
        group=city_office, collection=unit.collection
    ).exists()


def test_provisioning_a_county_creates_its_subsite_and_office():
    result = provision_unit(
        spec(slug="newcounty", name="新县人民政府", kind="county", hostname="newcounty.localhost")
    )
    site = Site.objects.get(root_page=result.unit)
    assert (site.hostname, site.port, site.is_default_site) == ("newcounty.localhost", 80, False)
    assert "newcounty-office" in result.accounts
    office = UnitGroup.objects.get(unit=result.unit, role=UnitRole.OFFICE).group
    assert GroupPagePermission.objects.filter(
        group=office, page=result.unit, permission__codename="change_page"
    ).exists()


def test_running_again_for_the_same_slug_changes_nothing_and_says_so():
    provision_unit(spec())
    before = counts()
    again = provision_unit(spec(name="另一个名字", password="other-password-123"))
    assert not again.created
    assert "已存在" in again.message or "already exists" in again.message
    assert counts() == before
    assert UnitPage.objects.get(slug="tjj").title == "鹤岗市统计局"


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"parent_slug": "nowhere"}, "nowhere"),
        ({"org_code": "11230400777777770X"}, "11230400777777770X"),
        ({"slug": "Bad Slug"}, "Bad Slug"),
        ({"kind": "planet"}, "planet"),
        ({"hostname": "xiangyang.localhost"}, "xiangyang.localhost"),
        ({"slug": "gkml"}, "gkml"),  # the portal's catalogue already has this address
        ({"org_code": None}, "org_code_of_fgw"),
    ],
)
def test_bad_input_is_refused_clearly_and_leaves_nothing(overrides, fragment):
    if overrides.get("org_code", "") is None:
        overrides["org_code"] = UnitPage.objects.get(slug="fgw").org_code
        fragment = overrides["org_code"]
    before = counts()
    with pytest.raises(ProvisioningError) as excinfo:
        provision_unit(spec(**overrides))
    assert fragment in str(excinfo.value)
    assert counts() == before


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    def broken_provisioner(unit, spec):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        provisioning, "_provisioners", [*provisioning._provisioners, broken_provisioner]
    )
    before = counts()
    with pytest.raises(RuntimeError):
        provision_unit(spec())
    assert counts() == before
    assert not UnitPage.objects.filter(slug="tjj").exists()


def test_command_provisions_and_reports_accounts(capsys):
    call_command(
        "provision_unit",
        "tjj",
        "--name=鹤岗市统计局",
        "--kind=department",
        f"--org-code={make_credit_code('11230400777777770')}",
        "--parent=hegang",
        "--password=a-long-test-password",
    )
    out = capsys.readouterr().out
    assert "tjj-editor" in out and "a-long-test-password" in out
    assert UnitPage.objects.filter(slug="tjj").exists()


def test_command_refuses_bad_input_with_an_error():
    with pytest.raises(CommandError, match="nowhere"):
        call_command(
            "provision_unit",
            "tjj",
            "--name=鹤岗市统计局",
            "--kind=department",
            f"--org-code={make_credit_code('11230400777777770')}",
            "--parent=nowhere",
        )


def test_web_team_provisions_through_the_admin_form(client_for):
    client = client_for("admin")
    url = "/admin/units/provision/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "鹤岗市统计局",
            "slug": "tjj",
            "kind": "department",
            "org_code": make_credit_code("11230400777777770"),
            "parent": UnitPage.objects.get(slug="hegang").pk,
            "port": 80,
        },
    )
    assert response.status_code == 200
    assert "tjj-editor" in response.content.decode()
    assert UnitPage.objects.filter(slug="tjj").exists()


def test_admin_form_shows_refusals_and_keeps_input(client_for):
    client = client_for("admin")
    response = client.post(
        "/admin/units/provision/",
        {
            "name": "鹤岗市统计局",
            "slug": "tjj",
            "kind": "department",
            "org_code": make_credit_code("11230400777777770"),
            "parent": UnitPage.objects.get(slug="hegang").pk,
            "hostname": "jyj.localhost",  # taken by the education bureau
            "port": 80,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "jyj.localhost" in body and "鹤岗市统计局" in body
    assert not UnitPage.objects.filter(slug="tjj").exists()


@pytest.mark.parametrize("username", ["fgw-editor", "fgw-reviewer", "gongkaiban", "luobei-office"])
def test_only_the_web_team_may_provision(client_for, username):
    assert client_for(username).get("/admin/units/provision/").status_code in (302, 403)


def test_the_web_team_account_may_provision(client_for):
    assert client_for("webteam").get("/admin/units/provision/").status_code == 200


def test_sync_units_adds_what_newer_apps_provision(monkeypatch):
    unit = UnitPage.objects.get(slug="czj")
    added = []

    def newer_app_part(unit, spec):
        if not unit.get_children().filter(slug="newer").exists():
            added.append(unit.slug)
            unit.add_child(instance=Page(title="新栏目", slug="newer"))

    monkeypatch.setattr(
        provisioning, "_provisioners", [*provisioning._provisioners, newer_app_part]
    )
    before = counts()
    call_command("sync_units")
    call_command("sync_units")  # idempotent
    assert added.count("czj") == 1
    assert Page.objects.count() == before["pages"] + UnitPage.objects.count()
    newer = unit.get_children().get(slug="newer")
    editors = UnitGroup.objects.get(unit=unit, role=UnitRole.EDITOR).group
    assert GroupPagePermission.objects.filter(group=editors, page=newer).exists()
