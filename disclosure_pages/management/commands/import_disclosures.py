import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from disclosure_pages.importing import import_file
from unit_sites.models import UnitPage


class Command(BaseCommand):
    help = (
        "Import disclosure items from a legacy platform (JSON Lines, one record a line) into a "
        "unit's catalogue, published. Re-running updates the items imported before (same id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file; attachment paths are relative to it")
        parser.add_argument("--unit", required=True, help="slug of the unit to import into")
        parser.add_argument("--user", help="username recorded as the importer (audit log)")

    def handle(self, *args, file, unit, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        target = UnitPage.objects.filter(slug=unit).first()
        if target is None:
            raise CommandError(f"Unknown unit: {unit}")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Unknown user: {user}")

        def on_issue(kind, issue):
            if kind == "error":
                self.stderr.write(self.style.ERROR(str(issue)))
            else:
                self.stderr.write(self.style.WARNING(str(issue)))

        started = time.perf_counter()
        try:
            report = import_file(path, target, user=importer, on_issue=on_issue)
        except ValueError as error:  # no catalogue
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        rate = report.total / elapsed if elapsed else 0
        summary = f"{report.summary()} ({elapsed:.1f} s, {rate:.0f} records/s)"
        self.stdout.write(self.style.SUCCESS(summary) if not report.failed else summary)
