from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policies.checks import check_packs
from policies.documents import PACKS_DIR, TEXTS_DIR


class Command(BaseCommand):
    help = (
        "Check every policy pack's sources: each document key resolves and each quote occurs in the "
        "document's text (whitespace aside, full-/half-width punctuation unified)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--documents",
            default=str(TEXTS_DIR),
            help="folder with the documents' full texts (default: policy_packs/documents)",
        )
        parser.add_argument(
            "--packs", default=str(PACKS_DIR), help="folder of the packs (default: policy_packs)"
        )

    def handle(self, *args, documents, packs, **options):
        texts, folder = Path(documents), Path(packs)
        if not texts.is_dir():
            raise CommandError(f"No documents folder {texts}.")
        reports = check_packs(folder, texts)
        errors = []
        for r in reports:
            line = (
                f"{r.name}: {r.values} values, {r.verified} verified quotes, {r.readings} readings"
                + f"; documents without text: {', '.join(r.without_text) or '-'}"
            )
            self.stdout.write(line)
            errors += [f"{r.name}/{e}" for e in r.errors]
        if errors:
            for e in errors:
                self.stderr.write(e)
            raise CommandError(f"{len(errors)} source problem(s) in the packs.")
        self.stdout.write(self.style.SUCCESS("Every quote was found in its document."))
