"""Supervision's part of provisioning: the city's disclosure office defines the scoring
schemes and the column update periods (one set for the whole platform)."""

from unit_sites.permissions import grant_office_permissions

SCHEME_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("scoringscheme", "scoringindicator", "updateperiod")
    for action in ("add", "change", "delete", "view")
]


def grant_schemes_to_city_office(unit, spec=None):
    grant_office_permissions(unit, "supervision", SCHEME_PERMISSIONS, city_only=True)
