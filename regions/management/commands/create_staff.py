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

    def handle(self, *args, username, role, region, password, certificate, name, **options):
        try:
            profile, created = create_staff(
                username=username,
                role=role,
                region_code=region,
                password=password,
                certificate_number=certificate,
                full_name=name,
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
