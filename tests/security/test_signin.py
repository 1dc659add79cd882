"""Signing in: lockouts per account and per address, sessions that end, the audit log."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
)

from security import lockout

pytestmark = pytest.mark.django_db

PASSWORD = settings.GONGKAI_DEMO_PASSWORD
LOGIN = "/admin/login/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        HTTP_HOST="localhost",
        REMOTE_ADDR=ip,
    )


def entries(action, **filters):
    return ModelLogEntry.objects.filter(action=action, **filters)


def test_five_failures_lock_the_account_and_say_so(client, user_named):
    for _ in range(5):
        assert attempt(client, "fgw-editor", "wrong-password").status_code == 200
    # The right password is now refused too, with the reason, from any address.
    response = attempt(client, "fgw-editor", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any(lockout.Lock("user", time.time() + 900).message in e for e in errors)
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    assert attempt(Client(), "jyj-editor", PASSWORD).status_code == 302
    user = user_named("fgw-editor")
    assert entries("security.login_failed", object_id=str(user.pk)).count() == 5
    assert entries("security.lockout", object_id=str(user.pk)).count() == 1


def test_the_lock_ends_after_its_time(client, settings):
    settings.GONGKAI_LOGIN_LOCKOUT = {"USER_FAILURES": 2, "LOCK": 900, "WINDOW": 900}
    for _ in range(2):
        attempt(client, "fgw-editor", "wrong-password")
    assert attempt(client, "fgw-editor", PASSWORD).status_code == 200
    later = time.time() + 901
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lockout.time, "time", lambda: later)
        assert lockout.current_lock("fgw-editor", "10.0.0.1") is None


def test_a_successful_login_resets_the_account_counter(client):
    for _ in range(4):
        attempt(client, "fgw-editor", "wrong-password")
    assert attempt(client, "fgw-editor", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        attempt(other, "fgw-editor", "wrong-password")
    assert attempt(other, "fgw-editor", PASSWORD).status_code == 302  # 4 + 4 never made 5


def test_twenty_failures_from_one_address_block_it(client):
    for number in range(20):
        attempt(client, f"nobody-{number}", "wrong-password", ip="10.6.6.6")
    response = attempt(client, "fgw-editor", PASSWORD, ip="10.6.6.6")
    assert response.status_code == 200
    assert "locked_ip" in {e.code for e in response.context["form"].non_field_errors().as_data()}
    assert attempt(Client(), "fgw-editor", PASSWORD, ip="10.7.7.7").status_code == 302
    # Unknown names are logged by the name tried.
    assert entries("security.login_failed", label="nobody-3").exists()
    assert entries("security.lockout", data__scope="ip").count() == 1


def test_login_and_logout_are_logged(client, user_named):
    assert attempt(client, "fgw-editor", PASSWORD, ip="10.1.2.3").status_code == 302
    user = user_named("fgw-editor")
    login = entries("security.login", object_id=str(user.pk)).get()
    assert login.user == user and login.data["ip"] == "10.1.2.3"
    client.post(reverse("wagtailadmin_logout"), HTTP_HOST="localhost")
    assert entries("security.logout", object_id=str(user.pk)).exists()


def test_the_log_shows_in_site_history_with_labels(client_for):
    Client().post(LOGIN, {"username": "fgw-editor", "password": "nope"}, HTTP_HOST="localhost")
    response = client_for("admin").get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    shown = [
        entry for entry in response.context["object_list"] if entry.action.startswith("security.")
    ]
    assert "security.login_failed" in {entry.action for entry in shown}
    from security.audit import ACTIONS

    assert str(ACTIONS["security.login_failed"]) in response.content.decode()


# Sessions ------------------------------------------------------------------------------------


def test_sessions_end_when_idle(client, user_named):
    assert attempt(client, "fgw-editor", PASSWORD).status_code == 302
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200
    session = client.session
    session["security_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/admin/pages/", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "_auth_user_id" not in client.session
    logout = entries("security.logout", object_id=str(user_named("fgw-editor").pk)).get()
    assert logout.data["reason"] == "expired"


def test_activity_keeps_a_session_alive(client):
    attempt(client, "fgw-editor", PASSWORD)
    session = client.session
    session["security_last_seen"] = time.time() - 29 * 60
    session.save()
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200
    assert time.time() - client.session["security_last_seen"] < 5


def test_sessions_end_after_eight_hours_whatever_the_activity(client):
    attempt(client, "fgw-editor", PASSWORD)
    session = client.session
    session["security_login_at"] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 302
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


# Permission changes --------------------------------------------------------------------------


def test_group_changes_of_a_user_are_logged_with_who_did_it(client_for, user_named):
    admin = client_for("admin")
    clerk = user_named("jyj-editor")
    reviewers = Group.objects.get(unit_role__unit__slug="fgw", unit_role__role="reviewer")
    before = list(clerk.groups.values_list("pk", flat=True))
    response = admin.post(
        reverse("wagtailusers_users:edit", args=[clerk.pk]),
        {
            "username": clerk.username,
            "email": clerk.email,
            "first_name": clerk.first_name or "王",
            "last_name": clerk.last_name or "五",
            "password1": "",
            "password2": "",
            "is_active": "on",
            "groups": [*before, reviewers.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    entry = entries(
        "security.groups_changed", object_id=str(clerk.pk), user=user_named("admin")
    ).get()
    assert entry.data == {"added": [reviewers.name]}


def test_group_and_object_permission_changes_are_logged():
    group = Group.objects.create(name="临时组")
    page_perm = GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(slug="fgw"),
        permission=GroupPagePermission._meta.get_field("permission").related_model.objects.get(
            codename="publish_page"
        ),
    )
    collection_perm = GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=GroupCollectionPermission._meta.get_field(
            "permission"
        ).related_model.objects.get(codename="add_document"),
    )
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="access_admin"))
    page_perm.delete()
    collection_perm.delete()
    group.permissions.clear()
    logged = list(
        entries("security.page_permission_added", object_id=str(group.pk)).values_list(
            "data", flat=True
        )
    )
    assert logged[0]["permission"] == "publish_page"
    for action in (
        "security.page_permission_removed",
        "security.collection_permission_added",
        "security.collection_permission_removed",
    ):
        assert entries(action, object_id=str(group.pk)).count() == 1, action
    changes = [
        e.data
        for e in entries("security.group_permissions_changed", object_id=str(group.pk)).order_by(
            "pk"
        )
    ]
    assert changes == [{"added": ["access_admin"]}, {"removed": ["access_admin"]}]


def test_deactivation_is_logged_and_deactivated_staff_cannot_sign_in(client_for, user_named):
    admin = client_for("admin")
    clerk = user_named("jyj-editor")
    url = reverse("security_deactivate_user", args=[clerk.pk])
    assert url in admin.get(reverse("wagtailusers_users:index") + "?q=jyj-editor").content.decode()
    assert admin.get(url).status_code == 200  # asks first
    assert admin.post(url).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert entries("security.user_deactivated", object_id=str(clerk.pk)).get().user == (
        user_named("admin")
    )
    assert attempt(Client(), "jyj-editor", PASSWORD).status_code == 200


def test_unit_staff_cannot_deactivate_accounts(client_for, user_named):
    response = client_for("fgw-editor").post(
        reverse("security_deactivate_user", args=[user_named("jyj-editor").pk])
    )
    assert response.status_code in (302, 403)
    assert user_named("jyj-editor").is_active


# Departed staff are kept -----------------------------------------------------------------------


def test_staff_with_history_cannot_be_deleted(client_for, user_named):
    from django.db.models import ProtectedError

    clerk = user_named("jyj-editor")
    attempt(Client(), "jyj-editor", PASSWORD)  # a login: the account is in the audit log
    admin = client_for("admin")
    url = reverse("wagtailusers_users:delete", args=[clerk.pk])
    response = admin.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailusers_users:edit", args=[clerk.pk])
    assert type(clerk).objects.filter(pk=clerk.pk).exists()
    with pytest.raises(ProtectedError):
        clerk.delete()


def test_bulk_deleting_staff_with_history_is_refused(client_for, user_named):
    clerk = user_named("jyj-editor")
    attempt(Client(), "jyj-editor", PASSWORD)
    admin = client_for("admin")
    url = reverse("wagtail_bulk_action", args=["auth", "user", "delete"])
    response = admin.post(f"{url}?id={clerk.pk}&next=/admin/users/")
    assert response.status_code == 302
    assert type(clerk).objects.filter(pk=clerk.pk).exists()


def test_an_account_without_history_can_be_deleted(client_for):
    from django.contrib.auth import get_user_model

    mistake = get_user_model().objects.create_user("typo-account", password="Xk7-qLp2-Rw9z")
    response = client_for("admin").post(reverse("wagtailusers_users:delete", args=[mistake.pk]))
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=mistake.pk).exists()
