"""Assessor and worker pages: thin views over assessments.services and selectors."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import record_full_copy
from core.pages import object_or_404, visible
from eldercare.idempotency import idempotent_post
from eldercare.pdf import pdf_response
from elders.file_sections import file_section
from elders.models import Elder
from regions.scope import sees_personal_data

from . import pdf, rules, selectors, services
from .choices import AssessmentStatus, RequestStatus
from .forms import AssessmentForm, item_field_name
from .instrument import ITEM_CODES, ITEMS
from .models import Assessment, AssessmentRequest
from .policy import assessment_settings

_ITEM_MESSAGE = re.compile(r"^(B\.\d\.\d+)")


def _add_errors(form, exc: ValidationError) -> None:
    """Put each service error next to its field; item errors go to that item's choices."""
    for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        for message in errors:
            found = _ITEM_MESSAGE.match(message) if field == "items" else None
            if found and found.group(1) in ITEM_CODES:
                form.add_error(item_field_name(found.group(1)), message)
            elif field == "assessors":
                form.add_error("second_assessor", message)
            else:
                form.add_error(field if field in form.fields else None, message)


def _live(form, elder) -> dict:
    """Subtotals and grade of what is filled so far, for the live panel."""
    form.is_valid()
    items = form.items()
    settings = assessment_settings(elder.residence_id)
    conditions = rules.Conditions(
        coma=bool(form.cleaned_data.get("coma")),
        dementia=bool(form.cleaned_data.get("dementia")),
        psychiatric=bool(form.cleaned_data.get("psychiatric")),
        risk_events_30d=sum(v or 0 for k, v in form.cleaned_data.items() if k.startswith("risk_")),
    )
    complete = conditions.coma or len(items) == len(ITEM_CODES)
    result = rules.score(items, conditions, stack=settings.stack_raises) if complete else None
    return {
        "subtotals": rules.subtotals(items),
        "scored": len(items),
        "of": len(ITEM_CODES),
        "total": result.total if result else sum(items.values()),
        "complete": complete,
        "grade": result.grade if result else None,
        "grade_label": rules.grade_label(result.grade) if result else "",
        "adjustments": result.adjustments if result else [],
    }


def _form_page(request, form, elder, save, draft=None):
    """The assessor form's flow, shared by a new assessment and a draft being continued.

    `save(data, submit)` calls the service. The live panel scores in the page
    (static/js/scoring.js, from rules.page_scoring); the server scores again on save.
    """
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            assessment = save(form.cleaned_data, submit)
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The assessment was submitted.") if submit else _("The draft was saved.")
            )
            return redirect("assessments:detail", pk=assessment.pk)
    # The form in parts (details, the four indicators, the adjustments), each part naming the
    # next so the assessor goes through it part by part on a phone.
    parts = form.sections()
    anchors = ["part-details", *(p["anchor"] for p in parts), "part-adjustments"]
    for index, part in enumerate(parts, start=1):
        part["next"] = anchors[index + 1]
    context = {
        "form": form,
        "parts": parts,
        "first_part": anchors[1],
        "answered": sum(p["answered"] for p in parts),
        "item_count": len(ITEM_CODES),
        "elder": elder,
        "draft": draft,
        "live": _live(form, elder) if form.is_bound else None,
        "scoring": {
            **rules.page_scoring(stack=assessment_settings(elder.residence_id).stack_raises),
            "text": {
                "total": _("Total"),
                "of_items": _("%(n)s of %(of)s items"),
                "hint": _("Choose a score for each item; subtotals and the grade appear here."),
            },
        },
    }
    return render(request, "assessments/form.html", context)


def _scored_fields(form, data) -> dict:
    return {
        "assessed_on": data["assessed_on"],
        "reason": data["reason"],
        "items": form.items(),
        "coma": data["coma"],
        "dementia": data["dementia"],
        "psychiatric": data["psychiatric"],
        "risk_events": form.risk_events(),
        "agency": data["agency"],
    }


@login_required
@permission_required("assessments.add_assessment", raise_exception=True)
@idempotent_post
def new(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    form = AssessmentForm(request.POST or None, user=request.user, elder=elder)

    def save(data, submit):
        assessors = [request.user] + ([data["second_assessor"]] if data.get("second_assessor") else [])
        return services.create_assessment(
            acting_user=request.user,
            elder=elder,
            assessors=assessors,
            submit=submit,
            **_scored_fields(form, data),
        )

    return _form_page(request, form, elder, save)


@login_required
@permission_required("assessments.view_assessment", raise_exception=True)
def detail(request, pk: int):
    assessment = get_object_or_404(
        selectors.assessments_in_scope(request.user).prefetch_related("assessors"), pk=pk
    )
    signers = list(assessment.assessors.all())
    can_confirm = (
        assessment.status == AssessmentStatus.SUBMITTED
        and request.user in signers
        and request.user.pk != assessment.created_by_id
    )
    rows = [
        {
            "item": item,
            "score": assessment.items.get(item.code),
            "anchor": (item.anchors[assessment.items[item.code]] if item.code in assessment.items else ""),
        }
        for item in ITEMS
    ]
    return render(
        request,
        "assessments/detail.html",
        {
            "a": assessment,
            "signers": signers,
            "can_confirm": can_confirm,
            "rows": rows,
            "grade_label": rules.grade_label(assessment.grade),
        },
    )


@login_required
@permission_required("assessments.view_assessment", raise_exception=True)
def report_pdf(request, pk: int):
    """The assessment report with the signature lines, for the record page's object."""
    assessment = get_object_or_404(selectors.assessments_in_scope(request.user), pk=pk)
    unmasked = sees_personal_data(request.user)
    content = pdf.report(request, assessment, unmasked=unmasked)
    record_full_copy(request, unmasked=unmasked, what=_("assessment report (PDF)"), object_id=assessment.pk)
    name = _("Assessment report %(name)s %(on)s.pdf") % {
        "name": assessment.elder.name,
        "on": f"{assessment.assessed_on:%Y-%m-%d}",
    }
    return pdf_response(content, name, f"assessment-{assessment.pk}.pdf")


@login_required
@require_POST
def confirm(request, pk: int):
    assessment = get_object_or_404(selectors.assessments_in_scope(request.user), pk=pk)
    try:
        services.confirm_assessment(acting_user=request.user, assessment=assessment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The assessment was confirmed."))
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
@permission_required("assessments.add_assessmentrequest", raise_exception=True)
def request_assessment(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    try:
        services.request_assessment(acting_user=request.user, elder=elder, reason="first")
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The elder was put on the assessors' queue."))
    return redirect("elders:elder-detail", pk=elder.pk)


@login_required
@permission_required("assessments.view_assessment", raise_exception=True)
def due(request):
    today = timezone.localdate()
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    size = 50
    rows = list(selectors.due_list(request.user, today)[(page - 1) * size : page * size + 1])
    # The inbox's "待我确认" links here for the assessments waiting for this assessor's signature.
    mine = request.GET.get("mine") == "1"
    awaiting = (
        selectors.awaiting_my_confirmation(request.user) if mine else selectors.awaiting_confirmation(request.user)
    )
    return render(
        request,
        "assessments/due.html",
        {
            "rows": rows[:size],
            "has_next": len(rows) > size,
            "page": page,
            "today": today,
            "queue": list(selectors.open_requests(request.user)[:100]),
            "awaiting": list(awaiting[:100]),
            "mine": mine,
        },
    )


@login_required
@permission_required("assessments.add_assessment", raise_exception=True)
def edit(request, pk: int):
    """Continue a draft: fill the remaining items, save again or submit."""
    assessment = get_object_or_404(
        selectors.assessments_in_scope(request.user), pk=pk, status=AssessmentStatus.DRAFT
    )
    elder = assessment.elder
    initial = {
        "assessed_on": assessment.assessed_on,
        "reason": assessment.reason,
        "agency": assessment.agency,
        "coma": assessment.coma,
        "dementia": assessment.dementia,
        "psychiatric": assessment.psychiatric,
        **{item_field_name(code): score for code, score in assessment.items.items()},
        **{f"risk_{kind}": n for kind, n in assessment.risk_events.items()},
    }
    form = AssessmentForm(request.POST or None, initial=initial, user=request.user, elder=elder)
    form.fields.pop("second_assessor")

    def save(data, submit):
        return services.update_draft(
            acting_user=request.user, assessment=assessment, submit=submit, **_scored_fields(form, data)
        )

    return _form_page(request, form, elder, save, draft=assessment)


@file_section(
    "assessments",
    title=gettext_lazy("Ability assessment (GB/T 42195-2022)"),
    template="assessments/file_section.html",
    order=30,
    printed=pdf.file_part,
)
def assessments_section(request, elder) -> dict:
    today = timezone.localdate()
    current = selectors.current_grade(elder, today)
    levels = assessment_settings(elder.residence_id).care_levels
    history = list(
        visible(request, Assessment.objects.filter(elder=elder)).select_related("created_by", "confirmed_by")[
            :20
        ]
    )
    return {
        "current": current,
        "current_label": rules.grade_label(current.grade) if current else "",
        "care_level": levels.get(current.grade, "") if current else "",
        "history": history,
        "recognised": list(elder.recognised_results.all()[:10]),
        "open_request": AssessmentRequest.objects.filter(
            elder=elder, status__in=[RequestStatus.OPEN, RequestStatus.SUBMITTED]
        ).first(),
        "today": today,
    }
