"""The subsidy applications as a workbook: the list page's download and its background job build
it with the same function, masked as every export is and audited as the others."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eldercare.spreadsheets import streamed_workbook
from elders.rules import mask_id_number
from jobs.kinds import Outcome, job_kind
from regions.scope import sees_personal_data

from . import selectors
from .choices import ApplicationStatus
from .rules import mask_account


def applications_list(user, status: str = ""):
    rows = selectors.applications_in_scope(user).order_by("-submitted_at", "-pk")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    return rows


def _beneficiary(application) -> tuple[str, str, str, str]:
    """Name, kind, ID number and region of whom the scheme pays."""
    if application.elder_id:
        e = application.elder
        return e.name, str(_("Elder")), e.id_number, e.residence.name
    if application.facility_id:
        f = application.facility
        return f.name, str(_("Facility")), "", f.region.name if f.region_id else ""
    c = application.caregiver
    return c.name, str(_("Caregiver")), c.id_number, c.provider.name


def applications_export(user, queryset, progress=None) -> Outcome:
    # Full numbers for the roles that see personal data; full bank accounts only for those that
    # also approve the payment rolls (the bank roster's readers).
    unmasked = sees_personal_data(user)
    accounts = unmasked and user.has_perm("subsidies.change_disbursementbatch")
    total = max(1, queryset.count()) if progress is not None else 1
    headings = [
        _("Applicant"),
        _("Kind"),
        _("ID number"),
        _("Community or unit"),
        _("Scheme"),
        _("Status"),
        _("Waiting at level"),
        _("Submitted on"),
        _("Public notice until"),
        _("Decided on"),
        _("Claimed cost (yuan)"),
        _("Payee"),
        _("Payee bank account"),
    ]
    count = [0]

    def lines():
        for index, a in enumerate(queryset.prefetch_related(None).iterator(2_000)):
            if progress is not None and index % 500 == 0:
                progress(100 * index / total)
            name, kind, number, place = _beneficiary(a)
            count[0] += 1
            yield [
                name,
                kind,
                number if unmasked or not number else mask_id_number(number),
                place,
                a.scheme.name,
                a.get_status_display(),
                a.get_level_display() if a.level else "",
                timezone.localtime(a.submitted_at).date().isoformat(),
                a.notice_until.isoformat() if a.notice_until else "",
                timezone.localtime(a.decided_at).date().isoformat() if a.decided_at else "",
                a.claimed_cost,
                a.payee_name,
                a.payee_account if accounts or not a.payee_account else mask_account(a.payee_account),
            ]

    content = streamed_workbook(_("Subsidy applications"), headings, lines())
    return Outcome(
        content=content,
        filename="subsidy-applications.xlsx",
        what=_("subsidy applications"),
        rows=count[0],
        unmasked=unmasked,
        result={"rows": count[0]},
    )


def _summary(result: dict) -> list[tuple[str, int]]:
    return [(_("Rows"), result.get("rows", 0))]


@job_kind(
    "subsidies.applications",
    label=gettext_lazy("Subsidy applications export"),
    summary=_summary,
    back="subsidies:applications",
)
def run_applications_export(job, progress) -> Outcome:
    queryset = applications_list(job.owner, job.params.get("status", ""))
    return applications_export(job.owner, queryset, progress)
