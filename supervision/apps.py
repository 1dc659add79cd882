from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("Supervision: self-inspection and scoring")

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from .provisioning import grant_schemes_to_city_office

        register_provisioner(grant_schemes_to_city_office)
