from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.services import BackupError, restore_backup


class Command(BaseCommand):
    # The database may not even have tables yet: checks that query it would fail first.
    requires_system_checks = []
    help = _(
        "Verify a backup archive and restore it into an empty installation: migrate, load the "
        "database, put back the media files, rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The .tar.gz archive (its .sha256 file beside it)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace everything in a database that is not empty."),
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help=_("Skip rebuilding the search index (run update_index later)."),
        )

    def handle(self, *args, **options):
        try:
            restore_backup(
                options["path"],
                force=options["force"],
                rebuild_index=not options["no_index"],
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
