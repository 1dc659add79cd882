from django.core.management.base import BaseCommand

from review.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Email Art. 9 publication deadline reminders (run daily; run_scheduler does it for you)."

    def handle(self, *args, **options):
        result = send_deadline_reminders.enqueue()
        self.stdout.write(f"reminders: {result.id} {result.status}")
