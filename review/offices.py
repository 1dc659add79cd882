"""Which disclosure office oversees a unit."""

from unit_sites.models import UnitKind, UnitPage, UnitRole


def filing_office_for(unit):
    """The government whose office files a unit's changes to functions and powers (Art. 9):
    a county/district's office for its departments, the city office for everyone else."""
    above = UnitPage.objects.ancestor_of(unit).filter(kind__in=UnitKind.governments())
    return above.order_by("-depth").first() or unit


def office_group(government_unit):
    role_group = (
        government_unit.role_groups.filter(role=UnitRole.OFFICE).select_related("group").first()
    )
    return role_group.group if role_group else None
