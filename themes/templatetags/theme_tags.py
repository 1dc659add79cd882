"""The theme's stylesheets and scripts, the site's navigation, footer settings and the switch
between the standard and the accessible view."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from wagtail.models import Page

from themes.context import get_current_theme
from themes.middleware import ACCESSIBLE_VIEW, STANDARD_VIEW, VIEW_PARAM
from themes.models import SiteThemeSettings
from themes.registry import ACCESSIBLE_THEME, BASE_STYLESHEET, default_theme
from unit_sites.models import UnitPage, unit_for_page

register = template.Library()


def _theme():
    return get_current_theme() or default_theme()


@register.simple_tag
def current_theme():
    return _theme()


@register.simple_tag
def theme_base_stylesheet():
    """The default theme's stylesheet, unless the theme replaces it entirely."""
    if BASE_STYLESHEET not in _theme().all_stylesheets():
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static(BASE_STYLESHEET))


@register.simple_tag
def theme_stylesheets():
    """The theme's own stylesheets, after the page's (so the theme has the last word)."""
    paths = [p for p in _theme().all_stylesheets() if p != BASE_STYLESHEET]
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(p),) for p in paths)
    )


@register.simple_tag
def theme_scripts():
    # print.js first: every theme's print buttons (data-print) rely on it.
    scripts = ["themes/print.js", *_theme().scripts]
    return format_html_join(
        "\n", '<script src="{}" defer></script>', ((static(p),) for p in scripts)
    )


@register.simple_tag(takes_context=True)
def site_settings(context):
    """The site's theme and footer settings (never written by a public page)."""
    request = context.get("request")
    if request is None:
        return SiteThemeSettings()
    return SiteThemeSettings.lookup_for_request(request)


def _nav_unit(context, home_unit):
    """The unit the visitor is in: the page's own unit (a department's section of the portal
    gets its own navigation), within the site's unit."""
    page = context.get("page")
    unit = context.get("unit")
    if page is not None and isinstance(getattr(page, "specific", None), UnitPage):
        unit = page.specific
    elif unit is None and isinstance(page, Page) and page.pk:
        unit = unit_for_page(page)
    if not isinstance(unit, UnitPage) or not unit.path.startswith(home_unit.path):
        return home_unit
    return unit


@register.simple_tag(takes_context=True)
def site_navigation(context, home_unit):
    """The main navigation: the site's home, the unit being visited and its workspaces
    (catalogue, application for information, ...), each marked when the page is in it."""
    if home_unit is None:
        return []
    request = context.get("request")
    page = context.get("page")
    current_path = getattr(page, "url_path", "") or ""
    unit = _nav_unit(context, home_unit)
    entries = [
        {
            "title": home_unit.title,
            "url": home_unit.get_url(request),
            "current": current_path == home_unit.url_path,
            "home": True,
        }
    ]
    if unit.pk != home_unit.pk:
        entries.append(
            {
                "title": unit.short_name or unit.title,
                "url": unit.get_url(request),
                "current": current_path == unit.url_path,
                "home": False,
            }
        )
    for child in unit.live_workspaces:
        entries.append(
            {
                "title": child.title,
                "url": child.get_url(request),
                "current": bool(current_path) and current_path.startswith(child.url_path),
                "home": False,
            }
        )
    return entries


@register.simple_tag(takes_context=True)
def view_switch(context):
    """The link between the standard and the accessible view (a plain link: works without
    JavaScript; the middleware remembers the choice in a cookie)."""
    request = context.get("request")
    accessible = _theme().name == ACCESSIBLE_THEME
    target = STANDARD_VIEW if accessible else ACCESSIBLE_VIEW
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query[VIEW_PARAM] = target
        url = f"{request.path}?{query.urlencode()}"
    else:
        url = f"?{VIEW_PARAM}={target}"
    return {"url": url, "accessible": accessible, "target": target}
