from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.bag import verify_bag


class Command(BaseCommand):
    help = "Check an archive package: every file present, unchanged and listed (exit 1 if not)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package directory")

    def handle(self, *args, **options):
        problems = verify_bag(options["path"])
        if problems:
            lines = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(
                _("The archive package %(path)s is not valid (%(count)s problem(s)):\n%(lines)s")
                % {"path": options["path"], "count": len(problems), "lines": lines}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("The archive package %(path)s is complete and unchanged.")
                % {"path": options["path"]}
            )
        )
