from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosurePagesConfig(AppConfig):
    name = "disclosure_pages"
    verbose_name = _("Disclosure pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from .provisioning import create_catalogue

        register_provisioner(create_catalogue)

        from . import signals  # noqa: F401
