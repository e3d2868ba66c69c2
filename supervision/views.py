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

from core import pages
from core.scope import restrict
from elders.rules import mask_phone
from facilities.selectors import facilities_in_scope
from regions.models import Region
from regions.scope import sees_personal_data, user_region_code
from services.services import provider_of

from . import selectors, services
from .choices import Outcome, Severity
from .forms import (
    AnswerForm,
    AssignEvaluatorsForm,
    CaseActionForm,
    ComplaintForm,
    ContractDecisionForm,
    EstateForm,
    PlanForm,
    RatingForm,
    ReinspectionForm,
    ReplyForm,
    RoomCheckForm,
    SatisfactionForm,
    StarApplyForm,
)
from .models import ResidentialEstate


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
    # ?overdue=1: the inbox's count of orders past their deadline opens only those.
    overdue = request.GET.get("overdue") == "1"
    orders = selectors.overdue_orders(user, today) if overdue else selectors.open_orders(user)
    return render(
        request,
        "supervision/home.html",
        {
            "plans": selectors.plans_in_scope(user)[:20],
            "todo": selectors.my_open_inspections(user),
            "orders": orders[:50],
            "overdue_only": overdue,
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
                publication=data["publication"],
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


# --- elder-care rooms of residential estates ---------------------------------------------------------


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
@permission_required("supervision.view_residentialestate", raise_exception=True)
def estates(request):
    year = _year(request)
    rows = selectors.estates_with_check(request.user, year)
    return render(
        request,
        "supervision/estates.html",
        {
            "year": year,
            "rows": rows,
            "checked": sum(1 for _e, c in rows if c),
            "short": sum(1 for _e, c in rows if c and c.meets_standard is False),
        },
    )


@login_required
@permission_required("supervision.add_residentialestate", raise_exception=True)
def estate_new(request):
    communities = pages.visible(request, Region.objects.filter(level="village")).order_by("code")
    form = EstateForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_estate(acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The estate was registered."))
            return redirect("supervision:estates")
    elif request.method == "POST":
        messages.error(request, _form_errors(form))
    return render(request, "supervision/estate_new.html", {"form": form})


@login_required
@permission_required("supervision.view_residentialestate", raise_exception=True)
def estate_check(request, pk: int):
    from facilities.policy import facility_settings
    from facilities.rules import required_space

    estate = pages.object_or_404(request, ResidentialEstate.objects.select_related("region"), pk=pk)
    facilities = facilities_in_scope(request.user).filter(region_id=estate.region_id).order_by("name")
    today = timezone.localdate()
    form = RoomCheckForm(request.POST or None, facilities=facilities, initial={"year": today.year, "checked_on": today})
    if request.method == "POST":
        if not request.user.has_perm("supervision.add_estateroomcheck"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_room_check(acting_user=request.user, estate=estate, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("The check was recorded."))
                return redirect("supervision:estate-check", pk=pk)
        else:
            messages.error(request, _form_errors(form))
    standard = facility_settings(estate.region_id).space
    return render(
        request,
        "supervision/estate_check.html",
        {
            "estate": estate,
            "form": form,
            "checks": estate.checks.select_related("facility", "checked_by").order_by("-year"),
            "required": required_space(
                standard, households=estate.households, estate=estate.kind, population=estate.residents
            )
            if standard
            else None,
            "standard": standard,
            "min_site": standard.min_site_m2.get(estate.kind) if standard else None,
            "may_record": request.user.has_perm("supervision.add_estateroomcheck"),
        },
    )


# --- yearly performance reviews of 公建民营 operators -----------------------------------------------


def _scores_from(request, items) -> tuple[dict, dict]:
    scores = {item.code: request.POST.get(f"points-{item.pk}", "").strip() for item in items}
    notes = {item.code: request.POST.get(f"note-{item.pk}", "") for item in items}
    return scores, notes


def _date_from(request, name: str):
    try:
        return timezone.datetime.fromisoformat(request.POST.get(name, "")).date()
    except ValueError:
        return None


@login_required
@permission_required("supervision.view_operatorreview", raise_exception=True)
def reviews(request):
    year = _year(request)
    done = {r.facility_id: r for r in selectors.reviews_in_scope(request.user).filter(year=year)}
    return render(
        request,
        "supervision/reviews.html",
        {
            "year": year,
            "rows": [(f, done.get(f.pk)) for f in selectors.reviewable_facilities(request.user)],
            "may_review": request.user.has_perm("supervision.add_operatorreview"),
        },
    )


@login_required
@permission_required("supervision.add_operatorreview", raise_exception=True)
def review_new(request, pk: int):
    from .choices import Purpose

    facility = pages.object_or_404(request, selectors.reviewable_facilities(request.user), pk=pk)
    checklist = selectors.scoring_checklist(facility, Purpose.OPERATOR_REVIEW)
    items = list(checklist.items.filter(active=True).order_by("position")) if checklist else []
    today = timezone.localdate()
    if request.method == "POST":
        scores, notes = _scores_from(request, items)
        on = _date_from(request, "reviewed_on")
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = None
        if on is None or year is None:
            messages.error(request, _("Enter the year and the date of the review."))
        else:
            try:
                review = services.review_operator(
                    acting_user=request.user,
                    facility=facility,
                    year=year,
                    scores=scores,
                    notes=notes,
                    reviewed_on=on,
                    summary=request.POST.get("summary", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("The review was recorded."))
                return redirect("supervision:review", pk=review.pk)
    return render(
        request,
        "supervision/review_new.html",
        {"facility": facility, "checklist": checklist, "items": items, "today": today, "posted": request.POST},
    )


@login_required
@permission_required("supervision.view_operatorreview", raise_exception=True)
def review_detail(request, pk: int):
    review = pages.object_or_404(request, selectors.reviews_in_scope(request.user), pk=pk)
    may_decide = not review.decision and request.user.has_perm("supervision.change_operatorreview")
    form = ContractDecisionForm(request.POST or None, initial={"decision": review.recommendation})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decide_contract(
                    acting_user=request.user,
                    review=review,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("The contract decision was recorded."))
                return redirect("supervision:review", pk=pk)
        else:
            messages.error(request, _form_errors(form))
    items = list(review.checklist.items.order_by("position"))
    return render(
        request,
        "supervision/review.html",
        {
            "review": review,
            "rows": [(i, review.scores.get(i.code), review.notes.get(i.code, "")) for i in items],
            "form": form,
            "may_decide": may_decide,
        },
    )


# --- star rating as a process ----------------------------------------------------------------------


@login_required
@permission_required("supervision.view_starapplication", raise_exception=True)
def stars(request):
    applications = selectors.star_applications(request.user)
    return render(
        request,
        "supervision/stars.html",
        {
            "open": applications.exclude(status__in=("published",)).order_by("-applied_on", "-id")[:100],
            "mine": selectors.my_star_evaluations(request.user),
            "may_apply": request.user.has_perm("supervision.add_starapplication") and provider_of(request.user),
        },
    )


@login_required
@permission_required("supervision.view_starapplication", raise_exception=True)
def stars_published(request):
    return render(
        request, "supervision/stars_published.html", {"published": selectors.published_stars(request.user)[:500]}
    )


@login_required
@permission_required("supervision.add_starapplication", raise_exception=True)
def star_apply(request):
    own = provider_of(request.user)
    if own is None:
        raise PermissionDenied
    form = StarApplyForm(
        request.POST or None, facilities=facilities_in_scope(request.user).filter(operator=own).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.apply_for_star(
                acting_user=request.user, facility=data["facility"], star=data["star"], statement=data["statement"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The application was sent."))
            return redirect("supervision:star", pk=application.pk)
    elif request.method == "POST":
        messages.error(request, _form_errors(form))
    return render(request, "supervision/star_apply.html", {"form": form})


@login_required
@permission_required("supervision.view_starapplication", raise_exception=True)
def star_detail(request, pk: int):
    application = pages.object_or_404(request, selectors.star_applications(request.user), pk=pk)
    user = request.user
    handles = user.has_perm("supervision.change_starapplication") and provider_of(user) is None
    assign_form = AssignEvaluatorsForm(request.POST or None, evaluators=selectors.inspector_choices(user))
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "assign":
                if not assign_form.is_valid():
                    raise ValidationError(_form_errors(assign_form))
                services.assign_evaluators(
                    acting_user=user, application=application, evaluators=assign_form.cleaned_data["evaluators"]
                )
            elif action == "decide":
                services.decide_star(acting_user=user, application=application)
            elif action == "publish":
                services.publish_star(acting_user=user, application=application)
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("supervision:star", pk=pk)
    sheets = list(application.sheets.select_related("evaluator"))
    scored = {s.evaluator_id for s in sheets}
    return render(
        request,
        "supervision/star.html",
        {
            "application": application,
            # Scores are the evaluators' and the bureau's; the operator reads the result.
            "sheets": sheets if provider_of(user) is None else [],
            "evaluators": [(u, u.pk in scored) for u in application.evaluators.all()],
            "handles": handles,
            "assign_form": assign_form,
            "may_score": application.status == "evaluating"
            and user.has_perm("supervision.add_starscoresheet")
            and application.evaluators.filter(pk=user.pk).exists()
            and user.pk not in scored,
            "history": application.facility.star_ratings.order_by("-rated_on", "-id"),
        },
    )


@login_required
@permission_required("supervision.add_starscoresheet", raise_exception=True)
def star_score(request, pk: int):
    application = pages.object_or_404(request, selectors.star_applications(request.user), pk=pk)
    if application.checklist_id is None:
        raise Http404
    items = list(application.checklist.items.filter(active=True).order_by("position"))
    if request.method == "POST":
        scores, notes = _scores_from(request, items)
        on = _date_from(request, "evaluated_on")
        if on is None:
            messages.error(request, _("Evaluated on: enter a date."))
        else:
            try:
                services.score_star(
                    acting_user=request.user, application=application, scores=scores, notes=notes, evaluated_on=on
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("Your scores were recorded."))
                return redirect("supervision:star", pk=pk)
    return render(
        request,
        "supervision/star_score.html",
        {"application": application, "items": items, "today": timezone.localdate(), "posted": request.POST},
    )


# --- published to everyone (no sign-in) --------------------------------------------------------------


@pages.public_page
def public_results(request):
    """双随机一公开 and 向社会公布评定结果: each published plan's draw (its seed, so anyone can redraw
    it) and results, as far as the plan publishes them, and the published star ratings. Only what
    the models' declarations publish; no person is named."""
    return render(
        request,
        "supervision/public.html",
        {"plans": selectors.public_plans(), "stars": selectors.public_star_ratings()[:500]},
    )
