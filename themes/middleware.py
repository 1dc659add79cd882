"""Choose the theme of each public request: the visitor's accessible view, else the site's
theme, else the default. A theme that breaks a page is dropped for that page, which is
shown again in the default theme, and the admin is told."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import reverse

from themes.context import reset_current_theme, set_current_theme
from themes.health import record_problem
from themes.registry import ACCESSIBLE_THEME, default_theme, get_theme

logger = logging.getLogger(__name__)

VIEW_PARAM = "view"
VIEW_COOKIE = "gongkai_view"
ACCESSIBLE_VIEW = "accessible"
STANDARD_VIEW = "standard"
VIEW_COOKIE_AGE = 365 * 24 * 3600


def _unthemed_prefixes():
    prefixes = [reverse("wagtailadmin_home")]
    if getattr(settings, "STATIC_URL", None):
        prefixes.append(settings.STATIC_URL)
    if getattr(settings, "MEDIA_URL", None):
        prefixes.append(settings.MEDIA_URL)
    return tuple(prefixes)


def requested_view(request):
    """`accessible`, `standard` or None: the link's choice, else the visitor's cookie."""
    asked = request.GET.get(VIEW_PARAM)
    if asked in {ACCESSIBLE_VIEW, STANDARD_VIEW}:
        return asked, True
    remembered = request.COOKIES.get(VIEW_COOKIE)
    if remembered in {ACCESSIBLE_VIEW, STANDARD_VIEW}:
        return remembered, False
    return None, False


def theme_for_request(request):
    """The theme to use for a public request (never None)."""
    view, _explicit = requested_view(request)
    if view == ACCESSIBLE_VIEW:
        theme = get_theme(ACCESSIBLE_THEME)
        if theme is not None:
            return theme
    from themes.models import SiteThemeSettings

    try:
        name = SiteThemeSettings.lookup_for_request(request).theme
    except Exception:  # the theme must never be the reason a page fails
        logger.exception("Could not read the site's theme setting")
        return default_theme()
    theme = get_theme(name)
    if theme is None or (view == STANDARD_VIEW and theme.name == ACCESSIBLE_THEME):
        # Missing: the admin homepage and the settings page say so (themes.health).
        return default_theme()
    return theme


class ThemeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.unthemed = None

    def __call__(self, request):
        if self.unthemed is None:
            self.unthemed = _unthemed_prefixes()
        if request.path.startswith(self.unthemed):
            request.theme = None
            return self.get_response(request)
        theme = theme_for_request(request)
        request.theme = theme
        token = set_current_theme(theme)
        try:
            response = self.get_response(request)
        finally:
            reset_current_theme(token)
        self._remember_view(request, response)
        # No `Vary: Cookie`: it would split every shared cache by each visitor's whole Cookie
        # header (analytics cookies included). The page cache keys pages by the view cookie
        # (caching VARY_COOKIES) and nginx bypasses its cache when that cookie is set.
        return response

    @staticmethod
    def _remember_view(request, response):
        view, explicit = requested_view(request)
        if not explicit:
            return
        response.set_cookie(
            VIEW_COOKIE, view, max_age=VIEW_COOKIE_AGE, samesite="Lax", httponly=True
        )

    def process_exception(self, request, exception):
        """A page that fails in a theme other than the default is tried again in the default
        theme (safe methods only: a form post is never repeated). If that works, the theme
        was at fault: it is reported and the visitor gets the page."""
        theme = getattr(request, "theme", None)
        if (
            theme is None
            or theme.name == default_theme().name
            or getattr(request, "_theme_retry", False)
        ):
            return None
        if isinstance(exception, (Http404, PermissionDenied, SuspiciousOperation)):
            return None
        if request.method not in {"GET", "HEAD"} or request.resolver_match is None:
            return None
        request._theme_retry = True
        match = request.resolver_match
        token = set_current_theme(default_theme())
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        except Exception:
            return None  # not the theme's fault: let the original error through
        finally:
            reset_current_theme(token)
        record_problem(theme.name, f"{request.path}: {type(exception).__name__}: {exception}")
        request.theme = default_theme()
        return response
