from django.core.management.base import BaseCommand

from unit_sites.models import UnitPage
from unit_sites.provisioning import complete_unit


class Command(BaseCommand):
    help = "Add to every existing unit what newer apps provision (idempotent; run after upgrades)."

    def handle(self, *args, **options):
        for unit in UnitPage.objects.order_by("path"):
            complete_unit(unit)
        self.stdout.write(self.style.SUCCESS(f"{UnitPage.objects.count()} units up to date."))
