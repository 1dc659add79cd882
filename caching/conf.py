"""The page cache's settings: settings.GONGKAI_PAGE_CACHE overrides any of DEFAULTS."""

from django.conf import settings

DEFAULTS = {
    "ENABLED": True,
    # Life of a cached page: a safety net only, every change purges what it affects at once.
    "SECONDS": 600,
    # Paths whose content also depends on things no page signal reports (synonyms for the
    # search): cached briefly. Prefixes of request.path.
    "SHORT_PATHS": ["/search/"],
    "SHORT_SECONDS": 60,
    # Non-page views that may be cached (Wagtail pages opt in through before_serve_page).
    "VIEW_PATHS": ["/search/", "/sitemap.xml"],
    # Never looked up nor stored (the admin, files served with permission checks, the API,
    # citizens' forms and the health check).
    "SKIP_PREFIXES": [
        "/admin/",
        "/django-admin/",
        "/documents/",
        "/api/",
        "/citizen/",
        "/healthz",
        "/static/",
        "/media/",
    ],
    # Requests carrying one of these cookies get a fresh page and never fill the cache: a
    # session (any logged-in user, a citizen tracking a request) or pending flash messages.
    "PRIVATE_COOKIES": [settings.SESSION_COOKIE_NAME, "messages"],
    # Cookies that select a variant of the same page (the accessible view of themes/): their
    # values are part of the cache key.
    "VARY_COOKIES": ["gongkai_view"],
    # Page types served fresh every time: citizens' forms and their tracking pages.
    "SKIP_PAGE_TYPES": ["citizen_services.applicationpage", "citizen_services.complaintpage"],
    # Share purges between processes through an epoch file under GONGKAI_VAR_DIR (any purge
    # then empties every process's page cache): None = only when the cache is per process.
    "EPOCH_FILE": None,
    # X-Accel-Expires sent to nginx for cached pages without a query string (purged exactly by
    # wagtail.contrib.frontend_cache); pages with a query string are not cached by nginx.
    "PROXY_SECONDS": 600,
}


def page_cache_setting(name):
    return getattr(settings, "GONGKAI_PAGE_CACHE", {}).get(name, DEFAULTS[name])
