"""The residency part of the printed elder's file: where the elder lives, waits or has a family bed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eldercare import pdf


def residency_part(ctx: dict, elder, unmasked: bool) -> list:
    stay = ctx["residency"]
    rows = []
    if stay is not None:
        rows.append((_("Lives in"), stay.facility.name))
        rows.append((_("Bed"), stay.bed))
        rows.append((_("Admitted on"), f"{stay.admitted_on:%Y-%m-%d}"))
    else:
        rows.append((_("Lives in"), _("Not living in a facility.")))
    for w in ctx["waitlist"]:
        place = (
            _("position %(position)s") % {"position": w["position"]}
            if w["position"]
            else _("not in the queue")
        )
        rows.append(
            (_("Wait-list"), f"{w['entry'].facility.name}，{place}，{w['entry'].get_status_display()}")
        )
    bed = ctx["family_bed"]
    if bed is not None:
        rows.append((_("Family care bed"), f"{bed.provider.name}，{bed.service_package}"))
    parts = [pdf.fields(rows, columns=1)]
    if ctx["past"]:
        parts += [
            pdf.spacer(2),
            pdf.table(
                [_("Facility"), _("Admitted on"), _("Discharged on"), _("Reason")],
                [
                    (
                        r.facility.name,
                        f"{r.admitted_on:%Y-%m-%d}",
                        f"{r.discharged_on:%Y-%m-%d}",
                        r.get_discharge_reason_display(),
                    )
                    for r in ctx["past"]
                ],
                widths=[0.4, 0.18, 0.18, 0.24],
            ),
        ]
    return parts
