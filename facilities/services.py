"""Write operations on facilities, residents, the wait-list and family care beds.

Admin, worker pages and the API all come through here; each operation checks the caller's
region and role, validates, and writes in one transaction.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import conditions
from core.scope import require
from elders.choices import LivingArrangement, Status
from elders.models import Elder
from elders.services import record_residency_change
from policies.grades import LEVELS as CARE_GROUP_LABELS
from policies.models import PolicySection
from policies.services import bureau_source, own_section, save_section

from .choices import (
    OPEN_WAITLIST_STATUSES,
    PUBLIC_OWNERSHIPS,
    RESIDENTIAL_KINDS,
    STANDARD_METRIC_LABELS,
    BedStatus,
    DischargeReason,
    FacilityKind,
    FacilityStatus,
    Function,
    WaitlistEventKind,
    WaitlistStatus,
)
from .models import (
    Bed,
    Facility,
    FamilyCareBed,
    Residency,
    StarRating,
    StatusChange,
    WaitlistEntry,
    WaitlistEvent,
)
from .policy import CARE_GROUPS, METRICS, SECTION, FacilitySettings, Tier, facility_settings
from .selectors import county_of, current_occupant, managed_facilities, queue


def _check_facility_scope(user, facility: Facility) -> None:
    require(user, region=facility.region_id)


# --- the registry of facilities ------------------------------------------------------------


@transaction.atomic
def save_facility(
    *, facility: Facility, acting_user, status_on: date | None = None, note: str = ""
) -> Facility:
    """Store a facility; a change of status is recorded with its date."""
    creating = facility.pk is None
    if not acting_user.has_perm("facilities.add_facility" if creating else "facilities.change_facility"):
        raise PermissionDenied(_("You may not change the facility registry."))
    if facility.region_id:
        _check_facility_scope(acting_user, facility)
    previous = (
        None if creating else Facility.objects.filter(pk=facility.pk).values_list("status", flat=True).first()
    )
    if previous != facility.status:
        facility.status_since = status_on or facility.status_since or timezone.localdate()
    facility.full_clean()
    facility._history_user = acting_user
    facility.save()
    if previous != facility.status:
        StatusChange.objects.create(
            facility=facility,
            status=facility.status,
            on=facility.status_since,
            note=note,
            recorded_by=acting_user,
        )
    return facility


@transaction.atomic
def record_star_rating(
    *, acting_user, facility: Facility, star: int, rated_on: date, evaluator: str, certificate: str = ""
) -> StarRating:
    if not acting_user.has_perm("facilities.add_starrating"):
        raise PermissionDenied(_("You may not record star ratings."))
    _check_facility_scope(acting_user, facility)
    rating = StarRating(
        facility=facility,
        star=star,
        rated_on=rated_on,
        evaluator=evaluator,
        certificate=certificate,
        recorded_by=acting_user,
    )
    rating.full_clean()
    rating.save()
    latest = (
        StarRating.objects.filter(facility=facility)
        .order_by("-rated_on", "-id")
        .values_list("star", flat=True)
    )
    Facility.objects.filter(pk=facility.pk).update(star=latest[0])
    facility.star = latest[0]
    return rating


# --- residents -------------------------------------------------------------------------------


def takes_residents(facility: Facility) -> bool:
    return facility.kind in RESIDENTIAL_KINDS or Function.FULL_TIME_CARE in (facility.functions or [])


def _check_manages(user, facility: Facility) -> None:
    if not managed_facilities(user).filter(pk=facility.pk).exists():
        raise PermissionDenied(_("You may not admit or discharge residents of this facility."))


@transaction.atomic
def admit(
    *,
    acting_user,
    facility: Facility,
    elder: Elder,
    admitted_on: date,
    bed: str = "",
    notes: str = "",
    assigned_bed: Bed | None = None,
    out_of_turn_reason: str = "",
) -> Residency:
    """Admit an elder: one current residency per elder, a free bed, the file marked as in an institution.

    Where the facility keeps a bed inventory the admission names a free bed of it (the
    database holds one current resident per bed). At a facility with a wait-list, admitting
    anyone but the applicant the bed was offered to (or, with no offer out, the first in the
    queue) needs a recorded reason. The elder's open wait-list entries close: the one for this
    facility as admitted, any other as left (the elder now has a bed).
    """
    _check_manages(acting_user, facility)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if not takes_residents(facility):
        raise ValidationError({"facility": _("%(f)s does not take residents.") % {"f": facility.name}})
    if facility.status != FacilityStatus.OPERATING:
        raise ValidationError({"facility": _("%(f)s is not operating.") % {"f": facility.name}})
    if elder.status != Status.REGISTERED:
        raise ValidationError({"elder": _("%(name)s is no longer on the registry.") % {"name": elder.name}})
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("The date is in the future.")})
    if elder.birth_date and admitted_on < elder.birth_date:
        raise ValidationError({"admitted_on": _("The date is before the elder's birth.")})
    current = (
        Residency.objects.filter(elder=elder, discharged_on__isnull=True).select_related("facility").first()
    )
    if current is not None:
        raise ValidationError(
            {
                "elder": _("%(name)s already lives in %(f)s; discharge or transfer first.")
                % {"name": elder.name, "f": current.facility.name}
            }
        )
    residents = Residency.objects.filter(facility=facility, discharged_on__isnull=True).count()
    if residents >= facility.beds:
        raise ValidationError(
            {
                "facility": _("%(f)s has no free bed (%(n)d of %(n)d taken).")
                % {"f": facility.name, "n": facility.beds}
            }
        )
    if assigned_bed is not None:
        if assigned_bed.facility_id != facility.pk or not assigned_bed.active:
            raise ValidationError({"assigned_bed": _("Choose a bed of this facility.")})
        bed = str(assigned_bed)
    elif Bed.objects.filter(facility=facility, active=True).exists():
        raise ValidationError({"assigned_bed": _("Choose a free bed.")})
    out_of_turn_reason = (out_of_turn_reason or "").strip()
    ahead = _ahead_in_turn(facility, elder)
    if ahead is not None and not out_of_turn_reason:
        raise ValidationError(
            {
                "out_of_turn_reason": _(
                    "%(name)s is not next on the wait-list (%(first)s is, position %(pos)d): "
                    "give the reason for admitting out of turn."
                )
                % {"name": elder.name, "first": ahead.elder.name, "pos": ahead.position}
            }
        )
    if ahead is None:
        out_of_turn_reason = ""
    residency = Residency(
        facility=facility,
        elder=elder,
        bed=bed,
        assigned_bed=assigned_bed,
        out_of_turn_reason=out_of_turn_reason[:300],
        admitted_on=admitted_on,
        notes=notes,
        admitted_by=acting_user,
        previous_living_arrangement=elder.living_arrangement
        if elder.living_arrangement != LivingArrangement.INSTITUTION
        else "",
    )
    residency.full_clean(exclude=["elder", "assigned_bed"], validate_constraints=False)
    try:
        with transaction.atomic():
            residency._history_user = acting_user
            residency.save()
    except IntegrityError as exc:  # a concurrent admission of the same elder, or to the same bed
        if (
            assigned_bed is not None
            and Residency.objects.filter(assigned_bed=assigned_bed, discharged_on__isnull=True).exists()
        ):
            raise ValidationError(
                {"assigned_bed": _("Bed %(bed)s is taken; choose a free bed.") % {"bed": assigned_bed}}
            ) from exc
        raise ValidationError(
            {"elder": _("%(name)s already lives in a facility.") % {"name": elder.name}}
        ) from exc
    record_residency_change(
        elder=elder,
        living_arrangement=LivingArrangement.INSTITUTION,
        acting_user=acting_user,
        reason=_("Admitted to %(f)s") % {"f": facility.name},
    )
    _close_entries_on_admission(elder, facility, acting_user)
    return residency


def _ahead_in_turn(facility: Facility, elder: Elder) -> WaitlistEntry | None:
    """Who the bed belongs to before this elder, by the wait-list: None when the elder is in turn.

    In turn: the applicant a bed is on offer to; with no offer out, the first one waiting. A
    facility without a wait-list (or with nobody on it) has nobody ahead.
    """
    if facility.ownership not in PUBLIC_OWNERSHIPS:
        return None
    entries = list(queue(facility))
    offered = [e for e in entries if e.status == WaitlistStatus.OFFERED]
    if any(e.elder_id == elder.pk for e in offered):
        return None
    if offered:
        return offered[0]
    waiting = [e for e in entries if e.status == WaitlistStatus.WAITING]
    if not waiting or waiting[0].elder_id == elder.pk:
        return None
    return waiting[0]


@transaction.atomic
def add_beds(*, acting_user, facility: Facility, room: str, count: int, nursing: bool = False) -> list[Bed]:
    """Add beds to a room of the facility's inventory, numbered after the room's last bed.

    The inventory never holds more beds than the facility's approved number of beds.
    """
    _check_manages(acting_user, facility)
    room = (room or "").strip()
    if not room:
        raise ValidationError({"room": _("Name the room.")})
    if count < 1 or count > 50:
        raise ValidationError({"count": _("Add between 1 and 50 beds at a time.")})
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    existing = Bed.objects.filter(facility=facility, active=True).count()
    if existing + count > facility.beds:
        raise ValidationError(
            {
                "count": _("%(f)s has %(n)d approved beds; the inventory already lists %(e)d.")
                % {"f": facility.name, "n": facility.beds, "e": existing}
            }
        )
    taken = set(Bed.objects.filter(facility=facility, room=room).values_list("label", flat=True))
    labels, number = [], 1
    while len(labels) < count:
        if str(number) not in taken:
            labels.append(str(number))
        number += 1
    return Bed.objects.bulk_create(
        [Bed(facility=facility, room=room, label=label, nursing=nursing) for label in labels]
    )


def bed_errors(bed: Bed) -> dict[str, list[str]]:
    """What is wrong with a bed as it would be saved (the admin's forms show it on the field):
    a room and a number; not taken out of use while someone lives in it; no more beds in use than
    the facility's approved beds."""
    errors: dict[str, list[str]] = {}
    if not (bed.room or "").strip():
        errors["room"] = [_("Name the room.")]
    if not (bed.label or "").strip():
        errors["label"] = [_("Give the bed its number.")]
    if bed.facility_id is None:
        return errors
    before = Bed.objects.filter(pk=bed.pk).first() if bed.pk else None
    if before is not None and before.facility_id != bed.facility_id:
        errors["facility"] = [_("A bed stays in its facility: take it out of use and add one to the other.")]
    if not bed.active:
        occupant = current_occupant(bed)
        if occupant is not None:
            errors["active"] = [
                _(
                    "Bed %(bed)s is occupied by %(name)s: discharge the resident or move them to another "
                    "bed before taking it out of use."
                )
                % {"bed": before or bed, "name": occupant.elder.name}
            ]
    elif before is None or not before.active:
        facility = Facility.objects.get(pk=bed.facility_id)
        in_use = Bed.objects.filter(facility=facility, active=True).exclude(pk=bed.pk).count()
        if in_use + 1 > facility.beds:
            errors["active"] = [
                _("%(f)s has %(n)d approved beds and %(e)d in use: no further bed can be put in use.")
                % {"f": facility.name, "n": facility.beds, "e": in_use}
            ]
    return errors


@transaction.atomic
def save_bed(*, acting_user, bed: Bed) -> Bed:
    """Add a bed to a facility's inventory or change one (room, number, nursing, in use), from the
    admin. Staff of the facility's operator or bureau staff of its region only; a bed someone lives
    in is not taken out of use (the message names the resident), and the facility is locked so two
    additions cannot pass its approved number together."""
    facility = Facility.objects.select_for_update().filter(pk=bed.facility_id).first()
    if facility is None or not managed_facilities(acting_user).filter(pk=facility.pk).exists():
        raise PermissionDenied(_("You may not change the beds of this facility."))
    bed.room, bed.label = (bed.room or "").strip(), (bed.label or "").strip()
    errors = bed_errors(bed)
    if errors:
        raise ValidationError(errors)
    bed.full_clean()
    bed.save()
    return bed


def _close_entries_on_admission(elder: Elder, facility: Facility, acting_user) -> None:
    today = timezone.localdate()
    entries = list(WaitlistEntry.objects.filter(elder=elder, status__in=OPEN_WAITLIST_STATUSES))
    events = []
    for entry in entries:
        here = entry.facility_id == facility.pk
        entry.status = WaitlistStatus.ADMITTED if here else WaitlistStatus.LEFT
        entry.closed_on = today
        events.append(
            WaitlistEvent(
                entry=entry,
                kind=WaitlistEventKind.ADMITTED if here else WaitlistEventKind.LEFT,
                reason=_("Admitted to %(f)s") % {"f": facility.name},
                by=acting_user,
            )
        )
    WaitlistEntry.objects.bulk_update(entries, ["status", "closed_on"])
    WaitlistEvent.objects.bulk_create(events)


@transaction.atomic
def discharge(*, acting_user, residency: Residency, on: date, reason: str, notes: str = "") -> Residency:
    """End a residency. A death is written to the registry; going home restores the living arrangement."""
    _check_manages(acting_user, residency.facility)
    # Two discharges of one residency at once: the second waits for the first's row lock, then
    # sees it ended and is refused instead of writing a second discharge over it.
    residency = Residency.objects.select_for_update().get(pk=residency.pk)
    if residency.discharged_on is not None:
        raise ValidationError(_("This residency has already ended."))
    if reason not in DischargeReason.values:
        raise ValidationError({"reason": _("Choose why the elder left.")})
    if on > timezone.localdate():
        raise ValidationError({"discharged_on": _("The date is in the future.")})
    if on < residency.admitted_on:
        raise ValidationError({"discharged_on": _("The date is before the admission.")})
    residency.discharged_on = on
    residency.discharge_reason = reason
    residency.discharged_by = acting_user
    if notes:
        residency.notes = notes
    residency._history_user = acting_user
    residency.save()
    elder = residency.elder
    why = _("Left %(f)s: %(reason)s") % {
        "f": residency.facility.name,
        "reason": DischargeReason(reason).label,
    }
    if reason == DischargeReason.DEATH:
        record_residency_change(
            elder=elder,
            living_arrangement=elder.living_arrangement,
            acting_user=acting_user,
            reason=why,
            died_on=on,
        )
    elif reason in (DischargeReason.HOME, DischargeReason.HOSPITAL):
        record_residency_change(
            elder=elder,
            living_arrangement=residency.previous_living_arrangement or LivingArrangement.WITH_OTHERS,
            acting_user=acting_user,
            reason=why,
        )
    return residency


# --- the public wait-list ----------------------------------------------------------------------


def tier_for(elder: Elder, on: date, settings: FacilitySettings) -> tuple[int, Tier, str]:
    """The first of the pack's tiers whose condition the elder meets, with the reason in words."""
    for index, tier in enumerate(settings.tiers):
        if tier.condition is None:
            return index, tier, tier.label
        outcome = conditions.explain(tier.condition, elder, on)
        if outcome.held:
            reasons = "; ".join(r["text"] for r in outcome.passed())
            return index, tier, f"{tier.label}: {reasons}"[:300]
    raise AssertionError("the last tier has no condition")  # guaranteed by the pack parser


def _check_waitlist_write(user, facility: Facility) -> None:
    if not user.has_perm("facilities.add_waitlistentry"):
        raise PermissionDenied(_("You may not enter applications on the wait-list."))


@transaction.atomic
def apply_for_bed(
    *, acting_user, facility: Facility, elder: Elder, applied_on: date | None = None
) -> WaitlistEntry:
    """Put an elder on a public facility's wait-list, in the tier the pack gives."""
    _check_waitlist_write(acting_user, facility)
    require(acting_user, region=elder.residence_id)
    if facility.ownership not in PUBLIC_OWNERSHIPS or not takes_residents(facility):
        raise ValidationError({"facility": _("Only public facilities with beds keep a wait-list.")})
    if elder.status != Status.REGISTERED:
        raise ValidationError({"elder": _("%(name)s is no longer on the registry.") % {"name": elder.name}})
    applied_on = applied_on or timezone.localdate()
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("The date is in the future.")})
    if WaitlistEntry.objects.filter(
        facility=facility, elder=elder, status__in=OPEN_WAITLIST_STATUSES
    ).exists():
        raise ValidationError({"elder": _("%(name)s is already on this wait-list.") % {"name": elder.name}})
    index, tier, why = tier_for(elder, applied_on, facility_settings(county_of(facility.region_id)))
    entry = WaitlistEntry.objects.create(
        facility=facility,
        elder=elder,
        applied_on=applied_on,
        tier=index,
        tier_code=tier.code,
        tier_reason=why,
        created_by=acting_user,
    )
    WaitlistEvent.objects.create(
        entry=entry, kind=WaitlistEventKind.APPLIED, to_tier=index, reason=why, by=acting_user
    )
    return entry


def _check_waitlist_manage(user, entry: WaitlistEntry) -> None:
    if not user.has_perm("facilities.change_waitlistentry"):
        raise PermissionDenied(_("You may not manage the wait-list."))
    _check_facility_scope(user, entry.facility)


@transaction.atomic
def change_tier(*, acting_user, entry: WaitlistEntry, tier_code: str, reason: str) -> WaitlistEntry:
    """An officer moves an applicant to another tier; the reason is required and logged."""
    _check_waitlist_manage(acting_user, entry)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the applicant moves.")})
    tiers = facility_settings(county_of(entry.facility.region_id)).tiers
    codes = [t.code for t in tiers]
    if tier_code not in codes:
        raise ValidationError({"tier": _("Unknown tier %(t)s.") % {"t": tier_code}})
    if entry.status not in OPEN_WAITLIST_STATUSES:
        raise ValidationError(_("This application is no longer on the wait-list."))
    new = codes.index(tier_code)
    WaitlistEvent.objects.create(
        entry=entry,
        kind=WaitlistEventKind.TIER_CHANGED,
        from_tier=entry.tier,
        to_tier=new,
        reason=reason,
        by=acting_user,
    )
    entry.tier, entry.tier_code, entry.tier_reason, entry.tier_fixed = (
        new,
        tier_code,
        f"{tiers[new].label}: {reason}"[:300],
        True,
    )
    entry.save(update_fields=["tier", "tier_code", "tier_reason", "tier_fixed"])
    return entry


def recompute_tiers(on: date | None = None) -> int:
    """Re-derive every open, not hand-set entry's tier from the registry (daily job).

    Set-based: one query per tier of each city's list, then one bulk update and one bulk
    insert of the logged changes. Returns how many entries moved.
    """
    on = on or timezone.localdate()
    open_entries = WaitlistEntry.objects.filter(status__in=OPEN_WAITLIST_STATUSES, tier_fixed=False)
    counties = {county_of(r) for r in open_entries.values_list("facility__region_id", flat=True).distinct()}
    moved = 0
    for county in sorted(counties):
        settings = facility_settings(county)
        entries = open_entries.filter(facility__region__code__startswith=county[:6])
        elders = Elder.objects.filter(pk__in=entries.values("elder_id"))
        tier_of: dict[int, int] = {}
        for index, tier in enumerate(settings.tiers):
            if tier.condition is None:
                break
            for pk in conditions.filter_queryset(
                elders.exclude(pk__in=list(tier_of)), tier.condition, on
            ).values_list("pk", flat=True):
                tier_of.setdefault(pk, index)
        last = len(settings.tiers) - 1
        changed, events = [], []
        for entry in entries.only("pk", "tier", "tier_code", "elder_id"):
            new = tier_of.get(entry.elder_id, last)
            if new != entry.tier:
                tier = settings.tiers[new]
                reason = _("Registry changed: now %(tier)s") % {"tier": tier.label}
                events.append(
                    WaitlistEvent(
                        entry=entry,
                        kind=WaitlistEventKind.TIER_CHANGED,
                        from_tier=entry.tier,
                        to_tier=new,
                        reason=reason,
                    )
                )
                entry.tier, entry.tier_code, entry.tier_reason = new, tier.code, reason[:300]
                changed.append(entry)
        with transaction.atomic():
            WaitlistEntry.objects.bulk_update(changed, ["tier", "tier_code", "tier_reason"], batch_size=2000)
            WaitlistEvent.objects.bulk_create(events, batch_size=2000)
        moved += len(changed)
    return moved


def _ineligible_reason(entry: WaitlistEntry, resident_elsewhere: set[int]) -> str | None:
    if entry.elder_id in resident_elsewhere:
        return _("already lives in a facility")
    return None


@transaction.atomic
def offer_vacancy(*, acting_user, facility: Facility, skips: dict[int, str] | None = None) -> WaitlistEntry:
    """Offer a free bed to the first eligible applicant in queue order.

    Passing over someone ahead needs a recorded reason (`skips`: entry id → reason);
    applicants who cannot take a bed (already resident elsewhere) are passed over with the
    reason written by the system. Every pass-over is logged.
    """
    if not acting_user.has_perm("facilities.change_waitlistentry"):
        raise PermissionDenied(_("You may not manage the wait-list."))
    _check_facility_scope(acting_user, facility)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    skips = {int(k): (v or "").strip() for k, v in (skips or {}).items()}
    residents = Residency.objects.filter(facility=facility, discharged_on__isnull=True).count()
    held = WaitlistEntry.objects.filter(facility=facility, status=WaitlistStatus.OFFERED).count()
    if residents + held >= facility.beds:
        raise ValidationError(_("%(f)s has no free bed to offer.") % {"f": facility.name})
    waiting = [e for e in queue(facility) if e.status == WaitlistStatus.WAITING]
    resident_elsewhere = set(
        Residency.objects.filter(
            elder_id__in=[e.elder_id for e in waiting], discharged_on__isnull=True
        ).values_list("elder_id", flat=True)
    )
    events = []
    chosen = None
    for entry in waiting:
        system_reason = _ineligible_reason(entry, resident_elsewhere)
        if system_reason is None and entry.pk not in skips:
            chosen = entry
            break
        reason = system_reason or skips[entry.pk]
        if not reason:
            raise ValidationError(
                {
                    "skips": _("Give a reason for passing over %(name)s (position %(pos)d).")
                    % {"name": entry.elder.name, "pos": entry.position}
                }
            )
        events.append(
            WaitlistEvent(entry=entry, kind=WaitlistEventKind.SKIPPED, reason=reason, by=acting_user)
        )
    if chosen is None:
        raise ValidationError(_("Nobody on the wait-list can take the bed."))
    WaitlistEvent.objects.bulk_create(events)
    chosen.status = WaitlistStatus.OFFERED
    chosen.save(update_fields=["status"])
    WaitlistEvent.objects.create(
        entry=chosen,
        kind=WaitlistEventKind.OFFERED,
        reason=_("Position %(pos)d, %(tier)s, applied %(date)s")
        % {"pos": chosen.position, "tier": chosen.tier_code, "date": chosen.applied_on.isoformat()},
        by=acting_user,
    )
    return chosen


@transaction.atomic
def decline_offer(*, acting_user, entry: WaitlistEntry, reason: str) -> WaitlistEntry:
    _check_waitlist_manage(acting_user, entry)
    if entry.status != WaitlistStatus.OFFERED:
        raise ValidationError(_("No bed is on offer to this applicant."))
    return _close(entry, WaitlistStatus.DECLINED, WaitlistEventKind.DECLINED, reason, acting_user)


@transaction.atomic
def withdraw(*, acting_user, entry: WaitlistEntry, reason: str) -> WaitlistEntry:
    if not (
        acting_user.has_perm("facilities.change_waitlistentry")
        or acting_user.has_perm("facilities.add_waitlistentry")
    ):
        raise PermissionDenied(_("You may not manage the wait-list."))
    require(acting_user, obj=entry)
    if entry.status not in OPEN_WAITLIST_STATUSES:
        raise ValidationError(_("This application is no longer on the wait-list."))
    return _close(entry, WaitlistStatus.WITHDRAWN, WaitlistEventKind.WITHDRAWN, reason, acting_user)


def _close(entry: WaitlistEntry, status: str, kind: str, reason: str, user) -> WaitlistEntry:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    entry.status, entry.closed_on = status, timezone.localdate()
    entry.save(update_fields=["status", "closed_on"])
    WaitlistEvent.objects.create(entry=entry, kind=kind, reason=reason, by=user)
    return entry


def close_departed_entries(on: date | None = None) -> int:
    """Entries of elders who died or moved away leave the list (daily job), logged. Set-based."""
    on = on or timezone.localdate()
    gone = list(
        WaitlistEntry.objects.filter(status__in=OPEN_WAITLIST_STATUSES)
        .exclude(elder__status=Status.REGISTERED)
        .values_list("pk", "elder__status")
    )
    if not gone:
        return 0
    labels = dict(Status.choices)
    with transaction.atomic():
        WaitlistEvent.objects.bulk_create(
            [
                WaitlistEvent(entry_id=pk, kind=WaitlistEventKind.LEFT, reason=str(labels[status]))
                for pk, status in gone
            ]
        )
        WaitlistEntry.objects.filter(pk__in=[pk for pk, _status in gone]).update(
            status=WaitlistStatus.LEFT, closed_on=on
        )
    return len(gone)


# --- family care beds ---------------------------------------------------------------------------


@transaction.atomic
def set_up_family_bed(
    *,
    acting_user,
    elder: Elder,
    provider,
    set_up_on: date,
    equipment: list[str],
    service_package: str,
    monthly_hours,
) -> FamilyCareBed:
    if not acting_user.has_perm("facilities.add_familycarebed"):
        raise PermissionDenied(_("You may not set up family care beds."))
    require(acting_user, region=elder.residence_id)
    if elder.status != Status.REGISTERED:
        raise ValidationError({"elder": _("%(name)s is no longer on the registry.") % {"name": elder.name}})
    if FamilyCareBed.objects.filter(elder=elder).exclude(status=BedStatus.CLOSED).exists():
        raise ValidationError({"elder": _("%(name)s already has a family care bed.") % {"name": elder.name}})
    bed = FamilyCareBed(
        elder=elder,
        provider=provider,
        set_up_on=set_up_on,
        equipment=list(equipment),
        service_package=service_package,
        monthly_hours=monthly_hours,
    )
    bed.full_clean()
    bed._history_user = acting_user
    bed.save()
    return bed


@transaction.atomic
def close_family_bed(*, acting_user, bed: FamilyCareBed, on: date, reason: str = "") -> FamilyCareBed:
    if not acting_user.has_perm("facilities.change_familycarebed"):
        raise PermissionDenied(_("You may not change family care beds."))
    require(acting_user, region=bed.elder.residence_id)
    bed.status, bed.closed_on = BedStatus.CLOSED, on
    bed._history_user = acting_user
    bed._change_reason = reason
    bed.save()
    return bed


# --- the construction standards a bureau sets (the pack's facilities section at its region) ----

# Larger than any real facility: a typed extra zero, not a standard.
STANDARD_CEILINGS = {
    "beds": Decimal(5000),
    "nursing_beds": Decimal(5000),
    "nursing_bed_share": Decimal(100),
    "floor_area_m2": Decimal(500000),
    "land_area_mu": Decimal(5000),
    "staff": Decimal(5000),
    "caregivers": Decimal(5000),
}
MAX_RESIDENTS_PER_CAREGIVER = Decimal(50)


def _json_number(value: Decimal) -> int | float:
    # The packs write numbers, not strings: 15, 1.5.
    return int(value) if value == value.to_integral_value() else float(value)


def _unsourced(entry):
    return entry.get("value") if isinstance(entry, dict) and "value" in entry else entry


@transaction.atomic
def set_standards(
    *,
    acting_user,
    region,
    standards: dict[str, dict[str, Decimal | None]],
    residents_per_caregiver: dict[str, Decimal | None],
    staffing_applies_to: list[str],
) -> PolicySection:
    """The bureau's construction and staffing standards for its region: per facility kind the
    minimum of each measure (an empty box: no requirement), and the residents one caregiver looks
    after per care group with the kinds the ratio applies to (all three empty: no staffing rule).
    Written as the region's own facilities section (a copy of the one in force when it has none)
    through the policies' save, so the standards checks and reports read it at once. A value the
    bureau changes is sourced as its reading with who set it and when; an unchanged one keeps its
    document's clause. The space standard and the wait-list tiers are kept as they are."""
    require(acting_user, "policies.change_policysection", region=region.code)
    errors: dict[str, list[str]] = {}
    for kind, values in standards.items():
        if kind not in FacilityKind.values:
            errors["standards"] = [_("Unknown facility kind.")]
            continue
        for metric, value in values.items():
            if metric not in METRICS or value is None:
                continue
            label = f"{FacilityKind(kind).label} · {STANDARD_METRIC_LABELS[metric]}"
            if value < 0 or value > STANDARD_CEILINGS[metric]:
                errors[f"{kind}__{metric}"] = [
                    _("%(field)s: a number from 0 to %(max)s.")
                    % {"field": label, "max": STANDARD_CEILINGS[metric]}
                ]
    given = {g: v for g, v in residents_per_caregiver.items() if v is not None}
    if given:
        for group in CARE_GROUPS:
            label = _("Residents per caregiver, %(group)s") % {"group": CARE_GROUP_LABELS[group]}
            value = given.get(group)
            if value is None:
                errors[f"ratio__{group}"] = [
                    _("%(field)s: set the ratio of every care group, or none.") % {"field": label}
                ]
            elif not 0 < value <= MAX_RESIDENTS_PER_CAREGIVER:
                errors[f"ratio__{group}"] = [
                    _("%(field)s: more than 0 and at most %(max)s.")
                    % {"field": label, "max": MAX_RESIDENTS_PER_CAREGIVER}
                ]
        if not staffing_applies_to:
            errors["staffing_applies_to"] = [
                _("Staffing ratio applies to: tick the facility kinds it is for.")
            ]
        elif set(staffing_applies_to) - set(FacilityKind.values):
            errors["staffing_applies_to"] = [_("Staffing ratio applies to: unknown facility kind.")]
    if errors:
        raise ValidationError(errors)

    row = own_section(region, SECTION, missing=_("No facilities section is loaded: load the national pack first."))
    data = json.loads(json.dumps(row.data))  # a deep copy: the stored row changes only on save
    bureau = bureau_source(acting_user, "standards page")

    old_standards = _unsourced(data.get("standards")) or {}
    new_standards: dict[str, list[dict]] = {}
    changed = False
    for kind in FacilityKind.values:
        old_rules = {r.get("metric"): r for r in old_standards.get(kind) or [] if isinstance(r, dict)}
        rules_ = []
        for metric in METRICS:
            value = (standards.get(kind) or {}).get(metric)
            old = old_rules.get(metric)
            if value is None:
                changed |= old is not None
                continue
            if old is not None and Decimal(str(old.get("min"))) == value:
                rules_.append(old)  # unchanged: its clause stays
            else:
                rules_.append({"metric": metric, "min": _json_number(value), "source": bureau})
                changed = True
        if rules_:
            new_standards[kind] = rules_
    if changed:
        entry = data.get("standards")
        source = entry.get("source") if isinstance(entry, dict) and "source" in entry else bureau
        data["standards"] = {"value": new_standards, "source": source}

    old_staffing = _unsourced(data.get("staffing")) or None
    if given:
        new_staffing = {
            "applies_to": [k for k in FacilityKind.values if k in staffing_applies_to],
            "residents_per_caregiver": {g: _json_number(given[g]) for g in CARE_GROUPS},
            "unassessed_as": (old_staffing or {}).get("unassessed_as", "self_care"),
        }
        same = old_staffing is not None and (
            list(old_staffing.get("applies_to") or []) == new_staffing["applies_to"]
            and {g: Decimal(str(v)) for g, v in (old_staffing.get("residents_per_caregiver") or {}).items()}
            == {g: given[g] for g in CARE_GROUPS}
        )
        if not same:
            data["staffing"] = {"value": new_staffing, "source": bureau}
    elif old_staffing is not None:
        data.pop("staffing", None)
    row.data = data
    try:
        return save_section(row=row, acting_user=acting_user)
    except ValidationError as exc:
        messages_ = exc.message_dict.get("data", exc.messages) if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError({"standards": messages_}) from exc
