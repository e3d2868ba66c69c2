"""docs/metrics.md, written from the metric declarations so the page cannot drift from them.

`python manage.py describe_metrics --write` rewrites it; a test fails when the committed page
differs from what the declarations give (a metric added, renamed or redefined).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from .metrics import CARDS, KINDS, METRICS, SHEETS

PAGE = Path(settings.BASE_DIR) / "docs" / "metrics.md"

# How each kind turns (numerator, denominator) into the value shown.
KIND_WORDS = {
    "count": "count (the numerator)",
    "rate": "per cent (numerator × 100 / denominator)",
    "per10k": "per 10,000 (numerator × 10,000 / denominator)",
    "per1000": "per 1,000 (numerator × 1,000 / denominator)",
    "money": "yuan (the numerator is summed in fen)",
    "average": "mean (numerator / denominator)",
}

HEAD = """# Monthly metrics

Every figure of the dashboard, the stats API (`/api/v1/stats/`) and the month's report
(print and Excel) is one of the metrics below. Each is declared once, in the `metrics.py` of
the app whose data it reads (`reports/metrics.py` for the registry, assessments, visits,
facilities and subsidies; `workforce/`, `supervision/` and `homecare/` for theirs), with its
name, kind, definition, the sheet of the month's workbook it stands on and, for some, a card of
the dashboard. The monthly job (`compute_monthly_stats`, Celery beat on the 1st at 02:00)
computes every metric per village (per street for facility coverage), stores numerator and
denominator, and sums both up the region tree, so a street's rate is its villages' visits over
its villages' elders, never an average of rates. A re-run that changes a figure keeps the old
value as a revision.

This page is written from the declarations: after adding or changing a metric run
`python manage.py describe_metrics --write` (a test fails until the page matches).

Kinds: {kinds}.

"""


def render() -> str:
    """The page, in English with the Chinese name beside each metric."""
    kinds = "; ".join(f"`{code}` {KIND_WORDS[code]}" for code in KINDS)
    parts = [HEAD.replace("{kinds}", kinds)]
    by_sheet: dict[str, list] = {sheet: [] for sheet in SHEETS}
    for metric in METRICS.values():
        by_sheet[metric.sheet].append(metric)
    for sheet, declared in by_sheet.items():
        if not declared:
            continue
        with translation.override("zh-hans"):
            sheet_zh = str(SHEETS[sheet])
        with translation.override("en"):
            parts.append(f"## {SHEETS[sheet]} ({sheet_zh})\n\n")
        parts.append("| code | name | 名称 | kind | card | definition |\n| --- | --- | --- | --- | --- | --- |\n")
        for m in declared:
            with translation.override("zh-hans"):
                name_zh = str(m.label)
            with translation.override("en"):
                card = str(CARDS[m.card]) if m.card else ""
                definition = " ".join(str(m.definition).split()).replace("|", "\\|")
                scheme = " Also computed per subsidy scheme, as `code.SCHEME`." if m.per_scheme else ""
                parts.append(f"| `{m.code}` | {m.label} | {name_zh} | {m.kind} | {card} | {definition}{scheme} |\n")
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"
