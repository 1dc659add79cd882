from django.core.management.base import BaseCommand

from citizen_services.services import close_lapsed_payments
from citizen_services.tasks import retry_notifications


class Command(BaseCommand):
    help = (
        "Daily round of citizen services: send again the staff notifications that failed, and "
        "close applications whose processing fee went unpaid for 20 working days (109号)."
    )

    def handle(self, *args, **options):
        closed = close_lapsed_payments()
        retry_notifications.enqueue()
        self.stdout.write(
            f"{closed} application(s) closed for an unpaid fee; notifications retried."
        )
