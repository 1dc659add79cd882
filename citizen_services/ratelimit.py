"""Per-IP rate limits on the public forms, counted in Django's cache (shared by every app
server when REDIS_URL is set). Keys hold a hash of the address, never the address itself.

Behind a reverse proxy, REMOTE_ADDR is the proxy's: set CITIZEN_SERVICES_TRUSTED_PROXIES to the
number of proxies in front of the app servers so the client address is read from
X-Forwarded-For (the n-th entry from the right, which the client cannot forge)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# scope → (how many, per how many seconds). Override with CITIZEN_SERVICES_RATE_LIMITS.
DEFAULT_LIMITS = {
    "apply": (5, 3600),  # applications submitted
    "complain": (5, 3600),  # complaints submitted
    "track": (20, 3600),  # tracking look-ups, successful or not (codes cannot be guessed)
    "rate": (30, 3600),  # ratings, over all pages
    "rate-page": (1, 86400),  # ratings of one page (counted per page)
}


def client_ip(request):
    proxies = getattr(settings, "CITIZEN_SERVICES_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _limit(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "CITIZEN_SERVICES_RATE_LIMITS", {})}
    return limits[scope]


def _key(request, scope, extra=""):
    count, period = _limit(scope)
    window = int(time.time() // period)
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_ip(request)}:{extra}".encode()
    ).hexdigest()[:32]
    return f"citizen-rl:{scope}:{digest}:{window}", count, period


def exceeded(request, scope, extra=""):
    """Whether this client has used up `scope` in the current window (nothing is counted)."""
    key, count, _period = _key(request, scope, extra)
    return (cache.get(key) or 0) >= count


def hit(request, scope, extra=""):
    """Count one use of `scope`; False when the client had already used it up."""
    key, count, period = _key(request, scope, extra)
    cache.add(key, 0, period)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        used = 1
    return used <= count
