"""The daily supervision job (django-tasks: inline by default, queued in production), run by
`run_scheduler` once a day: inspect every unit, then score them under the current schemes."""

from django.utils import timezone
from django_tasks import task

from unit_sites.models import UnitPage

from .inspection import run_inspection
from .models import InspectionRun, ScoringScheme
from .scoring import score_units


def daily_supervision_run(today=None):
    today = today or timezone.localdate()
    units = list(UnitPage.objects.live().order_by("path"))
    run = run_inspection(units, today=today, trigger=InspectionRun.Trigger.SCHEDULED)
    schemes = ScoringScheme.objects.filter(period_start__lte=today, period_end__gte=today)
    for scheme in schemes:
        score_units(scheme, units, today=today)
    return run.pk


@task()
def daily_supervision():
    """Returns the id of the inspection run (a JSON-serialisable task result)."""
    return daily_supervision_run()
