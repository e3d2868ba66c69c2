"""Catalogues: the coverage check against the list above, publishing, writing a pack's list."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policies.documents import loaded_documents, titles
from policies.grades import fresh_grade_mapping, resolve
from policies.sources import source_text
from regions.rules import candidate_ancestor_codes

from . import rules
from .choices import CatalogueStatus
from .models import Catalogue, CatalogueItem

_ITEM_FIELDS = ("content", "standard", "standard_unit", "department", "application_path", "legal_basis")


def item_dicts(catalogue: Catalogue) -> list[dict]:
    return [
        {"code": i.code, "name": i.name, "target_group": i.target_group, "standard_level": i.standard_level}
        for i in catalogue.items.filter(retired_on__isnull=True)
    ]


def parent_catalogue(region_code: str | None) -> Catalogue | None:
    """The published list of the nearest level above (the national list for a city)."""
    if region_code is None:
        return None
    codes = candidate_ancestor_codes(region_code)
    found = {
        c.region_id: c
        for c in Catalogue.objects.filter(region_id__in=codes, status=CatalogueStatus.PUBLISHED).order_by(
            "-effective_from"
        )
    }
    for code in reversed(codes):
        if code in found:
            return found[code]
    return (
        Catalogue.objects.filter(region__isnull=True, status=CatalogueStatus.PUBLISHED)
        .order_by("-effective_from")
        .first()
    )


def covering_list(catalogue: Catalogue) -> Catalogue | None:
    """The list this one must cover: the published list in force above its region.

    The recorded `parent` is only a fallback (no published list above yet): a list whose
    parent was left empty, or points at a superseded version, is still checked against the
    list in force, so the check cannot be skipped by how the draft was filled in.
    """
    if catalogue.region_id is None:
        return None
    return parent_catalogue(catalogue.region_id) or catalogue.parent


def gaps(catalogue: Catalogue, above: Catalogue | None = None) -> list[dict]:
    above = above or covering_list(catalogue)
    if above is None:
        return []
    return rules.coverage_gaps(item_dicts(above), item_dicts(catalogue))


@transaction.atomic
def publish_catalogue(*, catalogue: Catalogue, acting_user=None) -> Catalogue:
    """Publish a list; refused while it falls short of the list above it."""
    if acting_user is not None and not acting_user.has_perm("services.change_catalogue"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not publish catalogues."))
    above = covering_list(catalogue)
    found = gaps(catalogue, above)
    if found:
        raise ValidationError(
            [
                _("%(code)s %(name)s: %(gap)s")
                % {"code": g["code"], "name": g["name"], "gap": rules.GAP_LABELS[g["kind"]]}
                for g in found
            ]
        )
    Catalogue.objects.filter(region=catalogue.region, status=CatalogueStatus.PUBLISHED).exclude(
        pk=catalogue.pk
    ).update(status=CatalogueStatus.SUPERSEDED)
    catalogue.parent = above
    catalogue.status = CatalogueStatus.PUBLISHED
    catalogue.published_at = timezone.now()
    catalogue.published_by = acting_user
    catalogue.save()
    return catalogue


def write_pack_catalogue(*, region, parsed: dict) -> Catalogue:
    """A pack's list (parsed by services.policy) written for its region; published when it covers
    the list above, otherwise left (or put back) in draft."""
    catalogue, _created = Catalogue.objects.update_or_create(
        region=region,
        version=parsed["version"],
        defaults={
            "title": parsed["title"],
            "effective_from": parsed["effective_from"],
            "parent": parent_catalogue(region.code if region else None),
        },
    )
    # Items are matched by code, so service records pointing at them survive a reload.
    codes = [item["code"] for item in parsed["items"]]
    catalogue.items.exclude(code__in=codes).filter(servicerecord__isnull=True).delete()
    # Those the records still point at stay, retired (a reload that brings one back revives it).
    catalogue.items.exclude(code__in=codes).filter(retired_on__isnull=True).update(
        retired_on=timezone.localdate()
    )
    # 失能 in a target group means the grades of the pack's mapping at this level.
    mapping = fresh_grade_mapping(region.code if region else None)
    names = titles(loaded_documents())
    for item in parsed["items"]:
        if item.get("source"):
            item = {**item, "legal_basis": source_text(item["source"], names)}
        CatalogueItem.objects.update_or_create(
            catalogue=catalogue,
            code=item["code"],
            defaults={
                "category": item["category"],
                "name": item["name"],
                "target_group": resolve(item["target_group"], mapping),
                "standard_level": Decimal(str(item["standard_level"]))
                if item.get("standard_level") is not None
                else None,
                **{f: item.get(f, "") or "" for f in _ITEM_FIELDS},
                "retired_on": None,
            },
        )
    if not gaps(catalogue):
        publish_catalogue(catalogue=catalogue, acting_user=None)
    elif catalogue.status == CatalogueStatus.PUBLISHED:
        catalogue.status = CatalogueStatus.DRAFT
        catalogue.save(update_fields=["status"])
    return catalogue
