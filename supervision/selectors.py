"""Reads of supervision that others reuse."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Checklist, ChecklistItem


def _applies_at(checklist: Checklist, region_code: str) -> bool:
    return checklist.region_id is None or region_code.startswith(checklist.region.prefix)


def checklists_for_facility(facility) -> list[Checklist]:
    """The checklists in force for a facility: national ones and those of the packs above its
    region, for its kind and ownership. The lists are few, so they are matched here rather than
    with JSON lookups (which SQLite lacks)."""
    return [
        c
        for c in Checklist.objects.filter(active=True).select_related("region")
        if _applies_at(c, facility.region_id)
        and facility.kind in c.facility_kinds
        and (not c.ownerships or facility.ownership in c.ownerships)
    ]


def checklists_for_service(kind: str, region_code: str) -> list[Checklist]:
    """The checklists in force for a kind of home service at a region."""
    return [
        c
        for c in Checklist.objects.filter(active=True).select_related("region")
        if _applies_at(c, region_code) and kind in c.service_kinds
    ]


def items_of(checklists: list[Checklist]) -> QuerySet[ChecklistItem]:
    return (
        ChecklistItem.objects.filter(checklist__in=checklists, active=True)
        .select_related("checklist")
        .order_by("checklist__code", "position")
    )
