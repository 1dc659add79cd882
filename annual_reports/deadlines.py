"""Which annual reports are due and not yet published (Art. 49 of the 2019 Regulations)."""

from django.utils import timezone

from unit_sites.models import UnitPage

from .generation import due_date, previous_year
from .models import AnnualReportPage


def _created_after(unit, year):
    created = unit.first_published_at
    return created is not None and timezone.localtime(created).year > year


def unpublished_reports(units, today=None):
    """For the year before `today`: each unit of `units` without a published report, with its
    due date (31 January for departments, 31 March for governments) and its draft, if any.
    From 1 January until the report is published. Units created after that year owe none."""
    today = today or timezone.localdate()
    year = previous_year(today)
    units = list(UnitPage.objects.filter(pk__in=units).live().order_by("path"))
    reports = {
        report.unit_id: report
        for report in AnnualReportPage.objects.filter(unit__in=units, report_year=year)
    }
    missing = []
    for unit in units:
        if _created_after(unit, year):
            continue  # a unit that did not exist that year owes no report for it
        report = reports.get(unit.pk)
        if report is not None and report.live:
            continue
        due = due_date(unit, year)
        missing.append(
            {
                "unit": unit,
                "year": year,
                "due": due,
                "overdue": today > due,
                "days_left": (due - today).days,
                "report": report,
                "in_review": bool(report and report.workflow_in_progress),
            }
        )
    missing.sort(key=lambda entry: (entry["due"], entry["unit"].path))
    return missing
