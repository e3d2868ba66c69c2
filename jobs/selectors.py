from __future__ import annotations

from django.db.models import QuerySet

from .models import Job


def jobs_of(user) -> QuerySet[Job]:
    """An account's own jobs: a job's workbook is the export of the account that asked."""
    return Job.objects.filter(owner=user)
