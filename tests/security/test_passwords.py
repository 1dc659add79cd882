"""Admin passwords: at least 12 characters, 3 of 4 kinds, not common, not all digits, not like
the account's name, wherever a password is set in the Wagtail admin."""

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
        ("alllowercaseletters", "password_too_simple"),
        ("lowercase123456", "password_too_simple"),  # two kinds only
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


def test_chinese_characters_count_as_no_kind():
    assert "password_too_simple" in codes("政务公开政务公开政务公开12")


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
