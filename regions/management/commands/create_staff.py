from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.choices import Role
from regions.services import create_staff


class Command(BaseCommand):
    help = "Create (or update) a staff account with a role and a region of responsibility."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", required=True, help="12-digit division code")
        parser.add_argument("--password", help="required for a new account")
        parser.add_argument("--certificate", default="", help="assessor certificate number")
        parser.add_argument("--name", default="", help="the person's name")
        parser.add_argument(
            "--department",
            default=None,
            help="the responsible unit of the account's division it reports for (e.g. 市卫健委); '' removes it",
        )

    def handle(self, *args, username, role, region, password, certificate, name, department, **options):
        try:
            profile, created = create_staff(
                username=username,
                role=role,
                region_code=region,
                password=password,
                certificate_number=certificate,
                full_name=name,
                department=department,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {username}: {profile.get_role_display()} of {profile.region.full_name()} "
                f"({profile.region.code})."
            )
        )
