"""What is wrong with the themes, for the admin warning and the system check: themes that
failed to load, overrides that fail to compile or render, and sites whose theme is missing."""

import logging
import re

from django.core.cache import cache
from django.template import engines
from django.utils.translation import gettext as _

from themes.registry import get_registry

logger = logging.getLogger(__name__)

# A theme's own page frame must keep the national site rules' metadata tags in its head (the
# tag of cms.templatetags.site_metadata_tags, loaded with `{% load site_metadata_tags %}`).
REQUIRED_IN_BASE = "site_metadata"
_REQUIRED_TAG = re.compile(r"{%\s*" + REQUIRED_IN_BASE + r"\s*%}")


def frame_lacks_metadata(template_name, source):
    """Whether a theme's template is a page frame (base.html) without the metadata tags."""
    return template_name == "base.html" and not _REQUIRED_TAG.search(source)


PROBLEMS_KEY = "gongkai:themes:problems:{}"
PROBLEMS_TIMEOUT = 60 * 60
MAX_PROBLEMS = 5


def record_problem(theme_name, message):
    """Keep a theme's runtime failure (shared through the cache by every process)."""
    logger.warning("Theme %s failed, the default theme was used: %s", theme_name, message)
    key = PROBLEMS_KEY.format(theme_name)
    problems = cache.get(key) or []
    if message not in problems:
        cache.set(key, [*problems, message][-MAX_PROBLEMS:], PROBLEMS_TIMEOUT)


def runtime_problems(theme_name):
    return cache.get(PROBLEMS_KEY.format(theme_name)) or []


def clear_problems(theme_name):
    cache.delete(PROBLEMS_KEY.format(theme_name))


def template_errors(theme):
    """Overrides of a theme that do not compile, as (template name, error)."""
    if theme.template_dir is None or not theme.template_dir.is_dir():
        return []
    engine = engines["django"].engine
    errors = []
    for path in sorted(theme.template_dir.rglob("*.html")):
        name = path.relative_to(theme.template_dir).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            engine.from_string(source)
        except Exception as error:
            errors.append((name, str(error)))
            continue
        if frame_lacks_metadata(name, source):
            errors.append(
                (
                    name,
                    _("The page frame lacks the site metadata tags: %(tag)s")
                    % {"tag": "{% " + REQUIRED_IN_BASE + " %}"},
                )
            )
    return errors


def load_errors():
    return list(get_registry().errors)


def missing_theme_sites():
    """(site, theme name) of each site whose chosen theme is not installed."""
    from themes.models import SiteThemeSettings
    from themes.registry import get_themes

    return [
        (setting.site, setting.theme)
        for setting in SiteThemeSettings.objects.select_related("site").exclude(
            theme__in=list(get_themes())
        )
    ]


def admin_problems():
    """Readable sentences for the admin: every theme problem known now."""
    from themes.registry import get_themes

    messages = []
    for site, name in missing_theme_sites():
        messages.append(
            _(
                "Site %(site)s uses the theme “%(theme)s”, which is not installed: it is shown "
                "in the default theme."
            )
            % {"site": f"{site} ({site.hostname})", "theme": name}
        )
    for name, theme in get_themes().items():
        for template_name, error in template_errors(theme):
            messages.append(
                _(
                    "Theme “%(theme)s”: the template %(template)s has an error (%(error)s); the "
                    "default template is used instead."
                )
                % {"theme": name, "template": template_name, "error": error}
            )
        for problem in runtime_problems(name):
            messages.append(
                _(
                    "Theme “%(theme)s” failed while showing a page (%(error)s); the default "
                    "theme was used."
                )
                % {"theme": name, "error": problem}
            )
    for source, error in load_errors():
        messages.append(
            _("A theme could not be loaded from %(source)s: %(error)s")
            % {"source": source, "error": error}
        )
    return list(dict.fromkeys(messages))
