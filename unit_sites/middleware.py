from django.http import HttpResponsePermanentRedirect

from . import structure
from .models import FormerHostname, UnitPage


def former_hostnames():
    """hostname → unit id, kept in memory: this runs on every request and almost never
    changes (a change bumps the structure version: unit_sites.signals)."""
    return structure.remember(
        "former-hostnames",
        lambda: dict(FormerHostname.objects.values_list("hostname", "unit_id")),
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
