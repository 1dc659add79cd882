"""Who may see and handle a unit's applications, complaints and ratings.

Applicants' personal data is seen only by the unit handling the request (its editors and
reviewers) and the disclosure offices above it: a unit's staff see their own unit, an office
sees its government's unit and every unit below it. The web team runs the platform but is
no handler; superusers see everything."""

from functools import reduce
from operator import or_

from django.db.models import Q

from unit_sites.models import UnitGroup, UnitPage, UnitRole
from unit_sites.permissions import offices_over

HANDLER_ROLES = (UnitRole.EDITOR, UnitRole.REVIEWER)


def handled_units(user):
    """The units whose applications and complaints `user` handles or oversees."""
    if not user.is_authenticated or not user.is_active:
        return UnitPage.objects.none()
    if user.is_superuser:
        return UnitPage.objects.all()
    roles = UnitGroup.objects.filter(group__user=user).values_list("unit__path", "role")
    conditions = [
        Q(path__startswith=path) if role == UnitRole.OFFICE else Q(path=path)
        for path, role in roles
        if role in (*HANDLER_ROLES, UnitRole.OFFICE)
    ]
    if not conditions:
        return UnitPage.objects.none()
    return UnitPage.objects.filter(reduce(or_, conditions))


def can_handle(user, unit):
    if unit is None:
        return False
    # Asked once per row of a register page: remember the answer on the request's user.
    ids = getattr(user, "_citizen_unit_ids", None)
    if ids is None:
        ids = set(handled_units(user).values_list("pk", flat=True))
        user._citizen_unit_ids = ids
    return unit.pk in ids


def can_approve_extension(user, unit):
    """The head of the disclosure office approves extensions: the office of the unit's own
    government or of any government above it."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(pk__in=offices_over(unit).values("pk")).exists()


def recording_units(user):
    """The units for which `user` records applications received offline: their own unit
    only (an office records for its own government's unit, not for the units below it)."""
    if not user.is_authenticated or not user.is_active:
        return UnitPage.objects.none()
    if user.is_superuser:
        return UnitPage.objects.all()
    paths = UnitGroup.objects.filter(
        group__user=user, role__in=(*HANDLER_ROLES, UnitRole.OFFICE)
    ).values_list("unit__path", flat=True)
    return UnitPage.objects.filter(path__in=list(paths))
