"""Which themes exist: the two built in, Python packages registering an entry point in the
`gongkai.themes` group, and folders under the directories of settings.GONGKAI_THEME_DIRS.

A theme is templates that override the base ones by name (anything it lacks comes from the
base), stylesheets and scripts. The registry never raises: a theme that cannot be loaded is
left out and its error is kept for the admin warning and the system check."""

import logging
import re
import threading
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "gongkai.themes"
DEFAULT_THEME = "default"
ACCESSIBLE_THEME = "accessible"
THEME_FILE = "theme.toml"
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
BASE_STYLESHEET = "themes/default/site.css"
BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


@dataclass(frozen=True)
class Theme:
    """A theme. `stylesheets` and `scripts` are static paths (a folder or package theme's
    own files are served under `themes/<name>/`)."""

    name: str
    label: str
    description: str = ""
    template_dir: Path | None = None
    static_dir: Path | None = None
    stylesheets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    # The default theme's stylesheet first, so a theme only states what it changes.
    include_base_css: bool = True
    source: str = ""
    builtin: bool = field(default=False, compare=False)

    @property
    def static_prefix(self):
        return f"themes/{self.name}"

    @classmethod
    def from_directory(cls, path, source=""):
        """A theme described by `<path>/theme.toml`, with `templates/` and `static/` beside
        it. Raises ValueError with a readable message when the description is wrong."""
        path = Path(path).resolve()
        try:
            data = tomllib.loads((path / THEME_FILE).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"{path / THEME_FILE}: {error}") from error
        name = str(data.get("name", path.name))
        if not NAME_RE.match(name):
            raise ValueError(f"{path / THEME_FILE}: invalid theme name {name!r}")
        prefix = f"themes/{name}/"
        templates = path / "templates"
        static = path / "static"
        return cls(
            name=name,
            label=str(data.get("label", name)),
            description=str(data.get("description", "")),
            template_dir=templates if templates.is_dir() else None,
            static_dir=static if static.is_dir() else None,
            stylesheets=tuple(prefix + str(p) for p in data.get("stylesheets", ())),
            scripts=tuple(prefix + str(p) for p in data.get("scripts", ())),
            include_base_css=bool(data.get("include_base_css", True)),
            source=source or str(path),
        )

    def all_stylesheets(self):
        base = (BASE_STYLESHEET,) if self.include_base_css or self.builtin else ()
        return tuple(dict.fromkeys(base + self.stylesheets))


def builtin_themes():
    return [
        Theme(
            name=DEFAULT_THEME,
            label=_("Government portal (default)"),
            description=_("The conventions of Chinese government portals."),
            source="built in",
            builtin=True,
        ),
        Theme(
            name=ACCESSIBLE_THEME,
            label=_("Accessible and elderly-friendly"),
            description=_("Large type, high contrast, visible focus, large touch targets."),
            template_dir=BUILTIN_DIR / "accessible" / "templates",
            stylesheets=("themes/accessible/site.css",),
            source="built in",
            builtin=True,
        ),
    ]


@dataclass
class Registry:
    themes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (source, message)

    def add(self, theme, source):
        if not isinstance(theme, Theme):
            self.errors.append((source, f"not a Theme: {theme!r}"))
        elif not NAME_RE.match(theme.name):
            self.errors.append((source, f"invalid theme name {theme.name!r}"))
        elif theme.name in self.themes:
            self.errors.append(
                (
                    source,
                    f"theme {theme.name!r} already registered by {self.themes[theme.name].source}",
                )
            )
        else:
            self.themes[theme.name] = theme


def theme_dirs():
    return [Path(p) for p in getattr(settings, "GONGKAI_THEME_DIRS", [])]


def _folder_candidates(directory):
    """`<dir>/<name>/theme.toml`, or a `starttheme` project dropped in as it is:
    `<dir>/<project>/<package>/theme.toml`."""
    if not directory.is_dir():
        return
    for child in sorted(directory.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        if (child / THEME_FILE).is_file():
            yield child
        else:
            yield from (p.parent for p in sorted(child.glob(f"*/{THEME_FILE}")))


def _from_entry_point(entry_point):
    obj = entry_point.load()
    if isinstance(obj, ModuleType):
        obj = getattr(obj, "theme", None)
    if callable(obj) and not isinstance(obj, Theme):
        obj = obj()
    return obj


def discover():
    registry = Registry()
    for theme in builtin_themes():
        registry.add(theme, theme.source)
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        source = f"entry point {entry_point.name} = {entry_point.value}"
        try:
            theme = _from_entry_point(entry_point)
        except Exception as error:  # a broken package must not take the site down
            logger.exception("Theme %s failed to load", source)
            registry.errors.append((source, f"{type(error).__name__}: {error}"))
            continue
        registry.add(theme, source)
    for directory in theme_dirs():
        for folder in _folder_candidates(directory):
            try:
                theme = Theme.from_directory(folder)
            except ValueError as error:
                registry.errors.append((str(folder), str(error)))
                continue
            registry.add(theme, str(folder))
    return registry


_lock = threading.Lock()
_registry = None


def get_registry():
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = discover()
    return _registry


def reload_themes():
    """Discover again (tests, or after installing a theme without restarting)."""
    global _registry
    with _lock:
        _registry = None
    from themes import loaders

    loaders.reset_template_caches()
    return get_registry()


@receiver(setting_changed)
def _on_setting_changed(setting, **kwargs):
    if setting in {"GONGKAI_THEME_DIRS", "INSTALLED_APPS", "TEMPLATES"}:
        reload_themes()


def get_themes():
    return get_registry().themes


def get_theme(name):
    return get_themes().get(name)


def default_theme():
    return get_themes()[DEFAULT_THEME]


def theme_choices(current=None):
    """(name, label) of every available theme, with a missing current choice kept visible."""
    choices = [(theme.name, f"{theme.label} ({theme.name})") for theme in get_themes().values()]
    if current and current not in get_themes():
        choices.append((current, _("%(name)s — not installed") % {"name": current}))
    return choices
