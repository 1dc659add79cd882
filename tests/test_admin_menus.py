"""Each role's admin menu holds only what opens for it (every entry answers 200), and the
pages of its daily work speak Chinese."""

import pytest

from tests.admin_helpers import ROLES, menu_entries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_entry_of_every_role_opens(client_for, user_named, role):
    username = ROLES[role]
    client = client_for(username)
    entries = menu_entries(user_named(username))
    assert entries
    refused = {}
    for label, url in entries:
        assert url.startswith("/admin/"), f"{label} leads outside the platform: {url}"
        response = client.get(url, follow=True)
        if response.status_code != 200:
            refused[label] = response.status_code
    assert not refused


def labels(username, user_named):
    return {label for label, _url in menu_entries(user_named(username))}


def test_site_wide_reports_are_the_web_teams_and_offices_get_their_own(user_named):
    web_team = labels("webteam", user_named)
    office = labels("gongkaiban", user_named)
    editor = labels("fgw-editor", user_named)
    assert {"报告 › 工作流", "报告 › 网站历史"} <= web_team
    assert not {"报告 › 工作流", "报告 › 网站历史", "报告 › 工作流任务"} & (office | editor)
    assert "报告 › 本单位审查流程" in office
    assert "报告 › 本单位审查流程" not in editor


def test_the_office_workflow_report_lists_only_its_own_units(client_for, user_named):
    from wagtail.models import WorkflowState

    from disclosure_pages.models import GeneralItemPage
    from tests.factories import add_item

    own = add_item(GeneralItemPage, "luobei-jyj", title="萝北县教育局工作动态", publish=False)
    other = add_item(GeneralItemPage, "czj", title="鹤岗市财政局工作动态", publish=False)
    for page, editor in ((own, "luobei-jyj-editor"), (other, "czj-editor")):
        page.get_workflow().start(page, user_named(editor))
    assert WorkflowState.objects.count() >= 2
    client = client_for("luobei-office")
    response = client.get("/admin/reports/my-units-workflows/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "萝北县教育局工作动态" in content
    assert "鹤岗市财政局工作动态" not in content
    refused = client_for("fgw-editor").get("/admin/reports/my-units-workflows/")
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's "no permission"


def test_help_leads_to_the_chinese_guide(client_for, user_named):
    entries = dict(menu_entries(user_named("fgw-editor")))
    assert entries["帮助 › 编辑指南"] == "/admin/guide/"
    response = client_for("fgw-editor").get("/admin/guide/")
    assert "信息采录人员" in response.content.decode()


# Wagtail renders these few in English whatever the catalogue says (labels computed when the
# module is imported, a Python value printed as is): known, listed, not hidden.
KNOWN = {
    "/admin/sites/": {"Port", "Site"},
    "/admin/reports/aging-pages/": {"None"},
    "/admin/users/": {"True"},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_each_role_uses_have_no_english_words(client_for, user_named, role):
    from tests.admin_helpers import english_words, visible_text

    username = ROLES[role]
    client = client_for(username)
    english = {}
    for label, url in [("仪表盘", "/admin/"), *menu_entries(user_named(username))]:
        response = client.get(url, follow=True)
        words = english_words(visible_text(response.content)) - KNOWN.get(url, set())
        if words:
            english[label] = sorted(words)
    assert not english


def test_no_avatar_is_loaded_from_an_outside_server(client_for):
    content = client_for("fgw-editor").get("/admin/").content.decode()
    assert "gravatar.com" not in content


def test_the_web_team_manages_themes_synonyms_and_users_without_being_superuser(
    client_for, user_named
):
    from django.contrib.auth import get_user_model

    web_team = user_named("webteam")
    assert not web_team.is_superuser
    client = client_for("webteam")
    assert client.get("/admin/settings/themes/sitethemesettings/", follow=True).status_code == 200
    assert client.get("/admin/snippets/search/synonym/").status_code == 200
    response = client.post(
        "/admin/snippets/search/synonym/add/",
        {"term": "公交卡", "expansions": "公共交通卡", "two_way": "on"},
    )
    assert response.status_code == 302
    assert client.get("/admin/users/").status_code == 200
    response = client.post(
        "/admin/users/new/",
        {
            "username": "new-editor",
            "email": "new-editor@example.gov.cn",
            "first_name": "王",
            "last_name": "新",
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "is_superuser": "on",
        },
    )
    created = get_user_model().objects.get(username="new-editor")
    assert not created.is_superuser  # only superusers make superusers
    # nothing else: the web team does not edit the calendar or the scoring schemes
    assert not web_team.has_perm("workdays.change_calendarday")
    assert client.get("/admin/supervision/schemes/").status_code in (302, 403)


def test_a_unit_created_this_year_owes_no_report_for_last_year():
    import datetime

    from annual_reports.deadlines import unpublished_reports
    from unit_sites.models import UnitPage

    unit = UnitPage.objects.get(slug="czj")
    created = unit.first_published_at.date()
    late_next_year = datetime.date(created.year + 1, 2, 15)
    assert [e["unit"].slug for e in unpublished_reports([unit.pk], today=late_next_year)] == [
        "czj"
    ]  # owed for the year it was created in
    assert unpublished_reports([unit.pk], today=datetime.date(created.year, 12, 30)) == []
