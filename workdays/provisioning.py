"""The working-day calendar's part of provisioning: the city's disclosure office keeps it."""

from django.contrib.auth.models import Permission

from unit_sites.models import UnitKind, UnitRole

CALENDAR_PERMISSIONS = ("add_calendarday", "change_calendarday", "delete_calendarday")


def grant_calendar_to_city_office(unit, spec=None):
    """One calendar serves the whole platform, so only the city's office (市政务公开办)
    edits it; county offices see the deadlines it produces."""
    if unit.kind != UnitKind.CITY_GOVERNMENT:
        return
    office = unit.role_groups.filter(role=UnitRole.OFFICE).select_related("group").first()
    if office is None:
        return
    office.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workdays", codename__in=CALENDAR_PERMISSIONS
        )
    )
