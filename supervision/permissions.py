"""Who sees which unit's inspection findings and scores.

- Superusers and the city's disclosure office (政务公开办, `gongkaiban`) see every unit.
- A county or district office sees its government and every unit below it (its departments).
- A unit's own staff (editors, reviewers, secrecy reviewers) see their own unit's findings and
  score card, and nothing of other units; they see no ranking.
Only offices (and superusers) run inspections, recompute scores and adjust them; only holders
of the scheme permissions (the city office, see provisioning) define schemes."""

from functools import reduce
from operator import or_

from django.db.models import Q

from unit_sites.models import UnitGroup, UnitPage, UnitRole
from unit_sites.permissions import offices_over

STAFF_ROLES = (UnitRole.EDITOR, UnitRole.REVIEWER, UnitRole.SECRECY)


def _roles(user):
    cached = getattr(user, "_supervision_roles", None)
    if cached is None:
        cached = list(UnitGroup.objects.filter(group__user=user).values_list("unit__path", "role"))
        user._supervision_roles = cached
    return cached


def visible_units(user):
    """Live units whose findings and score the user may see."""
    if not user.is_authenticated or not user.is_active:
        return UnitPage.objects.none()
    units = UnitPage.objects.live()
    if user.is_superuser:
        return units
    conditions = [
        Q(path__startswith=path) if role == UnitRole.OFFICE else Q(path=path)
        for path, role in _roles(user)
        if role in (*STAFF_ROLES, UnitRole.OFFICE)
    ]
    if not conditions:
        return UnitPage.objects.none()
    return units.filter(reduce(or_, conditions))


def overseen_units(user):
    """Live units the user oversees as a disclosure office (ranks, recomputes, adjusts)."""
    if not user.is_authenticated or not user.is_active:
        return UnitPage.objects.none()
    units = UnitPage.objects.live()
    if user.is_superuser:
        return units
    paths = [path for path, role in _roles(user) if role == UnitRole.OFFICE]
    if not paths:
        return UnitPage.objects.none()
    return units.filter(reduce(or_, [Q(path__startswith=path) for path in paths]))


def is_office(user):
    return user.is_active and (
        user.is_superuser or any(role == UnitRole.OFFICE for _path, role in _roles(user))
    )


def can_see(user, unit):
    return visible_units(user).filter(pk=unit.pk).exists()


def can_oversee(user, unit):
    """The disclosure office of the unit's government or of one above it."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(pk__in=offices_over(unit).values("pk")).exists()


def can_see_supervision(user):
    """Whether the supervision menu shows at all."""
    return user.is_active and (user.is_superuser or bool(_roles(user)))
