"""Locking out password guessing, per account and per network address, in Django's cache
(shared by every app server when REDIS_URL is set).

After USER_FAILURES failed logins for one user name within WINDOW seconds the name is locked
for LOCK seconds; after IP_FAILURES from one address, the address is. A successful login
clears the account's count. Keys hold hashes, never the user name or the address itself."""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

DEFAULTS = {"USER_FAILURES": 5, "IP_FAILURES": 20, "WINDOW": 15 * 60, "LOCK": 15 * 60}


def config():
    return {**DEFAULTS, **getattr(settings, "GONGKAI_LOGIN_LOCKOUT", {})}


def client_ip(request):
    """The client's address; behind N reverse proxies (GONGKAI_TRUSTED_PROXIES), the N-th
    entry of X-Forwarded-For from the right, which the client cannot forge."""
    if request is None:
        return ""
    proxies = getattr(
        settings,
        "GONGKAI_TRUSTED_PROXIES",
        getattr(settings, "CITIZEN_SERVICES_TRUSTED_PROXIES", 0),
    )
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _digest(value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def _keys(kind, value):
    digest = _digest(value.strip().lower() if kind == "user" else value)
    return f"security:fail:{kind}:{digest}", f"security:lock:{kind}:{digest}"


@dataclass
class Lock:
    kind: str  # "user" or "ip"
    until: float

    @property
    def minutes(self):
        return max(1, math.ceil((self.until - time.time()) / 60))

    @property
    def message(self):
        if self.kind == "user":
            return _(
                "Too many failed sign-in attempts for this account. It is locked for "
                "%(minutes)d more minutes; try again later or ask the web team to help."
            ) % {"minutes": self.minutes}
        return _(
            "Too many failed sign-in attempts from your network address. Signing in from it is "
            "blocked for %(minutes)d more minutes."
        ) % {"minutes": self.minutes}


def _active_lock(kind, value):
    if not value:
        return None
    _count_key, lock_key = _keys(kind, value)
    until = cache.get(lock_key)
    if until and until > time.time():
        return Lock(kind, until)
    return None


def current_lock(username, ip):
    """The lock that refuses this login, or None."""
    return _active_lock("user", username or "") or _active_lock("ip", ip or "")


def _count(kind, value, limit):
    """Count one failure; the new Lock when this failure reached the limit."""
    cfg = config()
    count_key, lock_key = _keys(kind, value)
    cache.add(count_key, 0, cfg["WINDOW"])
    try:
        failures = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, cfg["WINDOW"])
        failures = 1
    if failures >= limit:
        until = time.time() + cfg["LOCK"]
        cache.set(lock_key, until, cfg["LOCK"])
        cache.delete(count_key)
        return Lock(kind, until)
    return None


def register_failure(username, ip):
    """Count a failed login; the locks it triggered (to log them)."""
    cfg = config()
    if current_lock(username, ip):
        return []  # refused while locked: does not extend the lock
    locks = []
    if username:
        locks.append(_count("user", username, cfg["USER_FAILURES"]))
    if ip:
        locks.append(_count("ip", ip, cfg["IP_FAILURES"]))
    return [lock for lock in locks if lock]


def reset_user(username):
    for key in _keys("user", username or ""):
        cache.delete(key)
