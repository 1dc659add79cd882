from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unit_sites.models import UnitPage
from unit_sites.presence import move_to_own_site, move_to_section


class Command(BaseCommand):
    help = "Move a unit to its own subsite (--hostname) or back to a section of its parent's site."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--hostname")
        target.add_argument("--section", action="store_true")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, slug, hostname, section, port, **options):
        unit = UnitPage.objects.filter(slug=slug).first()
        if unit is None:
            raise CommandError(_("Unknown unit “%(slug)s”.") % {"slug": slug})
        try:
            if section:
                move_to_section(unit)
            else:
                move_to_own_site(unit, hostname.lower(), port)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(UnitPage.objects.get(pk=unit.pk).full_url))
