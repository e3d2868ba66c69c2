"""What a list page does with an export: a short list is built and sent at once, a long one
(more than EXPORT_JOB_ROWS) becomes a background job and the page leads to its progress. Both
build the workbook with the same function and write the same audit entry: the direct download
when it is sent, the job's when its owner downloads it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import redirect

from audit.choices import AccessAction
from audit.services import record_access
from eldercare.spreadsheets import workbook_response

from . import services
from .kinds import Outcome


def is_long(queryset) -> bool:
    """More rows than a request should build (counted up to the threshold, never further)."""
    limit = settings.EXPORT_JOB_ROWS
    return queryset.order_by()[: limit + 1].count() > limit


def send(request, outcome: Outcome):
    if outcome.what:  # an export of personal data (the kinds without are not logged)
        record_access(
            user=request.user,
            action=AccessAction.EXPORT,
            what=outcome.what,
            rows=outcome.rows,
            unmasked=outcome.unmasked,
            request=request,
        )
    return workbook_response(outcome.content, outcome.filename)


def export(request, queryset, *, kind: str, params: dict, build: Callable[[], Outcome]):
    """The export of `queryset`: at once, or as the job `kind` run with `params`."""
    if is_long(queryset):
        job = services.start_job(acting_user=request.user, kind=kind, params=params)
        return redirect("jobs:detail", job.pk)
    return send(request, build())
