from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .settings_form import SecuritySettingsForm

# Who the city office can require a second factor from (see security.twofactor.roles_of).
ROLE_SUPERUSER = "superuser"
ROLE_WEB_TEAM = "webteam"


def two_factor_role_choices():
    from unit_sites.models import UnitRole

    return [
        (ROLE_SUPERUSER, _("Superusers")),
        (ROLE_WEB_TEAM, _("Web team")),
        *UnitRole.choices,
    ]


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238 time-based one-time passwords)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    # The last time step accepted: a code is never accepted twice (replay).
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self):
        return str(self.user)


@register_setting(icon="key")
class SecuritySettings(BaseGenericSetting):
    """Platform-wide sign-in rules, kept by the city's disclosure office (and superusers)."""

    require_2fa_for_roles = models.JSONField(
        _("require two-factor sign-in for"),
        default=list,
        blank=True,
        help_text=_(
            "Accounts in these roles must confirm each sign-in with a code from an "
            "authenticator app; they are asked to set one up at their next sign-in."
        ),
    )

    panels = [FieldPanel("require_2fa_for_roles")]
    base_form_class = SecuritySettingsForm

    class Meta:
        verbose_name = _("sign-in security")
        verbose_name_plural = _("sign-in security")

    def __str__(self):
        return str(self._meta.verbose_name)
