from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.services import load_regions


class Command(BaseCommand):
    help = (
        "Load the administrative divisions under a code prefix (e.g. 4113), with their "
        "ancestors. Idempotent. Reads the committed data/regions/ unless --source is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefix", nargs="?", default="", help="code prefix, e.g. 3303")
        parser.add_argument(
            "--source",
            type=Path,
            help="a folder with the china-division CSV files (provinces/cities/areas/streets/villages.csv)",
        )

    def handle(self, *args, prefix, source, **options):
        try:
            result = load_regions(prefix=prefix, source=source)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        levels = ", ".join(f"{k}: {v}" for k, v in result.by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions under '{prefix or '*'}': {result.created} created, "
                f"{result.updated} updated ({levels})."
            )
        )
        if "village" not in result.by_level and len(prefix) < 12:
            self.stdout.write(
                self.style.WARNING(
                    "No communities/villages under this prefix in the source; "
                    "pass --source with the full china-division files to load them."
                )
            )
