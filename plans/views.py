"""Plan pages: each unit's open and overdue tasks, one task with its reports, a unit's report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import visible
from regions.models import Region, StaffProfile
from regions.scope import user_region_code
from reports.dashboard import dashboard_part

from . import selectors, services
from .forms import ReportForm

# The plan's targets for the region (with their figures) and where its tasks stand: the same for
# everyone who may see the region, so cached until a plan write or a statistics run.
dashboard_part("plan", template="plans/_dashboard.html", order=10, version=selectors.plan_version)(
    selectors.plan_dashboard
)


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _region(request) -> Region:
    code = request.GET.get("region") or user_region_code(request.user)
    if not code:
        # A superuser has no region of their own: start at the region of the first task.
        code = selectors.tasks_in_scope(request.user).values_list("region_id", flat=True).first()
    region = visible(request, Region.objects.filter(code=code)).first() if code else None
    if region is None:
        raise Http404(_("This region is outside your region of responsibility."))
    return region


def _own_unit(user):
    profile = StaffProfile.objects.select_related("department").filter(user_id=user.pk).first()
    return profile.department if profile else None


@login_required
@permission_required("plans.view_task", raise_exception=True)
def units(request):
    """Each responsible unit under the region with its open tasks, the overdue ones first."""
    region = _region(request)
    on = timezone.localdate()
    unit = None
    if request.GET.get("unit"):
        unit = get_object_or_404(selectors.units_in_scope(request.user), pk=request.GET["unit"])
    summaries = selectors.unit_summaries(request.user, region, on)
    open_parts = selectors.open_assignments(request.user, region, on, unit=unit)
    by_unit: dict[int, list] = {}
    for part in open_parts:
        by_unit.setdefault(part.department_id, []).append(part)
    own = _own_unit(request.user)
    sections = [(s, by_unit.get(s.unit.pk, [])) for s in summaries if unit is None or s.unit.pk == unit.pk]
    # The account's own unit comes first: that is the list it works from.
    sections.sort(key=lambda pair: own is None or pair[0].unit.pk != own.pk)
    return render(
        request,
        "plans/units.html",
        {
            "region": region,
            "unit": unit,
            "own": own,
            "sections": sections,
            "summaries": summaries,
            "today": on,
        },
    )


@login_required
@permission_required("plans.view_task", raise_exception=True)
def task_detail(request, pk: int):
    task = get_object_or_404(selectors.tasks_in_scope(request.user).select_related("region"), pk=pk)
    on = timezone.localdate()
    detail = selectors.task_detail(request.user, task, on)
    reportable = [a for a in detail["parts"] if services.may_report(request.user, a)]
    form = ReportForm(initial={"status": reportable[0].status} if reportable else None)
    return render(
        request,
        "plans/task.html",
        {**detail, "reportable": reportable, "form": form, "today": on},
    )


@login_required
@require_POST
@permission_required("plans.add_taskupdate", raise_exception=True)
def report(request, pk: int):
    part = get_object_or_404(
        selectors.assignments_in_scope(request.user).filter(task_id=pk),
        pk=request.POST.get("assignment") or 0,
    )
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        )
        return redirect("plans:task", pk=pk)
    data = form.cleaned_data
    try:
        services.report_on_task(
            acting_user=request.user,
            assignment=part,
            status=data["status"],
            note=data["note"],
            completed_on=data["completed_on"],
            reported_value=data["reported_value"],
            files=data["files"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Your report on this task was saved."))
    return redirect("plans:task", pk=pk)


@login_required
@permission_required("plans.view_taskupdate", raise_exception=True)
def evidence(request, pk: int):
    item = get_object_or_404(selectors.evidence_in_scope(request.user), pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
