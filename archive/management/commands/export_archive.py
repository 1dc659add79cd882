from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.bag import ArchiveError, export_unit_year, items_for
from unit_sites.models import UnitPage


class Command(BaseCommand):
    help = (
        "Export one unit's disclosure items published in one year as a BagIt package "
        "(metadata, rendered page, attachments, revisions and review history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="slug of the unit")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", default=".", help="directory to write the package into")

    def handle(self, *args, **options):
        unit = UnitPage.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with the slug %(slug)s.") % {"slug": options["unit"]})
        count = items_for(unit, options["year"]).count()
        try:
            path = export_unit_year(unit, options["year"], options["output"])
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Archived %(count)s item(s) of %(unit)s in %(path)s")
                % {"count": count, "unit": unit.title, "path": path}
            )
        )
