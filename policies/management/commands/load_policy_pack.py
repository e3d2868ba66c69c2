from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from policies.services import load_policy_pack


class Command(BaseCommand):
    help = "Load a city's policy pack (policy_packs/NAME/) for a region. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("name", help="national, dongguan, xianning, jilin, nanyang or wenzhou")
        parser.add_argument(
            "--region",
            help="code prefix of the region the pack governs (default: the pack's own; "
            "the national pack applies everywhere)",
        )

        parser.add_argument(
            "--only", nargs="+", metavar="SECTION", help="load only these sections (e.g. facilities)"
        )

    def handle(self, *args, name, region, only, **options):
        try:
            result = load_policy_pack(name=name, region_code=region, only=only)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        where = result.region.full_name() if result.region else "national baseline"
        self.stdout.write(
            self.style.SUCCESS(f"Loaded pack '{name}' for {where}: sections {', '.join(result.sections)}.")
        )
