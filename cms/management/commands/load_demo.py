import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from annual_reports.demo import load_annual_report_demo
from cms.demo import load_demo
from cms.demo_content import load_demo_content
from supervision.demo import load_supervision_demo
from unit_sites.models import UnitPage


class Command(BaseCommand):
    help = "Load the Hegang demo platform (idempotent: loading twice duplicates nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, port, **options):
        password = settings.GONGKAI_DEMO_PASSWORD
        with transaction.atomic():
            load_demo(password, port=port, log=self.stdout.write)
        # Content is loaded by the command only: the test suite's demo stays lean.
        load_demo_content(log=self.stdout.write)
        load_annual_report_demo(log=self.stdout.write)
        load_supervision_demo(log=self.stdout.write)
        call_command("update_index", verbosity=0)

        self.stdout.write(self.style.SUCCESS("\n演示平台 / Demo platform"))
        for unit in UnitPage.objects.live().order_by("path"):
            self.stdout.write(f"  {'  ' * (unit.depth - 2)}{unit.title}  {unit.get_full_url()}")
        self.stdout.write(f"\n后台 / Admin: http://localhost:{port}/admin/")
        self.stdout.write(
            "账号 / Accounts: admin, webteam, gongkaiban, <slug>-editor, <slug>-reviewer, "
            "<slug>-secrecy, <district or county slug>-office"
        )
        self.stdout.write(f"密码 / Password: {password}")
