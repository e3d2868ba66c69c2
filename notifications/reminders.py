"""The daily reminders: due visits to community workers, re-assessments due to assessors, returned
applications to whoever submitted them. Each kind is a few grouped queries for the whole portal,
whatever the number of accounts, and goes out through the one notification service."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from assessments.selectors import due_assessments
from regions.choices import Role
from regions.models import StaffProfile
from regions.rules import scope_prefix
from services.selectors import due_counts_by_residence
from subsidies.models import Application

from . import rules
from .choices import Kind
from .services import Draft, notify

# Days ahead a result counts as due for re-assessment (as on the assessors' due list).
REASSESSMENT_WITHIN_DAYS = 30


def _accounts(role: str) -> list[tuple[int, str, str]]:
    """(user id, scope prefix, phone) of the active accounts of a role."""
    rows = StaffProfile.objects.filter(role=role, user__is_active=True).values_list(
        "user_id", "region_id", "region__level", "phone"
    )
    return [(user_id, scope_prefix(code, level), phone) for user_id, code, level, phone in rows]


def _per_account(role: str, counts: dict[str, int]) -> list[tuple[int, int, str]]:
    accounts = _accounts(role)
    totals = rules.totals_under(counts, [(user_id, prefix) for user_id, prefix, _phone in accounts])
    return [(user_id, totals[user_id], phone) for user_id, _prefix, phone in accounts if user_id in totals]


def visit_drafts(on: date) -> list[Draft]:
    link = reverse("services:due")
    return [
        Draft(
            recipient_id=user_id,
            kind=Kind.VISITS_DUE,
            phone=phone,
            link=link,
            text=ngettext(
                "%(n)d elder in your area is due for a caring visit this month.",
                "%(n)d elders in your area are due for a caring visit this month.",
                n,
            )
            % {"n": n},
        )
        for user_id, n, phone in _per_account(Role.COMMUNITY_WORKER, due_counts_by_residence(on))
    ]


def reassessment_drafts(on: date) -> list[Draft]:
    rows = (
        due_assessments(on, within_days=REASSESSMENT_WITHIN_DAYS)
        .order_by()
        .values("elder__residence_id")
        .annotate(n=Count("pk"))
    )
    counts = {r["elder__residence_id"]: r["n"] for r in rows}
    link = reverse("assessments:due")
    return [
        Draft(
            recipient_id=user_id,
            kind=Kind.REASSESSMENTS_DUE,
            phone=phone,
            link=link,
            text=ngettext(
                "%(n)d elder in your area is due for re-assessment within %(days)d days.",
                "%(n)d elders in your area are due for re-assessment within %(days)d days.",
                n,
            )
            % {"n": n, "days": REASSESSMENT_WITHIN_DAYS},
        )
        for user_id, n, phone in _per_account(Role.ASSESSOR, counts)
    ]


def returned_application_drafts(on: date) -> list[Draft]:
    rows = (
        Application.objects.filter(
            status="returned", submitted_by__is_active=True, submitted_by__staff_profile__isnull=False
        )
        .order_by()
        .values("submitted_by_id", "submitted_by__staff_profile__phone")
        .annotate(n=Count("pk"))
    )
    link = reverse("subsidies:applications") + "?status=returned"
    return [
        Draft(
            recipient_id=r["submitted_by_id"],
            kind=Kind.APPLICATIONS_RETURNED,
            phone=r["submitted_by__staff_profile__phone"] or "",
            link=link,
            text=ngettext(
                "%(n)d subsidy application you submitted was returned: correct it and resubmit.",
                "%(n)d subsidy applications you submitted were returned: correct them and resubmit.",
                r["n"],
            )
            % {"n": r["n"]},
        )
        for r in rows
    ]


def send_reminders(on: date) -> dict[str, int]:
    """Every kind of reminder for the day; run twice, it sends nothing twice. Returns the drafts
    made per kind (those already sent today are made again and skipped by the database)."""
    with translation.override(settings.LANGUAGE_CODE):
        drafts = {
            Kind.VISITS_DUE: visit_drafts(on),
            Kind.REASSESSMENTS_DUE: reassessment_drafts(on),
            Kind.APPLICATIONS_RETURNED: returned_application_drafts(on),
        }
    notify([d for kind in drafts.values() for d in kind], on=on)
    return {str(kind): len(found) for kind, found in drafts.items()}
