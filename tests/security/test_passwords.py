"""Admin passwords: at least 12 characters, hard to guess by zxcvbn's estimate, not common, not
all digits, not like the account's name, wherever a password is set in the Wagtail admin."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.test_demo import demo_usernames

pytestmark = pytest.mark.django_db

STRONG = "Xk7-qLp2-Rw9z"


def codes(password, user=None):
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1-short", "password_too_short"),
        # Character-class rules passed these; an attacker's first guesses do not.
        ("P@ssw0rd1234", "password_too_guessable"),
        ("Qwerty!234567", "password_too_guessable"),
        ("lowercase123456", "password_too_guessable"),
        ("Admin@123456", "password_too_guessable"),
        ("Gongkai@2026", "password_too_guessable"),
        ("123456789012345", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(password, expected):
    assert expected in codes(password)


def test_a_password_like_the_user_name_is_refused():
    user = get_user_model()(username="zhangwei-editor", first_name="Zhangwei")
    assert "password_too_similar" in codes("Zhangwei-Editor1", user)


def test_a_strong_password_passes():
    assert codes(STRONG) == set()


def test_a_repeated_chinese_phrase_is_too_guessable():
    assert "password_too_guessable" in codes("政务公开政务公开政务公开12")


def test_the_accounts_own_names_make_a_password_guessable():
    user = get_user_model()(username="liuyang", first_name="刘洋", email="liuyang@hegang.gov.cn")
    assert "password_too_guessable" in codes("Liuyang@2026!", user)


def test_a_long_passphrase_without_symbols_passes():
    assert codes("river lantern copper autumn") == set()


def test_the_refusal_is_explained_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            validate_password("P@ssw0rd1234")
    assert any("容易猜" in message for message in excinfo.value.messages)


def test_every_demo_account_password_meets_the_policy(user_named):
    for username in sorted(demo_usernames()):
        assert codes(settings.GONGKAI_DEMO_PASSWORD, user_named(username)) == set(), username


def test_the_admin_user_forms_apply_the_policy(client_for):
    admin = client_for("admin")
    data = {
        "username": "newclerk",
        "email": "newclerk@example.gov.cn",
        "first_name": "新",
        "last_name": "职员",
        "password1": "short1A-",
        "password2": "short1A-",
    }
    response = admin.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="newclerk").exists()
    errors = response.context["form"].errors.as_data()
    assert "password_too_short" in {e.code for errs in errors.values() for e in errs}

    response = admin.post(
        reverse("wagtailusers_users:add"), {**data, "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 302
    clerk = get_user_model().objects.get(username="newclerk")

    response = admin.post(
        reverse("wagtailusers_users:edit", args=[clerk.pk]),
        {
            **data,
            "password1": "newclerknewclerk",
            "password2": "newclerknewclerk",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(STRONG)


def test_changing_ones_own_password_applies_the_policy(client_for, user_named):
    from wagtail.admin.forms.auth import PasswordChangeForm

    editor = client_for("fgw-editor")
    response = editor.post(
        reverse("wagtailadmin_account"),
        {
            "password-old_password": settings.GONGKAI_DEMO_PASSWORD,
            "password-new_password1": "aaaaaaaaaaaaaa",
            "password-new_password2": "aaaaaaaaaaaaaa",
        },
    )
    assert response.status_code == 200  # the account page again, with the error
    assert user_named("fgw-editor").check_password(settings.GONGKAI_DEMO_PASSWORD)
    password_form = next(
        panel.get_form()
        for panels in response.context["panels_by_tab"].values()
        for panel in panels
        if panel.name == "password"
    )
    assert "new_password2" in password_form.errors

    form = PasswordChangeForm(
        user_named("fgw-editor"),
        {
            "old_password": settings.GONGKAI_DEMO_PASSWORD,
            "new_password1": STRONG,
            "new_password2": STRONG,
        },
    )
    assert form.is_valid(), form.errors


def test_a_provisioned_account_without_family_name_changes_its_password(client_for, user_named):
    """Provisioned accounts carry one name and no family name: the account page, which saves
    every panel at once, must not refuse the password change for the missing family name."""
    user = user_named("fgw-editor")
    assert user.first_name and not user.last_name
    editor = client_for("fgw-editor")
    page = editor.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200
    data = {}  # every panel as the browser submits it, unchanged
    for panels in page.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name, bound in form.fields.items():
                value = form.get_initial_for_field(bound, name)
                if value not in (None, "") and not isinstance(value, bool):
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    response = editor.post(
        reverse("wagtailadmin_account"),
        {
            **data,
            "name_email-first_name": user.first_name,
            "name_email-last_name": "",
            "password-old_password": settings.GONGKAI_DEMO_PASSWORD,
            "password-new_password1": STRONG,
            "password-new_password2": STRONG,
        },
    )
    assert response.status_code == 302, response.context and [
        panel.get_form().errors
        for panels in response.context["panels_by_tab"].values()
        for panel in panels
    ]
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user.first_name and not user.last_name
