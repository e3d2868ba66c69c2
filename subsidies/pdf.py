"""The printed subsidy application and approval form (补贴申请审批表) and the subsidy part of the
printed elder's file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from eldercare import pdf
from elders.rules import mask_id_number

from . import rules
from .choices import Frequency, Level
from .selectors import facts_for


def _yuan(amount) -> str:
    return "" if amount is None else _("%(amount)s yuan") % {"amount": amount}


def file_part(ctx: dict, elder, unmasked: bool) -> list:
    frequencies = dict(Frequency.choices)
    eligible = [
        (
            row["name"],
            _yuan(row["amount"]),
            frequencies.get(row["frequency"], ""),
            _("%(other)s pays more") % {"other": row["excluded_by"]} if row.get("excluded_by") else "",
        )
        for row in ctx["rows"]
        if row["eligible"]
    ]
    return [
        pdf.table(
            [_("Scheme"), _("Amount"), _("Frequency"), _("Notes")], eligible, widths=[0.4, 0.2, 0.15, 0.25]
        ),
        pdf.spacer(2),
        pdf.text(_("Payments"), "small"),
        pdf.table(
            [_("Month"), _("Scheme"), _("Amount"), _("Status")],
            [
                (p.period, p.entitlement.scheme.name, _yuan(p.amount), p.get_status_display())
                for p in ctx["payments"][:12]
            ],
            widths=[0.15, 0.45, 0.2, 0.2],
        ),
    ]


def _beneficiary_rows(application, unmasked: bool) -> list[tuple]:
    if application.elder_id:
        elder = application.elder
        return [
            (_("Applicant"), elder.name),
            (_("Sex"), elder.get_sex_display()),
            (_("ID number"), elder.id_number if unmasked else elder.masked_id_number),
            (_("Age"), _("%(age)s years") % {"age": elder.age}),
            (_("Residence"), elder.residence.full_name()),
            (_("Phone"), elder.phone if unmasked else elder.masked_phone),
        ]
    if application.facility_id:
        facility = application.facility
        return [(_("Applicant"), facility.name), (_("Region"), facility.region.full_name())]
    caregiver = application.caregiver
    return [
        (_("Applicant"), caregiver.name),
        (_("ID number"), caregiver.id_number if unmasked else mask_id_number(caregiver.id_number)),
        (_("Employer"), caregiver.provider.name),
    ]


def _amount(application):
    """What the approval pays: the entitlement's amount once there is one, else the scheme's
    amount for the elder today, else the cost claimed."""
    entitlement = getattr(application, "entitlement", None)
    if entitlement is not None:
        return entitlement.amount
    if application.elder_id:
        facts = facts_for(application.elder, timezone.localdate())
        return rules.amount(application.scheme.amount_rule, facts)
    return application.claimed_cost


def application_form(request, application, *, unmasked: bool) -> bytes:
    scheme = application.scheme
    levels = dict(Level.choices)
    story = [
        pdf.heading(_("Applicant")),
        pdf.fields(_beneficiary_rows(application, unmasked)),
        pdf.heading(_("What is applied for")),
        pdf.fields(
            [
                (_("Scheme"), scheme.name),
                (_("Frequency"), dict(Frequency.choices).get(scheme.frequency, "")),
                (_("Amount"), _yuan(_amount(application))),
                (_("Claimed cost"), _yuan(application.claimed_cost)),
                (_("Payee"), application.payee_name),
                # The last four digits for every reader, as on the file page: the full account
                # is the bank roster's, for the roles that approve rolls.
                (_("Payee bank account"), rules.mask_account(application.payee_account)),
                (
                    _("Submitted by"),
                    application.submitted_by.get_full_name() or application.submitted_by.get_username(),
                ),
                (_("Submitted at"), f"{timezone.localtime(application.submitted_at):%Y-%m-%d %H:%M}"),
                (_("Status"), application.get_status_display()),
                (
                    _("Public notice until"),
                    f"{application.notice_until:%Y-%m-%d}" if application.notice_until else "",
                ),
            ]
        ),
        pdf.heading(_("Review")),
        pdf.table(
            [_("Level"), pgettext("review", "Decision"), _("Reviewer"), _("Decided at"), _("Opinion")],
            [
                (
                    step.get_level_display(),
                    step.get_decision_display(),
                    step.reviewer.get_full_name() or step.reviewer.get_username(),
                    f"{timezone.localtime(step.decided_at):%Y-%m-%d %H:%M}",
                    step.comment,
                )
                for step in application.steps.all()
            ],
            widths=[0.14, 0.12, 0.16, 0.2, 0.38],
        ),
        pdf.spacer(2),
        pdf.signature_lines([_("The applicant or agent"), _("Handled by")]),
    ]
    # One signed and sealed opinion per level the scheme is reviewed at.
    for level in scheme.review_levels or []:
        heading = pdf.heading(_("Opinion of the %(level)s level") % {"level": levels.get(level, "")})
        story.append(pdf.together(heading, pdf.signature_lines([_("Person in charge")], seal=True)))
    frame = pdf.Frame(
        title=_("Subsidy application and approval form"),
        unit=pdf.reporting_unit(request.user, str(application.beneficiary)),
        on=timezone.localdate(),
    )
    return pdf.render(frame, story)
