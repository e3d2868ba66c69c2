from django.core.management.base import BaseCommand

from elders.demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = (
        "Build the deterministic demo city: Wenzhou (3303) with its real divisions, the national "
        "and Wenzhou policy packs, elders spread over several streets, and an account for every "
        "role. Re-running keeps an existing demo (use --reset to rebuild it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--elders", type=int, default=5_000, help="how many elders (default 5,000)")
        parser.add_argument(
            "--seed",
            dest="random_seed",
            type=int,
            default=20231001,
            help="random seed (same seed, same city)",
        )
        parser.add_argument("--reset", action="store_true", help="delete the demo elders first")

    def handle(self, *args, elders, random_seed, reset, **options):
        result = seed(elders=elders, seed=random_seed, reset=reset)
        if result.elders:
            self.stdout.write(
                self.style.SUCCESS(f"Seeded {result.elders:,} elders in {result.seconds:.1f} s.")
            )
        else:
            self.stdout.write("The demo city already exists (use --reset to rebuild it).")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'username':<12}{'role':<20}region")
        for username, role, region in result.staff:
            self.stdout.write(f"{username:<12}{role:<20}{region}")
        self.stdout.write("\nWorker pages: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
