"""Reads of the audit log for the city: scoped, with a monthly summary per account."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from core.scope import restrict

from .choices import AccessAction
from .models import AccessLog


def log_in_scope(user) -> QuerySet[AccessLog]:
    return restrict(AccessLog.objects.all(), user)


def monthly_summary(user, *, queryset: QuerySet[AccessLog] | None = None) -> list[dict]:
    """Per account and month: accesses of each kind, rows read, how many unmasked; newest month first."""
    rows = (
        (queryset if queryset is not None else log_in_scope(user))
        .annotate(month=TruncMonth("at"))
        .values("month", "user__username")
        .annotate(
            accesses=Count("id"),
            rows_read=Sum("rows"),
            unmasked_accesses=Count("id", filter=Q(unmasked=True)),
            addresses=Count("address", distinct=True),
            **{f"n_{action.value}": Count("id", filter=Q(action=action.value)) for action in AccessAction},
        )
        .order_by("-month", "user__username")
    )
    return list(rows)
