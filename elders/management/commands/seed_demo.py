from django.core.management.base import BaseCommand

from elders.demo import DEMO_PASSWORD, seed

# What each demo account's day holds, in the order a visitor might try them.
TRY = (
    ("worker", "visits due this month (call, record one with a problem); register an elder with the region picker; "
     "apply for 免费居家养老服务 (演示金额) from 应享未享 with a bank account; resubmit the returned application"),
    ("assessor", "the assessment requests; record one on a phone; assessor2 confirms it as the second assessor"),
    ("street", "applications waiting for the street's review; overdue follow-ups; the community's due list"),
    ("district", "applications passed by the street; facilities and the wait-list offer of 鹿城区养老服务中心"),
    ("city", "run last month's payment roll of 高龄津贴 (演示金额), decide its cross-checks, approve it, download "
     "the roster; set up a scheme by form; create a staff account; the admin at /admin/"),
    ("provider", "the facility's offers and admissions: admit the offered applicant to a free bed"),
    ("leader", "the dashboard: drill from the city to a community, open 应享未享 behind its number, export it"),
    ("health", "the plan tasks of 市卫健委: report progress with evidence"),
)


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
        self.stdout.write("\nWhat to try with each (every account opens on its inbox):")
        for username, what in TRY:
            self.stdout.write(f"  {username:<10}{what}")
        self.stdout.write("\nWorker pages: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
