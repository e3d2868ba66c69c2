"""Worker pages for subsidies: apply from the eligibility list, track applications, review queues,
and the payment roll's review page. Each view reads through a selector and writes through a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import record_full_copy
from core.pages import add_errors, object_or_404, visible
from core.periods import previous_period
from eldercare.pdf import pdf_response
from eldercare.spreadsheets import workbook_response
from elders.file_sections import file_section
from elders.models import Elder
from elders.rules import mask_id_number
from jobs.pages import export
from regions.scope import sees_personal_data

from . import disbursement, pdf, rules, selectors, services, workbooks
from .choices import ApplicationStatus
from .forms import (
    RULE_KINDS,
    ApproveRollForm,
    CheckDecisionForm,
    DocumentForm,
    OrganisationApplyForm,
    PayeeChangeForm,
    PayeeForm,
    ReviewForm,
    RollRunForm,
    SchemeForm,
)
from .models import Entitlement, Scheme
from .policy import scheme_settings


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
@permission_required("subsidies.add_application", raise_exception=True)
def eligible(request):
    """Elders of the worker's region who qualify for a scheme but have neither it nor an open application."""
    groups = selectors.application_candidates(request.user, timezone.localdate())
    return render(request, "subsidies/eligible.html", {"groups": groups})


@login_required
@permission_required("subsidies.add_application", raise_exception=True)
def apply(request, elder_pk: int):
    """The application for one elder and scheme: for a cash scheme, the payee and bank account."""
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    code = request.POST.get("scheme") or request.GET.get("scheme", "")
    scheme = get_object_or_404(Scheme, code=code, active=True, beneficiary="elder")
    form = PayeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(
                acting_user=request.user, elder=elder, scheme=scheme, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s: application for %(scheme)s submitted.")
                % {"name": elder.name, "scheme": scheme.name},
            )
            return redirect("subsidies:applications")
    return render(
        request,
        "subsidies/apply.html",
        {"elder": elder, "scheme": scheme, "form": form, "cash": scheme.payment_form == "cash"},
    )


@login_required
@permission_required("subsidies.view_application", raise_exception=True)
def applications(request):
    status = request.GET.get("status", "")
    rows = workbooks.applications_list(request.user, status)
    if request.GET.get("format") == "xlsx":
        return export(
            request,
            rows,
            kind="subsidies.applications",
            params={"status": status},
            build=lambda: workbooks.applications_export(request.user, rows),
        )
    return render(
        request,
        "subsidies/applications.html",
        {
            "applications": rows[:200],
            "status": status,
            "view_statuses": ApplicationStatus.choices,
            "document_form": DocumentForm(),
        },
    )


@login_required
@require_POST
@permission_required("subsidies.add_application", raise_exception=True)
def resubmit(request, pk: int):
    application = get_object_or_404(selectors.applications_in_scope(request.user), pk=pk)
    try:
        services.resubmit_application(acting_user=request.user, application=application)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The application was resubmitted."))
    return redirect("subsidies:applications")


@login_required
@require_POST
@permission_required("subsidies.add_application", raise_exception=True)
def add_document(request, pk: int):
    application = get_object_or_404(selectors.applications_in_scope(request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("subsidies:applications")
    try:
        services.add_application_document(
            acting_user=request.user, application=application, **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The document was added."))
    return redirect("subsidies:applications")


@login_required
@permission_required("subsidies.view_application", raise_exception=True)
def application_pdf(request, pk: int):
    """The application and approval form of an application the list or the queue shows."""
    application = get_object_or_404(
        selectors.applications_in_scope(request.user).select_related("entitlement"), pk=pk
    )
    unmasked = sees_personal_data(request.user)
    content = pdf.application_form(request, application, unmasked=unmasked)
    record_full_copy(request, unmasked=unmasked, what=_("subsidy application form (PDF)"), object_id=application.pk)
    name = _("Subsidy application %(name)s.pdf") % {"name": application.beneficiary}
    return pdf_response(content, name, f"application-{application.pk}.pdf")


@login_required
@permission_required("subsidies.change_application", raise_exception=True)
def review_queue(request):
    return render(
        request,
        "subsidies/review_queue.html",
        {"applications": selectors.review_queue(request.user)[:200], "form": ReviewForm()},
    )


@login_required
@require_POST
@permission_required("subsidies.change_application", raise_exception=True)
def review(request, pk: int):
    application = get_object_or_404(selectors.applications_in_scope(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject."))
        return redirect("subsidies:review-queue")
    try:
        services.review_application(acting_user=request.user, application=application, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(name)s: decision recorded.") % {"name": application.beneficiary})
    return redirect("subsidies:review-queue")


@login_required
@permission_required("subsidies.view_disbursementbatch", raise_exception=True)
def batches(request):
    # The inbox links here for the rolls still waiting for approval.
    pending = request.GET.get("status") == "draft"
    rows = selectors.rolls_to_approve(request.user) if pending else selectors.batches_in_scope(request.user)
    rows = rows.order_by("-period", "scheme__code", "region_id")[:200]
    context = {"batches": rows, "pending": pending}
    if request.user.has_perm("subsidies.add_rollrun"):
        context["run_form"] = RollRunForm(
            initial={"period": previous_period()}, regions=selectors.roll_regions(request.user)
        )
        context["runs"] = selectors.roll_runs_in_scope(request.user)[:10]
    return render(request, "subsidies/batches.html", context)


@login_required
@require_POST
@permission_required("subsidies.add_rollrun", raise_exception=True)
def run_roll(request):
    regions = list(selectors.roll_regions(request.user))
    form = RollRunForm(request.POST, regions=regions)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("subsidies:batches")
    region = next(r for r in regions if r.code == form.cleaned_data["region"])
    try:
        run = disbursement.request_roll(
            acting_user=request.user, period=form.cleaned_data["period"], region=region
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return redirect("subsidies:batches")
    return redirect("subsidies:run", pk=run.pk)


@login_required
@permission_required("subsidies.view_rollrun", raise_exception=True)
def run_detail(request, pk: int):
    """A roll run's progress; the page asks again every two seconds until it has finished."""
    run = get_object_or_404(selectors.roll_runs_in_scope(request.user), pk=pk)
    rolls = selectors.batches_in_scope(request.user).filter(
        period=run.period, region_id=disbursement.roll_region(run.region_id)
    )
    template = "subsidies/_run_progress.html" if request.htmx else "subsidies/run_detail.html"
    return render(request, template, {"run": run, "rolls": rolls})


@login_required
@permission_required("subsidies.view_disbursementbatch", raise_exception=True)
def batch_detail(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    # The findings as they stand now (a death reported since the run shows at once); decisions kept.
    disbursement.record_checks(batch)
    search = request.GET.get("q", "").strip()
    payees = Paginator(selectors.batch_payees(batch, search), 50).get_page(request.GET.get("page"))
    unmasked = sees_personal_data(request.user)
    for row in payees:
        row.shown_id_number = row.id_number if unmasked else mask_id_number(row.id_number or "")
        row.shown_account = row.payee_account if unmasked else rules.mask_account(row.payee_account)
    checks = list(selectors.roll_checks(batch))
    return render(
        request,
        "subsidies/batch_detail.html",
        {
            "batch": batch,
            "checks": checks,
            "open_checks": sum(1 for c in checks if c.decision == "open"),
            "no_visit_months": scheme_settings(batch.region_id).no_visit_months,
            "diff": disbursement.diff_against_previous(batch),
            "totals": selectors.batch_totals(batch),
            "payees": payees,
            "search": search,
            "approve_form": ApproveRollForm(),
        },
    )


@login_required
@require_POST
@permission_required("subsidies.change_rollcheck", raise_exception=True)
def decide_checks(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    form = CheckDecisionForm(request.POST, check_ids=batch.checks.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, _("Choose at least one payee and a decision."))
        return redirect("subsidies:batch", pk=batch.pk)
    try:
        done = disbursement.decide_checks(acting_user=request.user, batch=batch, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Decision recorded for %(n)d cross-checks.") % {"n": done})
    return redirect(f"{reverse('subsidies:batch', args=[batch.pk])}#checks")


@login_required
@require_POST
@permission_required("subsidies.change_disbursementbatch", raise_exception=True)
def approve_batch(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    form = ApproveRollForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("subsidies:batch", pk=batch.pk)
    try:
        disbursement.approve_batch(acting_user=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The payment roll was approved and is locked."))
    return redirect("subsidies:batch", pk=batch.pk)


@login_required
@permission_required("subsidies.view_disbursementbatch", raise_exception=True)
def payees_workbook(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    content = disbursement.payee_workbook(
        acting_user=request.user, batch=batch, search=request.GET.get("q", "").strip()
    )
    return workbook_response(content, f"payees-{batch.period}-{batch.scheme.code}.xlsx")


@login_required
@permission_required("subsidies.change_disbursementbatch", raise_exception=True)
def roster(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    try:
        content = disbursement.roster_workbook(acting_user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("subsidies:batch", pk=batch.pk)
    return workbook_response(content, f"roster-{batch.period}-{batch.scheme.code}.xlsx")


@login_required
def organisation(request, kind: str, pk: int):
    """A facility's or caregiver's subsidies: the schemes for it with the reasons, the application
    form (with the claimed cost where the amount is a share of it), its applications, entitlements
    and payments. Open to whoever may see it; applying is for its operator's account and bureau staff
    (the service decides)."""
    needed = "facilities.view_facility" if kind == "facility" else "services.view_caregiver"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    subject = get_object_or_404(selectors.applicable_subjects(request.user, kind), pk=pk)
    if request.method == "POST":
        form = OrganisationApplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        else:
            scheme = get_object_or_404(
                Scheme, code=form.cleaned_data["scheme"], active=True, beneficiary=kind
            )
            try:
                services.submit_application(
                    acting_user=request.user,
                    scheme=scheme,
                    claimed_cost=form.cleaned_data["claimed_cost"],
                    **{kind: subject},
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s: application for %(scheme)s submitted.")
                    % {"name": subject, "scheme": scheme.name},
                )
        return redirect(f"subsidies:{kind}", pk=pk)
    return render(
        request,
        "subsidies/organisation.html",
        {
            "subject": subject,
            "kind": kind,
            "schemes": selectors.organisation_schemes(subject, kind, timezone.localdate()),
            **selectors.organisation_subsidies(request.user, subject, kind),
        },
    )


@file_section(
    "subsidies",
    title=gettext_lazy("Subsidies: eligibility and payments"),
    template="subsidies/file_section.html",
    order=27,
    printed=pdf.file_part,
)
def subsidies_section(request, elder) -> dict:
    entitlements = selectors.live_cash_entitlements_of_elder(request.user, elder)
    for entitlement in entitlements:
        # The file page shows the last four digits to everyone: the full account is the bank
        # roster's, for the roles that approve rolls.
        entitlement.shown_account = rules.mask_account(entitlement.payee_account)
    return {
        "rows": selectors.eligibility_for(elder, timezone.localdate()),
        "payments": selectors.payments_of_elder(request.user, elder),
        "entitlements": entitlements,
        "may_change_payee": request.user.has_perm("subsidies.change_entitlement"),
    }


@login_required
@permission_required("subsidies.change_entitlement", raise_exception=True)
def payee_change(request, pk: int):
    """A new payee or bank account for one of an elder's live cash subsidies."""
    entitlement = object_or_404(
        request, Entitlement.objects.select_related("scheme", "elder"), "change", pk=pk, elder__isnull=False
    )
    form = PayeeChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_payee(
                acting_user=request.user,
                entitlement=entitlement,
                payee_name=data["payee_name"],
                payee_account=data["payee_account"],
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s: %(scheme)s is now paid into the account ending %(last)s.")
                % {
                    "name": entitlement.elder.name,
                    "scheme": entitlement.scheme.name,
                    "last": rules.normal_account(data["payee_account"])[-4:],
                },
            )
            return redirect("elders:elder-detail", pk=entitlement.elder_id)
    return render(
        request,
        "subsidies/payee_change.html",
        {
            "entitlement": entitlement,
            "form": form,
            "shown_account": rules.mask_account(entitlement.payee_account),
        },
    )


# --- the bureau's schemes: who qualifies, the amounts, review and activation by form --------------


@login_required
@permission_required("subsidies.change_scheme", raise_exception=True)
def schemes(request):
    """The schemes the account may change (its region's and those under it), with what is open."""
    found = visible(request, Scheme.objects.select_related("region"), "change").order_by("code")
    rows = [{"scheme": s, "missing": len(rules.missing_amounts(s.amount_rule))} for s in found]
    return render(request, "subsidies/schemes.html", {"rows": rows})


@login_required
@permission_required("subsidies.change_scheme", raise_exception=True)
def scheme_edit(request, pk: int):
    scheme = object_or_404(request, Scheme.objects.select_related("region"), "change", pk=pk)
    # ?advanced=1: the condition as data, for a shape the boxes cannot hold (a negation, ...).
    form = SchemeForm(request.POST or None, scheme=scheme, as_data=request.GET.get("advanced") == "1")
    today = timezone.localdate()
    preview = None
    if request.method == "POST" and form.is_valid():
        eligibility = form.eligibility()
        amount_rule = form.amount_rule()
        if not form.errors:
            data = form.cleaned_data
            if request.POST.get("action") == "preview":
                preview = _preview(request, scheme, eligibility, form, today)
            else:
                try:
                    services.update_scheme(
                        scheme=scheme,
                        acting_user=request.user,
                        eligibility=eligibility,
                        amount_rule=amount_rule,
                        review_levels=data["review_levels"],
                        notice_days=data["notice_days"],
                        active=data["active"],
                        inactive_reason=data["inactive_reason"],
                    )
                except ValidationError as exc:
                    form.apply_errors(exc)
                else:
                    messages.success(request, _("%(scheme)s was saved.") % {"scheme": scheme.name})
                    return redirect("subsidies:scheme", pk=scheme.pk)
    return render(
        request,
        "subsidies/scheme_form.html",
        {
            "scheme": scheme,
            "form": form,
            "preview": preview,
            "eligible_now": selectors.eligible_count(scheme, request.user, today),
            "rule_kind": RULE_KINDS.get(scheme.amount_rule.get("kind"), ""),
        },
    )


def _preview(request, scheme: Scheme, eligibility: dict, form: SchemeForm, today) -> int:
    """How many would qualify under the edited (and already checked) condition."""
    candidate = Scheme(
        pk=scheme.pk, region=scheme.region, beneficiary=scheme.beneficiary, eligibility=eligibility
    )
    return selectors.eligible_count(candidate, request.user, today)
