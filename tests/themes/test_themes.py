"""Themes as plugins: a folder or packaged theme changes one site only, a missing or broken
theme falls back to the default with a warning in the admin, visitors switch to the accessible
view, and the footer shows each site's filing numbers."""

import importlib.util
import re
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from themes import registry
from themes.checks import check_site_themes, check_themes
from themes.models import SiteThemeSettings
from themes.registry import get_theme, reload_themes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def fake_entry_points(*values):
    eps = [
        EntryPoint(name=f"ep{i}", value=v, group=registry.ENTRY_POINT_GROUP)
        for i, v in enumerate(values)
    ]

    def entry_points(group=None):
        return [ep for ep in eps if group is None or ep.group == group]

    return entry_points


@pytest.fixture
def installed(settings, monkeypatch):
    """The test themes: the folders of tests/themes/fixtures and a packaged theme registered
    through a fake `gongkai.themes` entry point (plus one entry point that fails to import)."""
    monkeypatch.setattr(
        registry,
        "entry_points",
        fake_entry_points("tests.themes.pkg_theme:theme", "tests.themes.no_such_module:theme"),
    )
    settings.GONGKAI_THEME_DIRS = [FIXTURES]  # reloads the registry (setting_changed)
    yield registry.get_themes()
    monkeypatch.undo()
    reload_themes()


def site(hostname):
    return Site.objects.get(hostname=hostname)


def choose(hostname, theme, **fields):
    settings_obj = SiteThemeSettings.lookup(site(hostname))
    settings_obj.theme = theme
    for name, value in fields.items():
        setattr(settings_obj, name, value)
    settings_obj.save()
    return settings_obj


def page(client, host, path="/", **extra):
    response = client.get(path, HTTP_HOST=host, **extra)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


def theme_of(html):
    return re.search(r'<html lang="zh-Hans" data-theme="([^"]+)"', html).group(1)


# --- discovery ---------------------------------------------------------------------------


def test_folder_and_packaged_themes_are_discovered_and_bad_ones_reported(installed):
    assert {
        "default",
        "accessible",
        "county-red",
        "broken-syntax",
        "pkg-theme",
        "no-metadata",
    } <= set(installed)
    county = installed["county-red"]
    assert county.label == "County red (test theme)"
    assert county.all_stylesheets() == ("themes/default/site.css", "themes/county-red/county.css")
    assert county.scripts == ("themes/county-red/county.js",)
    errors = dict(registry.get_registry().errors)
    assert any("no_such_module" in source for source in errors)  # the broken entry point
    assert any(source.endswith("bad-toml") for source in errors)  # the unreadable theme.toml
    assert "bad-toml" not in installed
    # Warnings of the system check: the entry point, the bad folder, the syntax error, the
    # page frame without the metadata tags.
    ids = [warning.id for warning in check_themes()]
    assert ids.count("themes.W001") == 2 and ids.count("themes.W002") == 2


def test_a_theme_static_files_are_found_under_its_namespace(installed):
    found = finders.find("themes/county-red/county.css")
    assert found and Path(found) == FIXTURES / "county-red" / "static" / "county.css"
    assert finders.find("themes/default/site.css")  # the base theme's stylesheet still found
    listed = {path for finder in finders.get_finders() for path, _s in finder.list([])}
    assert "county.js" in listed


# --- one site only -------------------------------------------------------------------------


def test_a_theme_changes_one_site_and_its_sections_only(installed, client):
    choose("xiangyang.localhost", "county-red")
    themed = page(client, "xiangyang.localhost")
    assert theme_of(themed) == "county-red"
    assert "County red footer for 向阳区人民政府" in themed
    assert "/static/themes/county-red/county.css" in themed
    assert "/static/themes/county-red/county.js" in themed
    assert "/static/themes/default/site.css" in themed  # falls back to the base for the rest
    assert 'class="site-name" href="/">向阳区人民政府' in themed  # header not overridden
    # A section of that site (a unit without its own Site) is served in its theme.
    assert "County red footer" in page(client, "xiangyang.localhost", "/xiangyang-mzj/")
    assert "County red footer" in page(client, "xiangyang.localhost", "/xiangyang-mzj/gkml/")
    # Other sites are unchanged.
    for host in ("suibin.localhost", "localhost"):
        other = page(client, host)
        assert theme_of(other) == "default"
        assert "County red" not in other and "county.css" not in other
    assert "County red" not in page(client, "localhost", "/fgw/")


def test_a_switch_takes_effect_at_once(installed, client):
    assert theme_of(page(client, "xiangyang.localhost")) == "default"
    setting = choose("xiangyang.localhost", "pkg-theme")
    html = page(client, "xiangyang.localhost")
    assert theme_of(html) == "pkg-theme" and "Packaged theme home" in html
    # The packaged override extends the base template of the same name.
    assert "向阳区人民政府" in html and 'id="catalogue-heading"' in html
    setting.theme = "default"
    setting.save()
    assert "Packaged theme home" not in page(client, "xiangyang.localhost")


def test_the_admin_is_never_themed(installed, client_for):
    choose("localhost", "county-red")
    admin = client_for("admin")
    response = admin.get(reverse("wagtailadmin_home"), HTTP_HOST="localhost", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "county.css" not in html and "County red" not in html


# --- missing and broken themes -----------------------------------------------------------------


def admin_home(client_for):
    response = client_for("admin").get(
        reverse("wagtailadmin_home"), HTTP_HOST="localhost", follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_missing_theme_falls_back_to_the_default_and_warns(installed, client_for, client):
    choose("suibin.localhost", "uninstalled-theme")
    html = page(client, "suibin.localhost")
    assert theme_of(html) == "default" and "绥滨县人民政府" in html
    warning = admin_home(client_for)
    assert "theme-warnings" in warning and "uninstalled-theme" in warning
    warnings = check_site_themes(databases=["default"])
    assert [w.id for w in warnings] == ["themes.W003"] and "suibin" in warnings[0].msg
    assert check_site_themes(databases=None) == []  # only with `check --database`
    # The settings page says so too, and keeps the missing choice visible.
    url = reverse(
        "wagtailsettings:edit",
        args=("themes", "sitethemesettings", site("suibin.localhost").pk),
    )
    edit = client_for("admin").get(url, HTTP_HOST="localhost", follow=True)
    body = edit.content.decode()
    assert edit.status_code == 200
    assert 'role="alert"' in body and "uninstalled-theme" in body
    assert 'value="county-red"' in body and 'value="accessible"' in body


def test_no_warning_when_every_theme_is_fine(client_for):
    assert "theme-warnings" not in admin_home(client_for)


def test_an_override_with_a_syntax_error_falls_back_to_the_base_template(
    installed, client_for, client
):
    choose("xiangyang.localhost", "broken-syntax", website_code="2304020001")
    html = page(client, "xiangyang.localhost")
    assert "never shown" not in html and "broken-footer" not in html
    assert "2304020001" in html  # the base footer, with the site's numbers
    assert theme_of(html) == "broken-syntax"  # the rest of the theme still applies
    warning = admin_home(client_for)
    assert "broken-syntax" in warning and "site_footer.html" in warning


def test_a_page_frame_without_the_metadata_tags_is_not_used(installed, client_for, client):
    choose("xiangyang.localhost", "no-metadata", website_code="2304020001")
    html = page(client, "xiangyang.localhost")
    assert "no-metadata-frame" not in html  # the theme's frame is replaced by the base one
    assert '<meta name="SiteIDCode" content="2304020001">' in html
    assert theme_of(html) == "no-metadata"
    assert "no-metadata" in admin_home(client_for)


def test_a_theme_failing_while_rendering_falls_back_to_the_default_theme(
    installed, client_for, client
):
    choose("xiangyang.localhost", "broken-render")
    html = page(client, "xiangyang.localhost")
    assert theme_of(html) == "default" and "向阳区人民政府" in html
    assert "broken-render-footer" not in html
    warning = admin_home(client_for)
    assert "broken-render" in warning and "no_such_template" in warning
    assert "向阳区人民政府" in page(client, "xiangyang.localhost", "/xiangyang-mzj/")


# --- the visitor's switch -----------------------------------------------------------------------


def test_visitors_switch_to_the_accessible_view_and_back_without_javascript(installed, client):
    choose("xiangyang.localhost", "county-red")
    standard = page(client, "xiangyang.localhost", "/xiangyang-mzj/")
    link = re.search(r'<a class="view-switch" href="([^"]+)"', standard).group(1)
    assert link == "/xiangyang-mzj/?view=accessible"
    accessible = page(client, "xiangyang.localhost", link)
    assert theme_of(accessible) == "accessible"
    assert "/static/themes/accessible/site.css" in accessible
    assert client.cookies["gongkai_view"].value == "accessible"
    # Remembered on the next pages, on any site, until switched back.
    assert theme_of(page(client, "xiangyang.localhost")) == "accessible"
    assert theme_of(page(client, "localhost", "/search/?q=教育")) == "accessible"
    back = re.search(r'<a class="view-switch" href="([^"]+)"', accessible).group(1)
    assert "view=standard" in back
    assert theme_of(page(client, "xiangyang.localhost", back)) == "county-red"
    assert theme_of(page(client, "localhost")) == "default"


def test_the_view_switch_keeps_the_query_and_responses_do_not_vary_on_cookies(client):
    response = client.get("/search/?q=教育", HTTP_HOST="localhost")
    html = response.content.decode()
    link = re.search(r'<a class="view-switch" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/search/?") and "q=" in link and "view=accessible" in link
    # Variants are kept apart by the page cache's key and nginx's bypass, not by Vary.
    assert "Cookie" not in response.get("Vary", "")


def test_a_site_whose_theme_is_accessible_can_still_be_viewed_standard(client):
    choose("suibin.localhost", "accessible")
    assert theme_of(page(client, "suibin.localhost")) == "accessible"
    assert theme_of(page(client, "suibin.localhost", "/?view=standard")) == "default"
    assert theme_of(page(client, "suibin.localhost")) == "default"  # remembered


# --- the footer ----------------------------------------------------------------------------------


def test_the_footer_shows_the_site_numbers_and_the_government_mark(client):
    choose(
        "luobei.localhost",
        "default",
        website_code="2304220001",
        icp_number="黑ICP备05001234号-1",
        police_number="黑公网安备 23042202000123号",
        sponsor="萝北县人民政府办公室",
        operator="萝北县政务服务中心",
        government_mark_url="https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF",
    )
    html = page(client, "luobei.localhost")
    footer = html[html.index('<footer class="site-footer"') :]
    assert "2304220001" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">黑ICP备05001234号-1</a>' in footer
    assert "code=23042202000123" in footer and "黑公网安备 23042202000123号" in footer
    assert "萝北县人民政府办公室" in footer and "萝北县政务服务中心" in footer
    assert (
        'class="gov-mark" href="https://bszs.conac.cn/sitename?method=show&amp;id=0123456789ABCDEF0123456789ABCDEF"'
        in footer
    )
    # Another site shows none of them.
    other = page(client, "suibin.localhost")
    assert "2304220001" not in other and "黑ICP备05001234号" not in other
    # The mark can be turned off.
    choose("luobei.localhost", "default", show_government_mark=False)
    assert "gov-mark" not in page(client, "luobei.localhost")


def test_the_government_mark_links_only_to_its_verification_page():
    from django.core.exceptions import ValidationError

    setting = SiteThemeSettings(
        site=site("luobei.localhost"), government_mark_url="https://example.org/mark/luobei"
    )
    with pytest.raises(ValidationError) as error:
        setting.full_clean()
    assert "bszs.conac.cn" in " ".join(error.value.message_dict["government_mark_url"])
    setting.government_mark_url = (
        "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF"
    )
    setting.full_clean()


def test_a_wrong_website_code_is_refused():
    from django.core.exceptions import ValidationError

    setting = SiteThemeSettings(site=site("luobei.localhost"), website_code="12-34")
    with pytest.raises(ValidationError) as error:
        setting.full_clean()
    assert "website_code" in error.value.message_dict


# --- scaffolding ------------------------------------------------------------------------------


def test_starttheme_creates_a_working_theme(tmp_path, settings, client):
    call_command("starttheme", "hegang-blue", directory=str(tmp_path), verbosity=0)
    project = tmp_path / "hegang-blue"
    package = project / "gongkai_theme_hegang_blue"
    for path in (
        project / "pyproject.toml",
        project / "README.md",
        project / "tests" / "test_hegang_blue_theme.py",
        package / "__init__.py",
        package / "theme.toml",
        package / "templates" / "themes" / "includes" / "site_footer.html",
        package / "static" / "theme.css",
    ):
        assert path.is_file(), path
    pyproject = (project / "pyproject.toml").read_text()
    assert '[project.entry-points."gongkai.themes"]' in pyproject
    assert 'hegang-blue = "gongkai_theme_hegang_blue:theme"' in pyproject
    with pytest.raises(Exception, match="已存在"):
        call_command("starttheme", "hegang-blue", directory=str(tmp_path), verbosity=0)

    # Dropped into a theme folder as it is, the project is found and its footer is used.
    settings.GONGKAI_THEME_DIRS = [tmp_path]
    theme = get_theme("hegang-blue")
    assert theme is not None and theme.template_dir == package / "templates"
    choose("xingan.localhost", "hegang-blue")
    html = page(client, "xingan.localhost")
    assert 'class="theme-footer"' in html and "/static/themes/hegang-blue/theme.css" in html
    assert "兴安区人民政府" in html

    # Its own tests pass against this project.
    spec = importlib.util.spec_from_file_location(
        "generated_theme_tests", project / "tests" / "test_hegang_blue_theme.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [getattr(module, name) for name in dir(module) if name.startswith("test_")]
    assert len(tests) >= 2
    for test in tests:
        test()


@pytest.mark.parametrize("name", ["Bad Name", "default", "1abc"])
def test_starttheme_refuses_bad_names(tmp_path, name):
    with pytest.raises(Exception):  # noqa: B017 - CommandError with a readable message
        call_command("starttheme", name, directory=str(tmp_path), verbosity=0)
    assert not any(tmp_path.iterdir())


def test_checks_run_clean_on_the_shipped_themes():
    assert [m for m in run_checks(tags=["themes"]) if m.id.startswith("themes.")] == []
