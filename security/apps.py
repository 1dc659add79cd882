from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from . import audit, protection
        from .provisioning import grant_security_settings_to_city_office

        audit.connect()
        protection.connect()
        register_provisioner(grant_security_settings_to_city_office)
