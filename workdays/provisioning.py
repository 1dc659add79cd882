"""The working-day calendar's part of provisioning: the city's disclosure office keeps it."""

from unit_sites.permissions import grant_office_permissions

CALENDAR_PERMISSIONS = (
    "add_calendarday",
    "change_calendarday",
    "delete_calendarday",
    "add_holidayarrangement",
    "change_holidayarrangement",
    "delete_holidayarrangement",
)


def grant_calendar_to_city_office(unit, spec=None):
    """One calendar serves the whole platform, so only the city's office (市政务公开办)
    edits it; county offices see the deadlines it produces."""
    grant_office_permissions(unit, "workdays", CALENDAR_PERMISSIONS, city_only=True)
