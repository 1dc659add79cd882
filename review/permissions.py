"""Who may act on a unit's items outside the workflow tasks (override, withdraw)."""

from django.contrib.auth.models import Group
from django.db.models import Q

from unit_sites.models import UnitPage, UnitRole
from unit_sites.permissions import WEB_TEAM_GROUP_NAME


def _role_groups(unit, roles):
    """Groups playing `roles` for the unit, plus the disclosure offices above it."""
    ancestors = UnitPage.objects.ancestor_of(unit, inclusive=True)
    return Group.objects.filter(
        Q(unit_role__unit=unit, unit_role__role__in=roles)
        | Q(unit_role__unit__in=ancestors, unit_role__role=UnitRole.OFFICE)
        | Q(name=WEB_TEAM_GROUP_NAME)
    )


def _in_any(user, groups):
    return user.is_superuser or user.groups.filter(pk__in=groups.values("pk")).exists()


def can_override_screening(user, unit):
    return unit is not None and _in_any(user, _role_groups(unit, [UnitRole.SECRECY]))


def can_withdraw(user, unit, *, secrecy_emergency=False):
    roles = [UnitRole.SECRECY] if secrecy_emergency else [UnitRole.REVIEWER, UnitRole.SECRECY]
    return unit is not None and _in_any(user, _role_groups(unit, roles))


def can_see_records(user, page):
    """Anyone who can edit the item, or who may withdraw or override for its unit."""
    unit = getattr(page, "unit", None)
    return page.permissions_for_user(user).can_edit() or can_withdraw(user, unit)
