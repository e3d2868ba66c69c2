"""A job's page: its progress while a worker runs it (polled by htmx, or the page reloads
itself without script), then the result and the workbook's download. The owner's alone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from core.pages import object_or_404
from eldercare.spreadsheets import workbook_response

from . import selectors, services
from .kinds import kind as job_kind
from .kinds import registered_kinds
from .models import Job


def _job(request, pk: int) -> Job:
    # Another account's job is not found, whatever its region: the same answer as a missing one.
    return object_or_404(request, selectors.jobs_of(request.user).select_related("owner"), pk=pk)


def _context(job: Job) -> dict:
    declared = job_kind(job.kind)
    try:
        back = reverse(declared.back) if declared.back else ""
    except NoReverseMatch:
        back = ""
    return {
        "job": job,
        "label": declared.label,
        "summary": declared.summary(job.result) if job.status == "done" else [],
        "errors": (job.result.get("errors") or [])[:200],
        "error_count": job.result.get("error_count", 0),
        "errors_workbook": declared.errors_workbook,
        "back": back,
    }


@login_required
def job_list(request):
    """The account's recent imports and exports, newest first (kept JOB_KEEP_DAYS days)."""
    jobs = [
        {"job": job, "label": job_kind(job.kind).label}
        for job in selectors.jobs_of(request.user).filter(kind__in=registered_kinds())[:50]
    ]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "jobs/detail.html", _context(job))


@login_required
def job_status(request, pk: int):
    """The status part of the page, asked every second by htmx while the job runs."""
    job = _job(request, pk)
    return render(request, "jobs/_status.html", _context(job))


@login_required
def job_file(request, pk: int):
    job = _job(request, pk)
    try:
        content, filename = services.download(acting_user=request.user, job=job, request=request)
    except (PermissionDenied, ValidationError):
        raise Http404 from None
    return workbook_response(content, filename)
