"""Registry at city scale: seed time, and the admin list against a trivial page (same run)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from eldercare.benchmarking import median_ms
from elders.demo import seed


class Command(BaseCommand):
    help = (
        "Seed N demo elders (default 1,000,000) and print the seed time and the median response "
        "times of the admin elder list, its search and filters, and the API list, each next to "
        "a trivial page measured in the same run. Needs PostgreSQL (--force to run on SQLite)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--elders", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--keep", action="store_true", help="reuse an existing demo of that size")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, elders, repeat, keep, force, **options):
        if connection.vendor != "postgresql" and not force:
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL (or pass --force).")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        result = seed(elders=elders, reset=not keep)
        if result.elders:
            self.stdout.write(
                f"seed_demo --elders {elders:,}: {result.seconds:.1f} s "
                f"({result.elders / max(result.seconds, 1e-9):,.0f} elders/s)"
            )
        User = get_user_model()
        admin = User.objects.get(username="admin")
        street = User.objects.get(username="street")
        client = Client()
        client.force_login(admin)
        street_client = Client()
        street_client.force_login(street)
        anon = Client()

        def get(c, url):
            def call():
                response = c.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return call

        def raw_sql():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT e.id, e.name, e.sex, e.birth_date, r.name FROM elders_elder e "
                    "JOIN regions_region r ON r.code = e.residence_id ORDER BY e.id DESC LIMIT 50"
                )
                cursor.fetchall()

        trivial = median_ms(get(anon, "/accounts/login/"), repeat)
        rows = [
            ("trivial page (login form)", trivial),
            ("raw SQL: first page of elders", median_ms(raw_sql, repeat)),
            (
                "admin elder list (superuser, whole city)",
                median_ms(get(client, "/admin/elders/elder/"), repeat),
            ),
            ("admin elder list, page 50", median_ms(get(client, "/admin/elders/elder/?p=50"), repeat)),
            (
                "admin elder list, search by name prefix",
                median_ms(get(client, "/admin/elders/elder/?q=王"), repeat),
            ),
            (
                "admin elder list, street filter + status",
                median_ms(
                    get(client, "/admin/elders/elder/?region=330302006000&status__exact=registered"), repeat
                ),
            ),
            (
                "admin elder list (street officer)",
                median_ms(get(street_client, "/admin/elders/elder/"), repeat),
            ),
            ("worker page: my elders (street officer)", median_ms(get(street_client, "/"), repeat)),
            ("API /api/v1/elders/ (superuser)", median_ms(get(client, "/api/v1/elders/"), repeat)),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM elders_elder")
            total = cursor.fetchone()[0]
        self.stdout.write(f"\nelders in the database: {total:,}; median of {repeat} runs each")
        self.stdout.write(f"{'what':<46}{'ms':>9}{'× trivial':>11}")
        for label, ms in rows:
            self.stdout.write(f"{label:<46}{ms:>9.1f}{ms / trivial:>11.1f}")
