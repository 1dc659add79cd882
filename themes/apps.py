from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes import checks, signals  # noqa: F401 - registers checks and receivers
