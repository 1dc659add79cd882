"""Serve public pages from the cache (see caching.store for the keys and why none is stale).

Placed right after WhiteNoise, before sessions: a hit runs no SQL query and never loads a
session. Only what opted in is stored: Wagtail pages marked by the `before_serve_page` hook
(caching.wagtail_hooks) and the views in VIEW_PATHS. Nothing is stored when the request is not
a plain anonymous GET or the response is not a cookie-free 200 (a CSRF token, a session, a
message, `Cache-Control: private` all prevent it).
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import store
from .conf import page_cache_setting

CACHEABLE_ATTR = "_gongkai_page_cacheable"
SKIPPED_HEADERS = {"set-cookie", "x-cache", "x-accel-expires"}


def mark_cacheable(request):
    setattr(request, CACHEABLE_ATTR, True)


def request_is_cacheable(request):
    """May this request be answered from the cache (and its answer be stored)?"""
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
        return False  # Wagtail's previews run through the middleware with a dummy request
    if any(name in request.COOKIES for name in page_cache_setting("PRIVATE_COOKIES")):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path
    return not any(path.startswith(prefix) for prefix in page_cache_setting("SKIP_PREFIXES"))


def _response_is_storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if getattr(request, CACHEABLE_ATTR, False):
        return True
    return any(request.path.startswith(path) for path in page_cache_setting("VIEW_PATHS"))


def _timeout(path):
    short = any(path.startswith(prefix) for prefix in page_cache_setting("SHORT_PATHS"))
    return page_cache_setting("SHORT_SECONDS" if short else "SECONDS")


def _proxy_seconds(request):
    """nginx may keep a page only while a purge can reach it: exact URLs, no query string, no
    variant chosen by a cookie."""
    variant = any(request.COOKIES.get(name) for name in page_cache_setting("VARY_COOKIES"))
    if (
        variant
        or request.META.get("QUERY_STRING")
        or _timeout(request.path) < page_cache_setting("SECONDS")
    ):
        return 0
    return page_cache_setting("PROXY_SECONDS")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache_setting("ENABLED") or not request_is_cacheable(request):
            return self._uncached(self.get_response(request))
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 itself
        site_id = store.site_id_for_host(host)
        if site_id is None:  # not a site's own hostname (a retired one, a forged one)
            return self._uncached(self.get_response(request))
        path = request.path
        query = request.META.get("QUERY_STRING", "")
        variant = [request.COOKIES.get(name, "") for name in page_cache_setting("VARY_COOKIES")]
        if any(variant):
            query = f"{query}#{'|'.join(variant)}"

        gens, entry = store.lookup(site_id, path, query)
        if entry is not None:
            return self._hit(request, entry)
        # Read (or start) the generations before rendering: see caching.store.
        gens = gens or store.generations(site_id, path, create=True)
        response = self.get_response(request)
        if gens is None or not _response_is_storable(request, response):
            return self._uncached(response)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS
        ]
        page = (response.status_code, headers, response.content)
        store.keep(site_id, path, query, gens, page, _timeout(path))
        response["X-Cache"] = "MISS"
        response["X-Accel-Expires"] = str(_proxy_seconds(request))
        return response

    def _hit(self, request, entry):
        status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = "HIT"
        response["X-Accel-Expires"] = str(_proxy_seconds(request))
        return response

    def _uncached(self, response):
        # Never let a proxy keep what the application would not (a logged-in page, a form).
        if "X-Accel-Expires" not in response:
            response["X-Accel-Expires"] = "0"
        response.setdefault("X-Cache", "BYPASS")
        if "Cache-Control" not in response and response.cookies:
            patch_cache_control(response, private=True)
        return response
