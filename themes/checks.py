"""System checks: themes that cannot be loaded, overrides that do not compile, and (with
`check --database default`) sites whose chosen theme is not installed."""

from django.core.checks import Tags, Warning, register


@register("themes")
def check_themes(app_configs=None, **kwargs):
    from themes.health import load_errors, template_errors
    from themes.registry import get_themes

    warnings = [
        Warning(f"A theme could not be loaded from {source}: {error}", id="themes.W001")
        for source, error in load_errors()
    ]
    for name, theme in get_themes().items():
        for template_name, error in template_errors(theme):
            warnings.append(
                Warning(
                    f"Theme {name!r}: template {template_name} is not used ({error}); "
                    "the base template is used instead.",
                    obj=str(theme.template_dir),
                    id="themes.W002",
                )
            )
    return warnings


@register("themes", Tags.database)
def check_site_themes(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from django.db import connection

    from themes.health import missing_theme_sites
    from themes.models import SiteThemeSettings

    # `migrate` runs database checks before it has created any table.
    if SiteThemeSettings._meta.db_table not in connection.introspection.table_names():
        return []

    return [
        Warning(
            f"Site {site.hostname} ({site}) uses the theme {name!r}, which is not installed; it is shown in the "
            "default theme.",
            id="themes.W003",
        )
        for site, name in missing_theme_sites()
    ]
