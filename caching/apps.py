from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caching"
    verbose_name = _("Page caching")

    def ready(self):
        from . import signals  # noqa: F401
