"""Security's part of provisioning: the city's disclosure office keeps the sign-in rules."""

from unit_sites.permissions import grant_office_permissions


def grant_security_settings_to_city_office(unit, spec=None):
    grant_office_permissions(unit, "security", ["change_securitysettings"], city_only=True)
