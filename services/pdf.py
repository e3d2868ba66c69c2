"""The caring-visit and basic-service parts of the printed elder's file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from eldercare import pdf


def entitlements_part(ctx: dict, elder, unmasked: bool) -> list:
    catalogue = ctx["catalogue"]
    if catalogue is None:
        return [pdf.text(_("No service list is published for this region."))]
    return [
        pdf.text(f"{catalogue.title}（{catalogue.version}）", "small"),
        pdf.spacer(1),
        pdf.table(
            [_("Service"), _("Why")],
            [(row["name"], "；".join(map(str, row["reasons"]))) for row in ctx["qualifies"]],
            widths=[0.4, 0.6],
        ),
    ]


def visits_part(ctx: dict, elder, unmasked: bool) -> list:
    parts = [
        pdf.table(
            [_("Visited at"), _("Method"), pgettext("visit", "Outcome"), _("Problems"), _("Visitor")],
            [
                (
                    f"{timezone.localtime(v.visited_at):%Y-%m-%d %H:%M}",
                    v.get_method_display(),
                    v.get_outcome_display(),
                    "、".join(v.problem_labels()),
                    v.visitor.get_full_name() or v.visitor.get_username(),
                )
                for v in ctx["visits"]
            ],
            widths=[0.2, 0.16, 0.18, 0.28, 0.18],
        )
    ]
    for f in ctx["open_follow_ups"]:
        parts += [
            pdf.spacer(1),
            pdf.text(
                _("Open follow-up") + f"：{f.get_problem_display()}，" + _("due") + f" {f.due_on:%Y-%m-%d}",
                "small",
            ),
        ]
    return parts
