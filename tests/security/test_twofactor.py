"""Second factor: enrolment with a real TOTP code, required verification, replay, the setting."""

import re
import time

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from security.models import SecuritySettings, TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = settings.GONGKAI_DEMO_PASSWORD


def sign_in(username):
    client = Client(HTTP_HOST="localhost")
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def require_for(*roles):
    setting = SecuritySettings.load()
    setting.require_2fa_for_roles = list(roles)
    setting.save()


def enrol(client):
    page = client.get(reverse("security_2fa_setup"))
    assert page.status_code == 200
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()  # the QR code, inline
    assert page.context["uri"].startswith("otpauth://totp/")
    response = client.post(reverse("security_2fa_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def test_without_requirement_or_app_the_admin_opens_directly():
    assert sign_in("fgw-reviewer").get("/admin/").status_code == 200


def test_a_required_role_must_set_up_an_app_then_verify_at_each_sign_in(user_named):
    require_for("reviewer")
    client = sign_in("fgw-reviewer")
    response = client.get("/admin/reports/locked/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security_2fa_setup"))
    # Editors are not in a required role.
    assert sign_in("fgw-editor").get("/admin/").status_code == 200

    secret = enrol(client)
    assert client.get("/admin/").status_code == 200
    user = user_named("fgw-reviewer")
    assert TOTPDevice.objects.get(user=user).secret == secret
    assert ModelLogEntry.objects.filter(action="security.2fa_enrolled", object_id=user.pk).exists()

    # Next sign-in: the password alone is not enough.
    second = sign_in("fgw-reviewer")
    response = second.get("/admin/")
    assert response["Location"].startswith(reverse("security_2fa_verify"))
    # Knowing the password does not let one replace the app.
    assert second.get(reverse("security_2fa_setup"))["Location"].startswith(
        reverse("security_2fa_verify")
    )
    wrong = second.post(reverse("security_2fa_verify"), {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    # A code from the next 30-second step (the phone's clock slightly ahead) is accepted once.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    response = second.post(
        reverse("security_2fa_verify") + "?next=/admin/reports/locked/", {"code": code}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/reports/locked/"
    assert second.get("/admin/").status_code == 200

    # The same code cannot be used again (replay) in another session.
    third = sign_in("fgw-reviewer")
    assert third.post(reverse("security_2fa_verify"), {"code": code}).status_code == 200
    assert third.get("/admin/").status_code == 302


def test_an_app_set_up_voluntarily_is_asked_for(user_named):
    client = sign_in("fgw-editor")
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("security_2fa_setup") in account
    secret = enrol(client)
    second = sign_in("fgw-editor")
    assert second.get("/admin/")["Location"].startswith(reverse("security_2fa_verify"))
    later = time.time() + 30
    assert (
        second.post(
            reverse("security_2fa_verify"), {"code": pyotp.TOTP(secret).at(later)}
        ).status_code
        == 302
    )


def test_wrong_codes_count_towards_the_lockout():
    require_for("reviewer")
    client = sign_in("fgw-reviewer")
    enrol(client)
    second = sign_in("fgw-reviewer")
    for _ in range(5):
        response = second.post(reverse("security_2fa_verify"), {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_login")
    assert "_auth_user_id" not in second.session


def test_the_city_office_edits_the_setting_and_the_web_team_removes_a_lost_app(user_named):
    office = sign_in("gongkaiban")
    url = office.get(reverse("wagtailsettings:edit", args=["security", "securitysettings"]))[
        "Location"
    ]
    page = office.get(url)
    assert page.status_code == 200
    assert re.search(r'name="require_2fa_for_roles"[^>]*value="office"', page.content.decode())
    response = office.post(url, {"require_2fa_for_roles": ["office", "superuser"]})
    assert response.status_code == 302
    assert SecuritySettings.load().require_2fa_for_roles == ["office", "superuser"]
    # A unit editor may not change it.
    assert sign_in("fgw-editor").get(url).status_code in (302, 403)

    reviewer = sign_in("fgw-reviewer")
    enrol(reviewer)
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(user_named("admin"))
    target = user_named("fgw-reviewer")
    # (superusers are required now: the forced login has no second step; mark it done)
    session = admin.session
    session["security_2fa_user"] = user_named("admin").pk
    session.save()
    listing = admin.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("security_reset_2fa", args=[target.pk]) in listing
    assert admin.post(reverse("security_reset_2fa", args=[target.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert ModelLogEntry.objects.filter(action="security.2fa_reset", object_id=target.pk).exists()
