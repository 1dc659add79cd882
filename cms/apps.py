from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project itself: settings, URLs, shared templates and the demo loader."""

    name = "cms"
    verbose_name = "Gongkai"
