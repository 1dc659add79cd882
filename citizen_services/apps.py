from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenServicesConfig(AppConfig):
    """Applications for information (Art. 17), complaints and ratings (Art. 14)."""

    name = "citizen_services"
    verbose_name = _("Citizen services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from .provisioning import create_citizen_pages, grant_register_permissions

        register_provisioner(create_citizen_pages)
        register_provisioner(grant_register_permissions)

        from workdays.signals import calendar_changed

        calendar_changed.connect(_recompute_deadlines, dispatch_uid="citizen_services.deadlines")


def _recompute_deadlines(sender, since, **kwargs):
    from .services import recompute_open_deadlines

    recompute_open_deadlines(since)
