from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect

from .models import FormerHostname, UnitPage

FORMER_HOSTNAMES_CACHE_KEY = "unit_sites:former_hostnames"


def former_hostnames():
    """hostname → unit id, cached: this runs on every request and almost never changes."""
    return cache.get_or_set(
        FORMER_HOSTNAMES_CACHE_KEY,
        lambda: dict(FormerHostname.objects.values_list("hostname", "unit_id")),
        timeout=300,
    )


class FormerHostnameRedirectMiddleware:
    """Send requests for a retired subsite hostname to the unit's current location,
    keeping the path below the unit (so every old link lands on the same page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unit_id = former_hostnames().get(request.get_host().rsplit(":", 1)[0].lower())
        if unit_id is not None:
            unit = UnitPage.objects.filter(pk=unit_id).first()
            unit_url = unit.get_full_url() if unit else None
            if unit_url:
                target = unit_url.rstrip("/") + request.path
                if request.META.get("QUERY_STRING"):
                    target += "?" + request.META["QUERY_STRING"]
                return HttpResponsePermanentRedirect(target)
        return self.get_response(request)
