"""Worker pages for subsidies: apply from the eligibility list, track applications, review queues,
and the payment roll's review page. Each view reads through a selector and writes through a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import object_or_404
from elders.file_sections import file_section
from elders.models import Elder

from . import disbursement, selectors, services
from .choices import ApplicationStatus
from .forms import DocumentForm, OrganisationApplyForm, ReviewForm
from .models import Scheme


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
@permission_required("subsidies.add_application", raise_exception=True)
def eligible(request):
    """Elders of the worker's region who qualify for a scheme but have neither it nor an open application."""
    groups = selectors.application_candidates(request.user, timezone.localdate())
    return render(request, "subsidies/eligible.html", {"groups": groups})


@login_required
@require_POST
@permission_required("subsidies.add_application", raise_exception=True)
def apply(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    scheme = get_object_or_404(Scheme, code=request.POST.get("scheme", ""), active=True)
    try:
        services.submit_application(acting_user=request.user, elder=elder, scheme=scheme)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return redirect("subsidies:eligible")
    messages.success(
        request,
        _("%(name)s: application for %(scheme)s submitted.") % {"name": elder.name, "scheme": scheme.name},
    )
    return redirect("subsidies:applications")


@login_required
@permission_required("subsidies.view_application", raise_exception=True)
def applications(request):
    status = request.GET.get("status", "")
    rows = selectors.applications_in_scope(request.user).order_by("-submitted_at", "-pk")
    if status:
        rows = rows.filter(status=status)
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
    rows = selectors.batches_in_scope(request.user).order_by("-period", "scheme__code", "region_id")[:200]
    return render(request, "subsidies/batches.html", {"batches": rows})


@login_required
@permission_required("subsidies.view_disbursementbatch", raise_exception=True)
def batch_detail(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    return render(
        request,
        "subsidies/batch_detail.html",
        {
            "batch": batch,
            "checks": disbursement.cross_checks(batch),
            "diff": disbursement.diff_against_previous(batch),
            "totals": selectors.batch_totals(batch),
        },
    )


@login_required
@require_POST
@permission_required("subsidies.change_disbursementbatch", raise_exception=True)
def approve_batch(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    try:
        disbursement.approve_batch(acting_user=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The payment roll was approved and is locked."))
    return redirect("subsidies:batch", pk=batch.pk)


@login_required
@permission_required("subsidies.change_disbursementbatch", raise_exception=True)
def roster(request, pk: int):
    batch = get_object_or_404(selectors.batches_in_scope(request.user), pk=pk)
    try:
        content = disbursement.roster_workbook(acting_user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("subsidies:batch", pk=batch.pk)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{batch.period}-{batch.scheme.code}.xlsx"'
    return response


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
)
def subsidies_section(request, elder) -> dict:
    return {
        "rows": selectors.eligibility_for(elder, timezone.localdate()),
        "payments": selectors.payments_of_elder(request.user, elder),
    }
