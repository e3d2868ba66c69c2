"""Writes of the audit log: one row per access, and the retention job."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from eldercare.clients import client_address
from regions.scope import account_prefix

from .choices import AccessAction
from .models import AccessLog


def record_access(
    *,
    user,
    action: str,
    what: str,
    rows: int = 1,
    unmasked: bool,
    request=None,
    object_id: str | int = "",
) -> AccessLog:
    """Log one access to personal data by `user` (the request gives the address and the path).

    Without a request, the one the current thread serves (django-simple-history's middleware
    already keeps it), so a service called from a page or the API logs the caller's address.
    """
    if request is None:
        request = getattr(HistoricalRecords.context, "request", None)
    entry = AccessLog(
        user=user,
        action=action,
        what=what[:200],
        object_id=str(object_id)[:64],
        rows=rows,
        unmasked=unmasked,
        address=client_address(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        scope=account_prefix(user) or "",
    )
    # The account is the caller itself: checking that it exists would cost a query per read.
    entry.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    entry.save()
    return entry


def record_full_copy(request, *, unmasked: bool, what: str, object_id: str | int) -> None:
    """A printed document (a PDF) with full ID numbers and phones is an export of personal data
    and is logged as one; a masked copy is not."""
    if unmasked:
        record_access(
            user=request.user,
            action=AccessAction.EXPORT,
            what=what,
            object_id=object_id,
            unmasked=True,
            request=request,
        )


@transaction.atomic
def purge_expired(*, now=None) -> int:
    """Drop entries past the retention period (never younger than six months); how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if connection.vendor == "postgresql":
        # The trigger lets only this job delete, and only what is past the retention period.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.purge = 'on'")
    deleted, _by_model = AccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted
