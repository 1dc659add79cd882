"""`python manage.py starttheme NAME [--directory DIR] [--label LABEL]`: a new theme project
with one override (the footer), a stylesheet, its tests and a README."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from themes.registry import NAME_RE, builtin_themes

SCAFFOLD = Path(__file__).resolve().parent.parent.parent / "scaffold"
BASE_FOOTER = (
    Path(__file__).resolve().parent.parent.parent
    / "templates"
    / "themes"
    / "includes"
    / "site_footer.html"
)


class Command(BaseCommand):
    help = "Create a theme project: one template override, a stylesheet, tests and a README."

    def add_arguments(self, parser):
        parser.add_argument(
            "name", help="lower-case letters, digits and hyphens, e.g. luobei-green"
        )
        parser.add_argument(
            "--directory",
            help="where to create it (default: the first of GONGKAI_THEME_DIRS)",
        )
        parser.add_argument("--label", help="the name shown in the admin")

    def handle(self, *args, name, directory=None, label=None, **options):
        if not NAME_RE.match(name):
            raise CommandError(
                _(
                    "Invalid theme name “%(name)s”: use lower-case letters, digits and hyphens, "
                    "starting with a letter."
                )
                % {"name": name}
            )
        if name in {theme.name for theme in builtin_themes()}:
            raise CommandError(_("“%(name)s” is a built-in theme.") % {"name": name})
        if directory is None:
            dirs = getattr(settings, "GONGKAI_THEME_DIRS", [])
            if not dirs:
                raise CommandError(_("Give --directory: GONGKAI_THEME_DIRS is empty."))
            directory = dirs[0]
        project = Path(directory) / name
        if project.exists():
            raise CommandError(_("%(path)s already exists.") % {"path": project})

        snake = name.replace("-", "_")
        package = f"gongkai_theme_{snake}"
        values = {
            "__NAME__": name,
            "__LABEL__": label or name.replace("-", " ").title(),
            "__PACKAGE__": package,
            "__SNAKE__": snake,
        }

        def fill(text):
            for key, value in values.items():
                text = text.replace(key, value)
            return text

        def scaffold(template):
            return fill((SCAFFOLD / template).read_text(encoding="utf-8"))

        base_footer = BASE_FOOTER.read_text(encoding="utf-8")
        footer = (
            "{# Overrides the base footer (themes/includes/site_footer.html): edit freely. #}\n"
            '<div class="theme-footer">\n' + base_footer.rstrip("\n") + "\n</div>\n"
        )
        files = {
            "pyproject.toml": scaffold("pyproject.toml.tmpl"),
            "README.md": scaffold("README.md.tmpl"),
            f"tests/test_{snake}_theme.py": scaffold("test_theme.py.tmpl"),
            f"{package}/__init__.py": scaffold("init.py.tmpl"),
            f"{package}/theme.toml": scaffold("theme.toml.tmpl"),
            f"{package}/static/theme.css": scaffold("theme.css.tmpl"),
            f"{package}/templates/themes/includes/site_footer.html": footer,
        }
        for relative, content in files.items():
            path = project / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        if options.get("verbosity", 1):
            self.stdout.write(
                _("Created the theme “%(name)s” in %(path)s. See its README.md.")
                % {"name": name, "path": project}
            )
