from django.core.management.base import BaseCommand

from reports.metric_docs import PAGE, render


class Command(BaseCommand):
    help = "Print docs/metrics.md from the metric declarations (--write rewrites the file)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="rewrite docs/metrics.md")

    def handle(self, *args, write, **options):
        page = render()
        if write:
            PAGE.write_text(page, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {PAGE}."))
        else:
            self.stdout.write(page, ending="")
