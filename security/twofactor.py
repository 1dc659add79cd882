"""Second factor: TOTP codes from an authenticator app (RFC 6238, 30-second steps, 6 digits).

The session remembers which user passed the second step (SESSION_KEY); TwoFactorMiddleware
sends admin users who have an app, or whose role requires one, to verify or to set one up."""

import io
import time

import pyotp
from django.conf import settings
from django.db import transaction

SESSION_KEY = "security_2fa_user"
PENDING_SECRET_KEY = "security_2fa_pending_secret"
ISSUER_FALLBACK = "Gongkai"


def issuer():
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or ISSUER_FALLBACK


def new_secret():
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(user, secret):
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=issuer())


def qr_svg(data):
    """An inline SVG QR code (no image file, nothing sent to a third-party service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # without the XML declaration, to embed in HTML


def matching_step(secret, code, now=None, window=1):
    """The time step whose code is `code` (allowing one step of clock drift), or None."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step_now = int(now // totp.interval)
    for step in range(step_now - window, step_now + window + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify_device(device, code):
    """Whether `code` is a fresh code of the device; a code is accepted only once."""
    from .models import TOTPDevice

    step = matching_step(device.secret, code)
    if step is None:
        return False
    with transaction.atomic():
        updated = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    return bool(updated)


def confirm_enrolment(user, secret, code):
    """Save the app once the user proved it works with a code; None if the code is wrong."""
    from .models import TOTPDevice

    step = matching_step(secret, code)
    if step is None:
        return None
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "last_step": step}
    )
    return device


def device_of(user):
    from .models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).first()


def roles_of(user):
    from unit_sites.models import UnitGroup
    from unit_sites.permissions import WEB_TEAM_GROUP_NAME

    from .models import ROLE_SUPERUSER, ROLE_WEB_TEAM

    roles = set(
        UnitGroup.objects.filter(group__user=user).values_list("role", flat=True).distinct()
    )
    if user.is_superuser:
        roles.add(ROLE_SUPERUSER)
    if user.groups.filter(name=WEB_TEAM_GROUP_NAME).exists():
        roles.add(ROLE_WEB_TEAM)
    return roles


def required_for(user):
    from .models import SecuritySettings

    required = set(SecuritySettings.load().require_2fa_for_roles or [])
    return bool(required and required & roles_of(user))


def is_verified(request):
    return request.session.get(SESSION_KEY) == request.user.pk


def mark_verified(request):
    request.session[SESSION_KEY] = request.user.pk
