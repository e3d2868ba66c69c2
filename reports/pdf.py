"""The month's report as PDF: the printable page's figures with 填报单位, 填报日期 and the seal."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from eldercare import pdf


def _value(stat, kind: str) -> str:
    if kind == "count" and stat.value == int(stat.value):
        return str(int(stat.value))  # a head count has no decimals
    shown = number_format(stat.value, 2)
    return f"{shown}%" if kind == "rate" else shown


def month_report(request, ctx: dict) -> bytes:
    """`ctx` is the printable page's context (reports.views._context)."""
    region, period, run = ctx["region"], ctx["period"], ctx["run"]
    story = [
        pdf.text(
            _("Region: %(name)s, month: %(period)s") % {"name": region.full_name(), "period": period or "—"}
        ),
    ]
    if run is not None:
        story.append(
            pdf.text(
                _("Computed %(at)s over the data as of %(as_of)s.")
                % {
                    "at": f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}",
                    "as_of": f"{timezone.localtime(run.data_as_of):%Y-%m-%d %H:%M}",
                },
                "small",
            )
        )
    story += [
        pdf.spacer(2),
        pdf.table(
            [_("Metric"), _("Numerator"), _("Denominator"), _("Value")],
            [
                (
                    row["label"],
                    row["stat"].numerator,
                    row["stat"].denominator or "",
                    _value(row["stat"], row["kind"]),
                )
                for row in ctx["rows"]
                if row["stat"]
            ],
            widths=[0.52, 0.16, 0.16, 0.16],
        ),
    ]
    if ctx["children"]:
        story += [
            pdf.heading(_("Visit rate by sub-region")),
            pdf.table(
                [_("Region"), _("Visited"), _("Value")],
                [
                    (r.name, f"{s.numerator}/{s.denominator}", f"{number_format(s.value, 1)}%")
                    for r, s in ctx["children"]
                ],
                widths=[0.5, 0.25, 0.25],
            ),
        ]
    unit = pdf.reporting_unit(request.user, region.full_name())
    story += [
        pdf.spacer(6),
        pdf.signature_lines([_("Filled in by"), _("Checked by")], seal=True, unit=unit),
    ]
    frame = pdf.Frame(
        title=_("%(name)s: basic elderly-care services") % {"name": region.name} + f"　{period or ''}",
        unit=unit,
        on=timezone.localdate(),
    )
    return pdf.render(frame, story)
