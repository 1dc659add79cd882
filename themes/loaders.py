"""Template loading by theme: the current theme's folder first, then the base templates.

Configured in settings.TEMPLATES as one caching loader over ThemeLoader, the filesystem and
the app directories. The cache key carries the theme's name, so each theme keeps its own
compiled templates and a site's theme never leaks into another site's pages."""

from django.core.exceptions import SuspiciousFileOperation
from django.template import Origin, Template, TemplateDoesNotExist, engines
from django.template.loaders import cached
from django.template.loaders.base import Loader as BaseLoader
from django.utils._os import safe_join

from themes.context import get_current_theme

# The admin is never themed, even when a theme ships a template of that name.
UNTHEMED_PREFIXES = ("wagtailadmin/", "admin/", "wagtailusers/", "wagtailsnippets/",
                     "wagtaildocs/", "wagtailimages/", "wagtailsettings/", "modeladmin/",
                     "registration/", "django/forms/")  # fmt: skip


class ThemeOrigin(Origin):
    def __init__(self, *args, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme = theme


class ThemeLoader(BaseLoader):
    def get_dirs(self):
        from themes.registry import get_themes

        return [theme.template_dir for theme in get_themes().values() if theme.template_dir]

    def get_template_sources(self, template_name):
        theme = get_current_theme()
        if theme is None or theme.template_dir is None:
            return
        if template_name.startswith(UNTHEMED_PREFIXES):
            return
        try:
            name = safe_join(theme.template_dir, template_name)
        except SuspiciousFileOperation:
            return
        yield ThemeOrigin(name=name, template_name=template_name, loader=self, theme=theme)

    def get_contents(self, origin):
        try:
            with open(origin.name, encoding=self.engine.file_charset) as fp:
                contents = fp.read()
        except FileNotFoundError as error:
            raise TemplateDoesNotExist(origin) from error
        # A broken override must not take the page down: treat it as absent, so the base
        # template is used, and tell the admin.
        try:
            Template(contents, origin, origin.template_name, self.engine)
        except Exception as error:
            from themes.health import record_problem

            record_problem(origin.theme.name, f"{origin.template_name}: {error}")
            raise TemplateDoesNotExist(origin) from error
        # A page frame without the national site rules' metadata tags is not used either: the
        # base frame carries them (the admin's theme warning reports it: themes.health).
        from themes.health import frame_lacks_metadata

        if frame_lacks_metadata(origin.template_name, contents):
            raise TemplateDoesNotExist(origin)
        return contents


class CachedLoader(cached.Loader):
    def cache_key(self, template_name, skip=None):
        key = super().cache_key(template_name, skip)
        theme = get_current_theme()
        if theme is not None and theme.template_dir is not None:
            return f"theme={theme.name}:{key}"
        return key


def reset_template_caches():
    for engine in engines.all():
        for loader in getattr(getattr(engine, "engine", None), "template_loaders", []):
            if hasattr(loader, "reset"):
                loader.reset()
