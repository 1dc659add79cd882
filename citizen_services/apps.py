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
