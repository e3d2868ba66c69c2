"""Worker pages for visits: due this month, the visit form, my visits, follow-ups."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.choices import AccessAction
from audit.services import record_access
from core.pages import add_errors, object_or_404, visible
from core.periods import current_period, parse_period
from eldercare.idempotency import idempotent_post
from elders.file_sections import file_section
from elders.models import Elder
from jobs.pages import export
from regions.models import Region
from regions.scope import sees_personal_data, user_region_code

from . import pdf, selectors, services, workbooks
from .choices import FollowUpStatus
from .forms import CatalogueItemForm, CloseForm, VisitForm, VisitRuleForm
from .models import FollowUp, Visit
from .policy import raw_catalogue, raw_visit_settings

PAGE_SIZE = 30


def _period(request) -> str:
    period = request.GET.get("period") or current_period()
    try:
        parse_period(period)
    except ValueError:
        period = current_period()
    return period


@login_required
@permission_required("services.view_visit", raise_exception=True)
def due(request):
    period = _period(request)
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    # The dashboard links here for one street or community of the user's region.
    due, region = workbooks.due_list(request.user, period, request.GET.get("region", ""))
    unmasked = sees_personal_data(request.user)
    if request.GET.get("format") == "xlsx":
        return export(
            request,
            due,
            kind="services.due",
            params={"period": period, "region": region.code if region else ""},
            build=lambda: workbooks.due_export(request.user, due, period, region),
        )
    rows = list(due[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    items = workbooks.due_rows(rows[:PAGE_SIZE])
    if unmasked and any(e.phone for e in rows[:PAGE_SIZE]):
        # The call buttons carry the full numbers.
        record_access(
            user=request.user,
            action=AccessAction.LIST_READ,
            what=_("due visits %(period)s") % {"period": period},
            rows=len(items),
            unmasked=True,
            request=request,
        )
    return render(
        request,
        "services/due.html",
        {
            "rows": items,
            "back": quote(request.get_full_path()),  # each row's visit form returns here
            "period": period,
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "region": region,
            "unmasked": unmasked,
        },
    )


@login_required
@permission_required("services.add_visit", raise_exception=True)
@idempotent_post
def new_visit(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.record_visit(acting_user=request.user, elder=elder, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The visit to %(name)s was recorded.") % {"name": elder.name})
            opened, kept = services.visit_follow_ups(visit)
            if opened:
                messages.info(
                    request,
                    _("Follow-ups opened for the street: %(problems)s.")
                    % {"problems": "、".join(str(f.get_problem_display()) for f in opened)},
                )
            if kept:
                messages.info(
                    request,
                    _("Already being followed up, not opened again: %(problems)s.")
                    % {"problems": "、".join(str(f.get_problem_display()) for f in kept)},
                )
            return redirect(request.GET.get("next") or "services:due")
    return render(request, "services/visit_form.html", {"form": form, "elder": elder})


@login_required
@permission_required("services.view_visit", raise_exception=True)
def my_visits(request):
    period = _period(request)
    visits = selectors.visits_in_period(request.user, period).filter(visitor=request.user)[:200]
    return render(request, "services/my_visits.html", {"visits": visits, "period": period})


@login_required
@permission_required("services.view_followup", raise_exception=True)
def follow_ups(request):
    # The inbox links here for the overdue ones alone.
    overdue = request.GET.get("overdue") == "1"
    rows = workbooks.follow_ups_list(request.user, overdue)
    if request.GET.get("format") == "xlsx":
        return export(
            request,
            rows,
            kind="services.follow_ups",
            params={"overdue": overdue},
            build=lambda: workbooks.follow_ups_export(request.user, rows, overdue),
        )
    return render(
        request,
        "services/follow_ups.html",
        {"follow_ups": rows[:200], "form": CloseForm(), "overdue": overdue},
    )


@login_required
@require_POST
@permission_required("services.change_followup", raise_exception=True)
def close_follow_up(request, pk: int):
    follow_up = get_object_or_404(selectors.open_follow_ups(request.user), pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_follow_up(
                acting_user=request.user, follow_up=follow_up, resolution=form.cleaned_data["resolution"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The follow-up was closed."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect("services:follow-ups")


@file_section(
    "entitlements",
    title=gettext_lazy("Basic services the elder is entitled to"),
    template="services/entitlements_section.html",
    order=25,
    printed=pdf.entitlements_part,
)
def entitlements_section(request, elder) -> dict:
    return selectors.entitlements_for(elder, timezone.localdate())


@file_section(
    "visits",
    title=gettext_lazy("Caring visits"),
    template="services/file_section.html",
    order=40,
    printed=pdf.visits_part,
)
def visits_section(request, elder) -> dict:
    return {
        "visits": list(visible(request, Visit.objects.filter(elder=elder)).select_related("visitor")[:12]),
        "open_follow_ups": list(
            visible(request, FollowUp.objects.filter(elder=elder, status=FollowUpStatus.OPEN))
        ),
    }


# --- the bureau's visit rule ----------------------------------------------------------------------


@login_required
@permission_required("policies.change_policysection", raise_exception=True)
def visit_rule(request):
    """The visit rule of the account's own region, edited in boxes (never as the pack's JSON)."""
    region = Region.objects.filter(code=user_region_code(request.user)).first()
    if region is None:
        raise PermissionDenied(_("The visit rule is set for a region: this account has none."))
    current = raw_visit_settings(region.code)
    form = VisitRuleForm(request.POST or None, settings=current, as_data=request.GET.get("advanced") == "1")
    if request.method == "POST" and form.is_valid():
        target = form.condition(path=str(_("Whom to visit")))
        if not form.errors:
            data = form.cleaned_data
            try:
                services.set_visit_rule(
                    acting_user=request.user,
                    region=region,
                    target_group=target,
                    counted_methods=data["counted_methods"],
                    counted_outcomes=data["counted_outcomes"],
                    target_rate=data["target_rate"],
                    follow_up_days=data["follow_up_days"],
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(
                    request, _("The visit rule of %(region)s was saved.") % {"region": region.name}
                )
                return redirect("services:visit-rule")
    return render(request, "services/visit_rule.html", {"form": form, "region": region})


# --- the bureau's basic-service list --------------------------------------------------------------


def _own_region(request) -> Region:
    region = Region.objects.filter(code=user_region_code(request.user)).first()
    if region is None:
        raise PermissionDenied(_("The service list is kept for a region: this account has none."))
    return region


@login_required
@permission_required("services.change_catalogue", raise_exception=True)
def catalogue(request):
    """The items of the list in force at the account's region, each to edit or retire."""
    region = _own_region(request)
    return render(
        request, "services/catalogue.html", {"region": region, **selectors.catalogue_rows(region.code)}
    )


@login_required
@permission_required("services.change_catalogue", raise_exception=True)
def catalogue_item(request, code: str | None = None):
    """One item of the list, added or edited in boxes (never as the pack's JSON)."""
    region = _own_region(request)
    item = None
    if code is not None:
        item = next((i for i in raw_catalogue(region.code)["items"] if i["code"] == code), None)
        if item is None:
            raise Http404
    form = CatalogueItemForm(request.POST or None, item=item, as_data=request.GET.get("advanced") == "1")
    if request.method == "POST" and form.is_valid():
        target = form.condition(path=str(_("Whom the service is for")))
        if not form.errors:
            try:
                services.save_catalogue_item(
                    acting_user=request.user,
                    region=region,
                    code=code or form.cleaned_data["code"],
                    values=form.values(target),
                    new=code is None,
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(
                    request,
                    _("%(name)s was saved in the list of %(region)s.")
                    % {"name": form.cleaned_data["name"], "region": region.name},
                )
                return redirect("services:catalogue")
    return render(request, "services/catalogue_item.html", {"form": form, "region": region, "item": item})


@login_required
@permission_required("services.change_catalogue", raise_exception=True)
@require_POST
def catalogue_retire(request, code: str):
    region = _own_region(request)
    try:
        services.retire_catalogue_item(acting_user=request.user, region=region, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(code)s was taken off the list of %(region)s.") % {"code": code, "region": region.name},
        )
    return redirect("services:catalogue")
