"""The interface speaks Simplified Chinese: a complete catalogue that actually reaches people.

The UI strings are English in the code (gettext); `cms/locale/zh_Hans/LC_MESSAGES/django.po` holds
their translations and `make messages` compiles it into the .mo that Django loads.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from unit_sites.models import UnitPage
from unit_sites.permissions import WEB_TEAM_GROUP_NAME, ensure_web_team_group
from unit_sites.provisioning import ProvisioningError, UnitSpec, provision_unit
from unit_sites.validators import make_credit_code

LOCALE_DIR = settings.BASE_DIR / "cms" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgstr: str = ""
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    plural: bool = False


def parse_po(text):
    """A small .po reader: enough for Django's catalogues (msgctxt, no previous msgids)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, current = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):  # obsolete entry (makemessages --no-obsolete drops them)
                current = None
            elif line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural "):
                entry.plural, current = True, None
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgstr[0] ")):
                keyword, literal = line.split(" ", 1)
                current = keyword if keyword in ("msgctxt", "msgid") else "msgstr"
                setattr(entry, current, ast.literal_eval(literal))
            elif line.startswith('"') and current:
                setattr(entry, current, getattr(entry, current) + ast.literal_eval(line))
        if entry.references or entry.msgid or entry.msgstr:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    header = [entry for entry in entries if entry.msgid == ""]
    messages = [entry for entry in entries if entry.msgid != ""]
    assert len(header) == 1
    assert len(messages) > 50  # the parser really found the catalogue
    return header[0], messages


def where(entry):
    context = f"[{entry.msgctxt}] " if entry.msgctxt is not None else ""
    return f"{context}{entry.msgid!r} ({', '.join(entry.references[:2])})"


def compiled_text(compiled, entry):
    if entry.msgctxt is not None:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


def test_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    header, messages = catalogue
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans" in header.msgstr
    fuzzy = [where(entry) for entry in messages if "fuzzy" in entry.flags]
    untranslated = [where(entry) for entry in messages if not entry.msgstr.strip()]
    not_chinese = [
        where(entry) for entry in messages if entry.msgstr and not CJK.search(entry.msgstr)
    ]
    assert fuzzy == [], "fuzzy entries (review, then drop the flag)"
    assert untranslated == [], "untranslated entries (run `make makemessages`, then translate)"
    assert not_chinese == [], "translations without any Chinese text"


def test_translations_keep_every_placeholder(catalogue):
    _, messages = catalogue
    wrong = [
        where(entry)
        for entry in messages
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
    ]
    assert wrong == []


def test_quoted_names_keep_chinese_quotation_marks(catalogue):
    _, messages = catalogue
    wrong = [
        where(entry)
        for entry in messages
        # as many as the source at least (Wagtail's own strings quote with ' or ", which
        # become “” in Chinese), and in pairs
        if entry.msgid.count("“") > entry.msgstr.count("“")
        or entry.msgid.count("”") > entry.msgstr.count("”")
        or entry.msgstr.count("“") != entry.msgstr.count("”")
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """Django serves the .mo (build output): a stale one would hide new translations."""
    assert MO_FILE.exists(), "no compiled catalogue: run `make messages`"
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    _, messages = catalogue
    stale = [where(entry) for entry in messages if compiled_text(compiled, entry) != entry.msgstr]
    assert stale == [], "the .mo is out of date: run `make messages`"


GOOD_CODE = make_credit_code("11230400888888880")
BAD_CODE = GOOD_CODE[:17] + ("1" if GOOD_CODE[17] == "0" else "0")  # wrong check character


def bad_spec(**overrides):
    values = {
        "slug": "i18n-test-unit",
        "name": "鹤岗市测试局",
        "kind": "department",
        "org_code": BAD_CODE,
        "parent_slug": "hegang",
        "password": "a-long-test-password",
    }
    values.update(overrides)
    return UnitSpec(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("org_code", "reason"),
    [
        (BAD_CODE, "统一社会信用代码校验位错误，请核对后重新填写。"),
        ("123", "统一社会信用代码应为18位。"),
        ("91350100M000100I43", "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"),
    ],
)
def test_provisioning_errors_reach_editors_in_chinese(org_code, reason):
    with pytest.raises(ProvisioningError) as excinfo:
        provision_unit(bad_spec(org_code=org_code))
    message = str(excinfo.value)
    assert message == f"统一社会信用代码“{org_code}”无效：{reason}"
    assert "organisation code" not in message.lower()


@pytest.mark.django_db
def test_other_provisioning_refusals_are_chinese_too():
    with pytest.raises(ProvisioningError) as excinfo:
        provision_unit(bad_spec(org_code=GOOD_CODE, parent_slug="nowhere"))
    assert str(excinfo.value) == "上级单位“nowhere”不存在，请核对。"


@pytest.mark.django_db
def test_admin_provision_form_shows_the_error_in_chinese(client):
    ensure_web_team_group()
    user = get_user_model().objects.create_user("i18n-web-team", password="x")
    user.groups.add(Group.objects.get(name=WEB_TEAM_GROUP_NAME))
    client.force_login(user)
    response = client.post(
        reverse("unit_sites_provision"),
        {
            "name": "鹤岗市测试局",
            "slug": "i18n-test-unit",
            "kind": "department",
            "org_code": BAD_CODE,
            "parent": UnitPage.objects.get(slug="hegang").pk,
            "port": 80,
        },
        headers={"host": "localhost"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"统一社会信用代码“{BAD_CODE}”无效：统一社会信用代码校验位错误" in html
    assert "开通单位" in html  # the page title
    assert not UnitPage.objects.filter(slug="i18n-test-unit").exists()


@pytest.mark.django_db
def test_public_page_renders_chinese_ui_strings(client):
    response = client.get("/", headers={"host": "localhost"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("跳到主要内容", "政府信息公开", "站内搜索", "政务公开目录", "联系与监督"):
        assert text in html
    for english in ("Skip to content", "Government information disclosure", "Search this site"):
        assert english not in html
