"""Each unit's review workflow, and how an approved item is published."""

from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from unit_sites.models import UnitRole
from unit_sites.permissions import grant_office_permissions

from .models import FilingTask, ScreeningTask, SecrecyReviewTask, UnitReviewTask
from .offices import filing_office_for, office_group


def shared_screening_task():
    task = ScreeningTask.objects.filter(active=True).first()
    return task or ScreeningTask.objects.create(name=_("Automatic screening"))


def create_unit_workflow(unit, spec=None):
    """Provisioner: screening → unit review → secrecy review → office filing, on the unit's
    subtree (its sub-units have workflows of their own, which take precedence)."""
    if WorkflowPage.objects.filter(page=unit).exists():
        return
    groups = {rg.role: rg.group for rg in unit.role_groups.select_related("group")}
    review = UnitReviewTask.objects.create(name=_("%(unit)s: review") % {"unit": unit.display_name})
    review.groups.set([groups[UnitRole.REVIEWER]])
    secrecy = SecrecyReviewTask.objects.create(
        name=_("%(unit)s: secrecy review") % {"unit": unit.display_name}
    )
    secrecy.groups.set([groups[UnitRole.SECRECY]])
    office_unit = filing_office_for(unit)
    filing = FilingTask.objects.create(
        name=_("%(office)s: filing of %(unit)s")
        % {"office": office_unit.display_name, "unit": unit.display_name}
    )
    filing.groups.set([group for group in [office_group(office_unit)] if group])

    workflow = Workflow.objects.create(
        name=_("%(unit)s review workflow") % {"unit": unit.display_name}
    )
    for order, task in enumerate([shared_screening_task(), review, secrecy, filing]):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.create(page=unit, workflow=workflow)


def grant_office_registers(unit, spec=None):
    """Provisioner: a disclosure office may read the filings register (filtered to its units)."""
    grant_office_permissions(unit, "review", ["view_filingrecord"])
