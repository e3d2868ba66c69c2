"""The catalogue section of policy packs, and the write operations on catalogues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elders import conditions
from policies.sections import register_section, sourced
from regions.rules import candidate_ancestor_codes

from . import rules
from .choices import CatalogueStatus, ItemCategory
from .models import Catalogue, CatalogueItem

SECTION = "catalogue"
_ITEM_FIELDS = ("content", "standard", "standard_unit", "department", "application_path", "legal_basis")


def parse(data: dict) -> dict:
    title = sourced(data, "title", section=SECTION, kind=str)
    version = str(sourced(data, "version", section=SECTION, kind=(str, int)))
    effective = sourced(data, "effective_from", section=SECTION, kind=(str, date))
    items = sourced(data, "items", section=SECTION, kind=list)
    seen = set()
    for i, item in enumerate(items):
        where = f"catalogue.items[{i}]"
        for key in ("code", "category", "name", "target_group"):
            if key not in item:
                raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
        if item["code"] in seen:
            raise ValidationError(
                _("%(where)s repeats the code %(code)s.") % {"where": where, "code": item["code"]}
            )
        seen.add(item["code"])
        if item["category"] not in ItemCategory.values:
            raise ValidationError(_("%(where)s has an unknown category.") % {"where": where})
        conditions.validate(item["target_group"], path=f"{where}.target_group")
        if item.get("standard_level") is not None:
            try:
                Decimal(str(item["standard_level"]))
            except InvalidOperation:
                raise ValidationError(_("%(where)s.standard_level is a number.") % {"where": where}) from None
    return {"title": title, "version": version, "effective_from": str(effective), "items": items}


def defaults() -> dict:
    return {"title": "", "version": "", "effective_from": None, "items": []}


def item_dicts(catalogue: Catalogue) -> list[dict]:
    return [
        {"code": i.code, "name": i.name, "target_group": i.target_group, "standard_level": i.standard_level}
        for i in catalogue.items.all()
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


def apply(*, region, data: dict, acting_user=None) -> Catalogue:
    """Loading a pack writes its list; it is published when it covers the list above."""
    parsed = parse(data)
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
    for item in parsed["items"]:
        CatalogueItem.objects.update_or_create(
            catalogue=catalogue,
            code=item["code"],
            defaults={
                "category": item["category"],
                "name": item["name"],
                "target_group": item["target_group"],
                "standard_level": Decimal(str(item["standard_level"]))
                if item.get("standard_level") is not None
                else None,
                **{f: item.get(f, "") or "" for f in _ITEM_FIELDS},
            },
        )
    if not gaps(catalogue):
        publish_catalogue(catalogue=catalogue, acting_user=None)
    elif catalogue.status == CatalogueStatus.PUBLISHED:
        catalogue.status = CatalogueStatus.DRAFT
        catalogue.save(update_fields=["status"])
    return catalogue


register_section(SECTION, parse=parse, defaults=defaults, apply=apply)
