import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from review.tasks import send_deadline_reminders
from supervision.tasks import daily_supervision


class Command(BaseCommand):
    help = (
        "The platform's clock: publishes scheduled items (publish_scheduled) every minute; once "
        "a day sends publication deadline reminders and runs the citizen services' daily job "
        "(lapsed fee notices, retried notifications) and the units' self-inspection and scores. "
        "Run one instance beside the app servers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")
        parser.add_argument("--once", action="store_true", help="run one round and exit")

    def handle(self, *args, interval, once, **options):
        reminded_on = None
        while True:
            call_command("publish_scheduled", verbosity=0)
            today = timezone.localdate()
            if reminded_on != today:
                send_deadline_reminders.enqueue()
                call_command("citizen_services_daily", verbosity=0)
                daily_supervision.enqueue()  # self-inspection and scores
                reminded_on = today
            if once:
                return
            time.sleep(interval)
