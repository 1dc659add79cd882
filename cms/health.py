"""`/healthz`: is this app server able to serve? For the load balancer and monitoring.

200 with {"status": "ok", …} when the database answers and the cache stores and returns a
value; 503 with the failing check otherwise. Never cached, no session, no login.
"""

import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("unexpected answer")


def _check_cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("value not returned")
    finally:
        cache.delete(key)


CHECKS = {"database": _check_database, "cache": _check_cache}


@never_cache
def healthz(request):
    checks, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure is reported, never raised
            healthy = False
            checks[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:200]}
        else:
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
