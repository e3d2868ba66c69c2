"""Supervision pages: plans and the draw, inspections on a phone, rectification orders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from elders.rules import mask_phone
from facilities.selectors import facilities_in_scope
from regions.models import Region
from regions.scope import restrict, sees_personal_data, user_region_code
from services.services import provider_of

from . import selectors, services
from .choices import Outcome, Severity
from .forms import (
    AnswerForm,
    CaseActionForm,
    ComplaintForm,
    PlanForm,
    RatingForm,
    ReinspectionForm,
    ReplyForm,
    SatisfactionForm,
)


def _errors(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
    )


@login_required
def home(request):
    user = request.user
    if not (
        user.has_perm("supervision.view_inspection") or user.has_perm("supervision.view_rectificationorder")
    ):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "supervision/home.html",
        {
            "plans": selectors.plans_in_scope(user)[:20],
            "todo": selectors.my_open_inspections(user),
            "orders": selectors.open_orders(user)[:50],
            "today": today,
        },
    )


@login_required
@permission_required("supervision.add_inspectionplan", raise_exception=True)
def plan_new(request):
    form = PlanForm(request.POST or None, inspectors=selectors.inspector_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = Region.objects.filter(code=user_region_code(request.user)).first()
        if region is None:
            raise Http404
        try:
            plan = services.create_plan(
                acting_user=request.user,
                region=region,
                year=data["year"],
                title=data["title"],
                facility_kinds=data["facility_kinds"],
                share_percent=data["share_percent"],
                months=data["months"],
                inspectors=data["inspectors"],
                inspectors_per_team=data["inspectors_per_team"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("supervision:plan", pk=plan.pk)
    elif request.method == "POST":
        messages.error(request, _form_errors(form))
    return render(request, "supervision/plan_new.html", {"form": form})


@login_required
@permission_required("supervision.view_inspectionplan", raise_exception=True)
def plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.plans_in_scope(request.user), pk=pk)
    inspections = list(selectors.inspections_of(plan))
    again = services.reproduce_draw(plan)
    drawn = sorted(
        (i.facility_id, i.month, tuple(sorted(u.pk for u in i.inspectors.all()))) for i in inspections
    )
    reproduced = (
        sorted((d.facility, d.month, d.inspectors) for d in again) == drawn if plan.drawn_at else None
    )
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": plan,
            "inspections": inspections,
            "reproduced": reproduced,
            "pool_size": len(plan.drawn_pool.get("facilities", [])),
        },
    )


@login_required
@require_POST
@permission_required("supervision.change_inspectionplan", raise_exception=True)
def plan_draw(request, pk: int):
    plan = get_object_or_404(selectors.plans_in_scope(request.user), pk=pk)
    try:
        drawn = services.draw_plan(acting_user=request.user, plan=plan)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(n)s facilities were drawn.") % {"n": len(drawn)})
    return redirect("supervision:plan", pk=pk)


@login_required
@permission_required("supervision.view_inspection", raise_exception=True)
def inspection(request, pk: int):
    obj = get_object_or_404(selectors.inspections_in_scope(request.user), pk=pk)
    done = {r.item_id: r for r in selectors.results_of(obj)}
    # A recorded inspection shows the items it judged (the pack may have changed since).
    items = (
        [r.item for r in done.values()]
        if done
        else list(selectors.items_of(selectors.checklists_for_facility(obj.facility)))
    )
    if request.method == "POST":
        results = {
            item.pk: {
                "outcome": request.POST.get(f"outcome-{item.pk}"),
                "note": request.POST.get(f"note-{item.pk}", ""),
                "severity": request.POST.get(f"severity-{item.pk}") or None,
                "photo": request.FILES.get(f"photo-{item.pk}"),
            }
            for item in items
        }
        try:
            on = timezone.datetime.fromisoformat(request.POST.get("inspected_on", "")).date()
        except ValueError:
            messages.error(request, _("Inspected on: enter a date."))
        else:
            try:
                services.record_inspection(
                    acting_user=request.user,
                    inspection=obj,
                    results=results,
                    inspected_on=on,
                    summary=request.POST.get("summary", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("The inspection was recorded."))
                return redirect("supervision:inspection", pk=pk)
    return render(
        request,
        "supervision/inspection.html",
        {
            "inspection": obj,
            "items": items,
            "rows": [(item, done.get(item.pk)) for item in items],
            "may_record": obj.status == "planned" and services.may_inspect(request.user, obj),
            "outcomes": Outcome.choices,
            "severities": Severity.choices,
            "today": timezone.localdate(),
            "posted": request.POST,
        },
    )


def _order(request, pk: int):
    return get_object_or_404(selectors.orders_for(request.user), pk=pk)


@login_required
@permission_required("supervision.view_rectificationorder", raise_exception=True)
def order_detail(request, pk: int):
    order = _order(request, pk)
    user = request.user
    today = timezone.localdate()
    return render(
        request,
        "supervision/order.html",
        {
            "order": order,
            "overdue": order.overdue_since is not None
            or (order.status in ("open", "answered") and today > order.deadline),
            "may_answer": order.status in ("open", "answered")
            and provider_of(user) is not None
            and provider_of(user).pk == order.operator_id,
            "may_reinspect": order.status in ("open", "answered")
            and user.has_perm("supervision.add_inspectionresult"),
            "may_record_case": user.has_perm("supervision.add_caseaction"),
            "answer_form": AnswerForm(),
            "reinspect_form": ReinspectionForm(initial={"on": today}),
            "case_form": CaseActionForm(initial={"on": today}),
            "credit": selectors.credit_of(order),
        },
    )


def _post(request, pk: int, form_class, call):
    order = _order(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("supervision:order", pk=pk)
    try:
        call(order, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("supervision:order", pk=pk)


@login_required
@require_POST
def order_answer(request, pk: int):
    return _post(
        request,
        pk,
        AnswerForm,
        lambda order, d: services.answer_order(
            acting_user=request.user, order=order, answer=d["answer"], evidence=d["evidence"]
        ),
    )


@login_required
@require_POST
def order_reinspect(request, pk: int):
    return _post(
        request,
        pk,
        ReinspectionForm,
        lambda order, d: services.reinspect(
            acting_user=request.user, order=order, rectified=d["rectified"], note=d["note"], on=d["on"]
        ),
    )


@login_required
@require_POST
def order_case(request, pk: int):
    return _post(
        request,
        pk,
        CaseActionForm,
        lambda order, d: services.record_case_action(acting_user=request.user, order=order, **d),
    )


@login_required
@permission_required("supervision.view_inspectionresult", raise_exception=True)
def result_photo(request, pk: int):
    result = get_object_or_404(selectors.results_in_scope(request.user).exclude(photo=""), pk=pk)
    return FileResponse(result.photo.open("rb"))


@login_required
@permission_required("supervision.view_rectificationorder", raise_exception=True)
def order_evidence(request, pk: int):
    order = get_object_or_404(selectors.orders_for(request.user).exclude(evidence=""), pk=pk)
    return FileResponse(order.evidence.open("rb"), as_attachment=True)


# --- complaints and ratings -----------------------------------------------------------------------


def _complaint_choices(user) -> dict:
    from services.models import Caregiver, Provider

    return {
        "facilities": facilities_in_scope(user).order_by("name"),
        "providers": restrict(Provider.objects.all(), user).order_by("name"),
        "caregivers": restrict(Caregiver.objects.filter(active=True), user).order_by("name"),
    }


@login_required
@permission_required("supervision.view_complaint", raise_exception=True)
def complaints(request):
    today = timezone.localdate()
    return render(
        request,
        "supervision/complaints.html",
        {
            "complaints": selectors.complaints_in_scope(request.user)[:100],
            "tasks": selectors.tasks_in_scope(request.user).filter(status="open")[:50],
            "today": today,
        },
    )


@login_required
@permission_required("supervision.add_complaint", raise_exception=True)
def complaint_new(request):
    form = ComplaintForm(request.POST or None, **_complaint_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.file_complaint(acting_user=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("The complaint was taken in; it is due for a reply by %(d)s.") % {"d": complaint.deadline},
            )
            return redirect("supervision:complaint", pk=complaint.pk)
    elif request.method == "POST":
        messages.error(request, _form_errors(form))
    return render(request, "supervision/complaint_new.html", {"form": form})


@login_required
@permission_required("supervision.view_complaint", raise_exception=True)
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(selectors.complaints_in_scope(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                services.reply_complaint(
                    acting_user=user, complaint=complaint, reply=request.POST.get("reply", "")
                )
            elif action == "satisfaction":
                services.record_satisfaction(
                    acting_user=user, complaint=complaint, satisfaction=request.POST.get("satisfaction", "")
                )
            elif action == "inspect":
                services.inspect_on_complaint(acting_user=user, complaint=complaint, inspectors=[user])
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("supervision:complaint", pk=pk)
    handles = user.has_perm("supervision.change_complaint")
    return render(
        request,
        "supervision/complaint.html",
        {
            "complaint": complaint,
            "phone": complaint.complainant_phone
            if sees_personal_data(user)
            else mask_phone(complaint.complainant_phone),
            "overdue": complaint.overdue_since is not None
            or (complaint.status == "open" and timezone.localdate() > complaint.deadline),
            "may_reply": handles and complaint.status == "open",
            "may_rate": handles and complaint.status == "replied",
            "may_inspect": handles
            and user.has_perm("supervision.add_inspectionresult")
            and not complaint.inspection_id
            and (complaint.facility_id or complaint.provider_id),
            "reply_form": ReplyForm(),
            "satisfaction_form": SatisfactionForm(),
        },
    )


@login_required
@permission_required("supervision.add_servicerating", raise_exception=True)
def rate(request, kind: str, pk: int):
    from services.models import ServiceRecord, Visit

    model = {"service": ServiceRecord, "visit": Visit}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(restrict(model.objects.select_related("elder"), request.user), pk=pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_service(
                acting_user=request.user,
                score=data["score"],
                rater=data["rater"],
                reasons=data["reasons"],
                comment=data["comment"],
                **{"service_record" if kind == "service" else "visit": target},
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The rating was recorded."))
            return redirect("supervision:rate", kind=kind, pk=pk)
    elif request.method == "POST":
        messages.error(request, _form_errors(form))
    existing = getattr(target, "rating", None) if hasattr(target, "rating") else None
    return render(
        request, "supervision/rate.html", {"form": form, "target": target, "kind": kind, "existing": existing}
    )
