from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unit_sites.models import UnitPage

from ...inspection import run_inspection
from ...models import InspectionRun, ScoringScheme
from ...scoring import score_units


class Command(BaseCommand):
    help = (
        "Self-inspect units against the national inspection indicators and keep the findings "
        "(every live unit, or one with --unit). --score also recomputes the current scheme's "
        "scores of the units inspected."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="slug of the one unit to inspect")
        parser.add_argument("--score", action="store_true", help="then score them")

    def handle(self, *args, unit=None, score=False, **options):
        units = UnitPage.objects.live().order_by("path")
        if unit:
            units = units.filter(slug=unit)
            if not units.exists():
                raise CommandError(_("No live unit has the slug “%(slug)s”.") % {"slug": unit})
        units = list(units)
        run = run_inspection(units, trigger=InspectionRun.Trigger.COMMAND)
        self.stdout.write(
            _("Inspection #%(run)s: %(units)s units, %(findings)s findings.")
            % {"run": run.pk, "units": len(units), "findings": run.findings.count()}
        )
        if score:
            scheme = ScoringScheme.current()
            if scheme is None:
                raise CommandError(_("There is no scoring scheme."))
            cards = score_units(scheme, units)
            for card in cards:
                self.stdout.write(f"{card.rank:>3}  {card.score:>7}  {card.unit.title}")
