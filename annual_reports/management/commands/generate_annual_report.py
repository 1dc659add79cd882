from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annual_reports.generation import generate_report


class Command(BaseCommand):
    help = (
        "Generate (or refresh) a unit's annual disclosure report for a year as a draft "
        "revision; it is published only through the review workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's slug, e.g. fgw")
        parser.add_argument("--year", required=True, type=int)

    def handle(self, *args, unit, year, **options):
        try:
            report = generate_report(unit, year)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{report.title}: draft revision saved (page {report.pk}, format {report.report_format})"
        )
