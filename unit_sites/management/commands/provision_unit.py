from django.core.management.base import BaseCommand, CommandError

from unit_sites.models import UnitKind
from unit_sites.provisioning import ProvisioningError, UnitSpec, provision_unit


class Command(BaseCommand):
    help = (
        "Provision a unit in one step: its page (subsite or section), catalogue, groups, "
        "permissions, collection and first accounts. Re-running for the same slug changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=UnitKind.values)
        parser.add_argument("--org-code", required=True)
        parser.add_argument("--parent", help="slug of the parent unit (omit for the portal)")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--hostname", help="own subsite hostname; omit for a section")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--address", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--office-hours", default="")
        parser.add_argument("--complaint-channel", default="")
        parser.add_argument("--password", help="password for the first accounts (default: random)")

    def handle(self, *args, **options):
        spec = UnitSpec(
            slug=options["slug"],
            name=options["name"],
            kind=options["kind"],
            org_code=options["org_code"],
            parent_slug=options["parent"],
            short_name=options["short_name"],
            hostname=options["hostname"],
            port=options["port"],
            address=options["address"],
            phone=options["phone"],
            email=options["email"],
            office_hours=options["office_hours"],
            complaint_channel=options["complaint_channel"],
            password=options["password"],
        )
        try:
            result = provision_unit(spec)
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(result.message) if result.created else result.message)
        self.stdout.write(result.unit.full_url or "")
        for username, password in result.accounts.items():
            self.stdout.write(f"  {username}  {password}")
