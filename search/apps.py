from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from . import signals
        from .provisioning import grant_synonyms_to_city_office

        signals.connect()
        register_provisioner(grant_synonyms_to_city_office)
