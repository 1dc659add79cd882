"""The synonym table's part of provisioning: the city's disclosure office (市政务公开办) keeps it,
like the working-day calendar: one table serves the whole platform."""

from django.contrib.auth.models import Permission

SYNONYM_PERMISSIONS = ("add_synonym", "change_synonym", "delete_synonym", "view_synonym")


def grant_synonyms_to_city_office(unit, spec=None):
    from unit_sites.models import UnitKind, UnitRole

    if unit.kind != UnitKind.CITY_GOVERNMENT:
        return
    office = unit.role_groups.filter(role=UnitRole.OFFICE).select_related("group").first()
    if office is None:
        return
    office.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="search", codename__in=SYNONYM_PERMISSIONS
        )
    )
