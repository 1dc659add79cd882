from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.services import BackupError, create_backup, default_backup_dir


class Command(BaseCommand):
    help = _(
        "Write a consistent backup of the database and the media files: one .tar.gz archive "
        "with a manifest of checksums, and a .sha256 file beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help=_("Directory for the archive (default: var/backups)."),
        )

    def handle(self, *args, **options):
        output = options["output"] or default_backup_dir()
        try:
            archive = create_backup(output, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        # The last line is the archive's path alone, for scripts.
        self.stdout.write(str(archive))
