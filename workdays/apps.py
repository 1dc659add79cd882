from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("Working-day calendar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from . import checks, signals  # noqa: F401  (registers the system check, the receivers)
        from .provisioning import grant_calendar_to_city_office

        register_provisioner(grant_calendar_to_city_office)
