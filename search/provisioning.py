"""The synonym table's part of provisioning: the city's disclosure office (市政务公开办) keeps it,
like the working-day calendar: one table serves the whole platform."""

SYNONYM_PERMISSIONS = ("add_synonym", "change_synonym", "delete_synonym", "view_synonym")


def grant_synonyms_to_city_office(unit, spec=None):
    from unit_sites.permissions import grant_office_permissions

    grant_office_permissions(unit, "search", SYNONYM_PERMISSIONS, city_only=True)
