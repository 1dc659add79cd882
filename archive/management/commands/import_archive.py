from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.bag import ArchiveError, import_bag


class Command(BaseCommand):
    help = (
        "Restore an archive package into an installation where its unit exists but none of "
        "its items: pages, 索引号, attachments, revisions and review records, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package directory")
        parser.add_argument(
            "--user",
            help="account recorded as restoring the items, and for records whose archived "
            "account does not exist here",
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No account named %(name)s.") % {"name": options["user"]})
        try:
            result = import_bag(options["path"], user=user)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(pages)s item(s), %(documents)s document(s), %(images)s image(s) "
                    "and %(revisions)s revision(s)."
                )
                % {
                    "pages": len(result.pages),
                    "documents": result.documents,
                    "images": result.images,
                    "revisions": result.revisions,
                }
            )
        )
