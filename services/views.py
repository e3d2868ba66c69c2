"""Worker pages for visits: due this month, the visit form, my visits, follow-ups."""

from __future__ import annotations

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
from core.pages import object_or_404, visible
from core.periods import current_period, parse_period
from eldercare.idempotency import idempotent_post
from eldercare.spreadsheets import streamed_workbook, workbook_response
from elders.file_sections import file_section
from elders.filters import ElderFilterSet
from elders.models import Elder
from regions.models import Region
from regions.scope import sees_personal_data, user_region_code

from . import selectors, services
from .choices import FollowUpStatus
from .forms import CloseForm, VisitForm, VisitRuleForm
from .models import FollowUp, Visit
from .policy import raw_visit_settings

PAGE_SIZE = 30
# The most rows a list exports at once in the request (a city's whole list is narrowed first).
EXPORT_ROWS = 20_000

RISK_LABELS = {
    "high_age": gettext_lazy("high age"),  # the pack's 高龄 age (registry.high_age)
    "alone": gettext_lazy("alone"),
    "severe_disability": gettext_lazy("severe disability"),
    "disabled": gettext_lazy("disabled"),
    "problem_last_time": gettext_lazy("problem last time"),
    "not_found_last_time": gettext_lazy("not found last time"),
    "never_visited": gettext_lazy("never visited"),
}


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
    due = selectors.due_list(request.user, period)
    region = None
    if request.GET.get("region"):
        # The dashboard links here for one street or community of the user's region.
        region = visible(request, Region.objects.filter(code=request.GET["region"])).first()
        if region is None:
            raise Http404(_("This region is outside your region of responsibility."))
        due = ElderFilterSet({"region": region.code}, queryset=due).qs  # as the API's `?region=`
    unmasked = sees_personal_data(request.user)
    if request.GET.get("format") == "xlsx":
        return _due_workbook(request, due, period, region, unmasked)
    rows = list(due[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    selectors.mark_risks(rows[:PAGE_SIZE], period)
    items = [
        {"elder": e, "risks": [RISK_LABELS[m] for m in selectors.risk_marks(e)]} for e in rows[:PAGE_SIZE]
    ]
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
            "period": period,
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "region": region,
            "unmasked": unmasked,
        },
    )


def _due_workbook(request, due, period: str, region, unmasked: bool):
    """The due list as Excel: every row, not one page, as long as it stays a list a person works
    through (above EXPORT_ROWS the page asks to narrow it to a street or community first)."""
    rows = list(due[: EXPORT_ROWS + 1])
    if len(rows) > EXPORT_ROWS:
        messages.error(
            request,
            _("More than %(n)s elders: choose a street or community on the dashboard, then export its list.")
            % {"n": EXPORT_ROWS},
        )
        return redirect(request.path + f"?period={period}" + (f"&region={region.code}" if region else ""))
    selectors.mark_risks(rows, period)
    headings = [_("Name"), _("Sex"), _("Age"), _("Community"), _("Phone"), _("Last visit"), _("Risks")]
    lines = (
        [
            e.name,
            e.get_sex_display(),
            e.age,
            e.residence.name,
            e.phone if unmasked else e.masked_phone,
            timezone.localtime(e.last_visit_at).date().isoformat() if e.last_visit_at else str(_("never visited")),
            "、".join(str(RISK_LABELS[m]) for m in selectors.risk_marks(e)),
        ]
        for e in rows
    )
    content = streamed_workbook(_("Due visits"), headings, lines)
    record_access(
        user=request.user,
        action=AccessAction.EXPORT,
        what=_("due visits %(period)s") % {"period": period},
        rows=len(rows),
        unmasked=unmasked,
        request=request,
    )
    return workbook_response(content, f"due-{period}{'-' + region.code if region else ''}.xlsx")


@login_required
@permission_required("services.add_visit", raise_exception=True)
@idempotent_post
def new_visit(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.record_visit(acting_user=request.user, elder=elder, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
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
    rows = (
        selectors.overdue_follow_ups(request.user, timezone.localdate())
        if overdue
        else selectors.open_follow_ups(request.user)
    )
    if request.GET.get("format") == "xlsx":
        return _follow_ups_workbook(request, rows, overdue)
    return render(
        request,
        "services/follow_ups.html",
        {"follow_ups": rows[:200], "form": CloseForm(), "overdue": overdue},
    )


def _follow_ups_workbook(request, rows, overdue: bool):
    """The follow-ups as Excel (the whole list, not the page's first 200): who, what problem, found
    when and by whom, due when; no personal numbers, so nothing to mask."""
    found = list(rows.select_related("elder__residence", "visit__visitor")[: EXPORT_ROWS + 1])
    if len(found) > EXPORT_ROWS:
        messages.error(request, _("More than %(n)s follow-ups: narrow the list first.") % {"n": EXPORT_ROWS})
        return redirect(request.path)
    headings = [_("Name"), _("Community"), _("Problem"), _("Found on"), _("Found by"), _("Due on"), _("Notes")]
    lines = (
        [
            f.elder.name,
            f.elder.residence.name,
            f.get_problem_display(),
            timezone.localtime(f.visit.visited_at).date().isoformat() if f.visit else "",
            f.visit.visitor.get_username() if f.visit and f.visit.visitor else "",
            f.due_on.isoformat() if f.due_on else "",
            f.visit.notes if f.visit else "",
        ]
        for f in found
    )
    title = _("Overdue follow-ups") if overdue else _("Open follow-ups")
    return workbook_response(
        streamed_workbook(title, headings, lines), f"follow-ups{'-overdue' if overdue else ''}.xlsx"
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
)
def entitlements_section(request, elder) -> dict:
    return selectors.entitlements_for(elder, timezone.localdate())


@file_section("visits", title=gettext_lazy("Caring visits"), template="services/file_section.html", order=40)
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
