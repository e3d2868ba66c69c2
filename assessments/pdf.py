"""The printed assessment report (老年人能力评估报告) and the assessment part of the printed file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from eldercare import pdf
from regions.models import StaffProfile

from . import rules
from .instrument import INDICATORS, ITEMS


def file_part(ctx: dict, elder, unmasked: bool) -> list:
    current = ctx["current"]
    if current is None:
        return [pdf.text(_("No valid ability assessment."))]
    rows = [
        (_("Ability grade"), ctx["current_label"]),
        (_("Care level"), ctx["care_level"]),
        (_("Assessed on"), f"{current.assessed_on:%Y-%m-%d}"),
        (_("Valid until"), f"{current.valid_until:%Y-%m-%d}" if current.valid_until else ""),
    ]
    return [pdf.fields(rows)]


def _assessor_rows(assessment) -> list[tuple[str, str]]:
    """Each assessor's name and certificate number, the one who recorded it first (one query)."""
    signers = sorted(assessment.assessors.all(), key=lambda u: (u.pk != assessment.created_by_id, u.pk))
    certificates = dict(
        StaffProfile.objects.filter(user__in=signers).values_list("user_id", "certificate_number")
    )
    return [(u.get_full_name() or u.get_username(), certificates.get(u.pk, "")) for u in signers]


def report(request, assessment, *, unmasked: bool) -> bytes:
    elder = assessment.elder
    scored = assessment.items
    story = [
        pdf.heading(_("Person assessed")),
        pdf.fields(
            [
                (_("Name"), elder.name),
                (_("Sex"), elder.get_sex_display()),
                (_("ID number"), elder.id_number if unmasked else elder.masked_id_number),
                (_("Age"), _("%(age)s years") % {"age": elder.age_on(assessment.assessed_on)}),
                (_("Residence"), elder.residence.full_name()),
                (_("Reason"), assessment.get_reason_display()),
                (_("Assessed on"), f"{assessment.assessed_on:%Y-%m-%d}"),
                (_("Assessment agency"), assessment.agency),
            ]
        ),
    ]
    for indicator in INDICATORS:
        items = [i for i in ITEMS if i.indicator == indicator.code]
        subtotal = (assessment.subtotals or {}).get(indicator.code, rules.subtotals(scored)[indicator.code])
        story.append(
            pdf.heading(
                _("%(code)s %(name)s: %(score)s of %(max)s points")
                % {
                    "code": indicator.code,
                    "name": indicator.name,
                    "score": subtotal,
                    "max": indicator.max_score,
                }
            )
        )
        story.append(
            pdf.table(
                [_("Item"), _("Score"), _("Meaning")],
                [
                    (
                        f"{item.code} {item.name}",
                        f"{scored[item.code]}/{item.max_score}"
                        if item.code in scored
                        else f"—/{item.max_score}",
                        item.anchors[scored[item.code]] if item.code in scored else "",
                    )
                    for item in items
                ],
                widths=[0.26, 0.1, 0.64],
            )
        )
    result = [
        (_("Total score"), assessment.total_score if assessment.total_score is not None else ""),
        (_("Preliminary grade"), rules.grade_label(assessment.preliminary_grade)),
        (_("Ability grade"), rules.grade_label(assessment.grade)),
        (_("Status"), assessment.get_status_display()),
        (_("Valid until"), f"{assessment.valid_until:%Y-%m-%d}" if assessment.valid_until else ""),
        (
            _("Confirmed on"),
            f"{timezone.localtime(assessment.confirmed_at):%Y-%m-%d}" if assessment.confirmed_at else "",
        ),
    ]
    story += [pdf.heading(_("Result")), pdf.fields(result)]
    if assessment.adjustments:
        story += [
            pdf.spacer(2),
            pdf.text(_("Adjustments") + "：" + "；".join(map(str, assessment.adjustments))),
        ]
    assessors = _assessor_rows(assessment)
    story += [
        pdf.heading(_("Assessors")),
        pdf.table(
            [_("Assessor"), _("Name"), _("Certificate number")],
            [(_("Assessor %(n)s") % {"n": n}, name, cert) for n, (name, cert) in enumerate(assessors, 1)],
            widths=[0.2, 0.4, 0.4],
        ),
        pdf.spacer(4),
        pdf.signature_lines(
            [_("The elder or family"), _("Assessor %(n)s") % {"n": 1}, _("Assessor %(n)s") % {"n": 2}]
        ),
    ]
    frame = pdf.Frame(
        title=_("Elderly ability assessment report"),
        unit=assessment.agency or pdf.reporting_unit(request.user, elder.residence.full_name()),
        on=assessment.assessed_on,
    )
    return pdf.render(frame, story)
