from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitSitesConfig(AppConfig):
    name = "unit_sites"
    verbose_name = _("Units and sites")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
