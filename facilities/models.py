from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from elders.models import Elder

from .choices import (
    OPEN_WAITLIST_STATUSES,
    BedStatus,
    DischargeReason,
    Equipment,
    Estate,
    FacilityKind,
    FacilityStatus,
    Function,
    Ownership,
    WaitlistEventKind,
    WaitlistStatus,
)


@scoped("region", provider="operator")
class Facility(models.Model):
    """A place that delivers elder care: an institution, a centre, a station, a canteen."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=FacilityKind.choices)
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    operator = models.ForeignKey(
        "services.Provider",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region (street or community)"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    land_area_mu = models.DecimalField(
        _("land area (mu)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    beds = models.PositiveIntegerField(_("beds"), default=0)
    nursing_beds = models.PositiveIntegerField(_("nursing beds"), default=0)
    # Staff by role: plain columns, since the staffing check and the reports sum them.
    caregivers = models.PositiveIntegerField(_("caregivers"), default=0)
    nurses = models.PositiveIntegerField(_("nurses"), default=0)
    doctors = models.PositiveIntegerField(_("doctors"), default=0)
    social_workers = models.PositiveIntegerField(_("social workers"), default=0)
    managers = models.PositiveIntegerField(_("managers"), default=0)
    other_staff = models.PositiveIntegerField(_("other staff"), default=0)
    functions = models.JSONField(_("functions offered"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.PLANNED
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    licence_number = models.CharField(_("licence or filing number"), max_length=60, blank=True)
    # The latest star rating, kept by services.record_star_rating for filters and reports.
    star = models.PositiveSmallIntegerField(_("star rating"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "kind"], name="facility_region_kind_idx"),
            models.Index(fields=["kind", "status"], name="facility_kind_status_idx"),
            models.Index(fields=["operator"], name="facility_operator_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nursing_beds__lte=models.F("beds")), name="facility_nursing_beds_within_beds"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def staff_total(self) -> int:
        return (
            self.caregivers
            + self.nurses
            + self.doctors
            + self.social_workers
            + self.managers
            + self.other_staff
        )

    def clean(self) -> None:
        if self.nursing_beds > self.beds:
            raise ValidationError({"nursing_beds": _("A facility cannot have more nursing beds than beds.")})
        unknown = set(self.functions or []) - set(Function.values)
        if unknown:
            raise ValidationError(
                {"functions": _("Unknown functions: %(f)s.") % {"f": ", ".join(sorted(unknown))}}
            )


@scoped("facility__region", provider="facility__operator")
class StatusChange(models.Model):
    """When a facility was planned, started, built, opened or closed."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=FacilityStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["facility", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.facility} {self.get_status_display()} {self.on:%Y-%m-%d}"


@scoped("facility__region", provider="facility__operator")
class StarRating(models.Model):
    """A star rating (星级评定, GB/T 37276-2018 grades 1-5) with its date and evaluator."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="star_ratings"
    )
    star = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_on = models.DateField(_("rated on"))
    evaluator = models.CharField(_("evaluator"), max_length=200)
    certificate = models.CharField(_("certificate number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True
    )

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["facility", "-rated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(star__gte=1, star__lte=5), name="star_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.star}★ {self.rated_on:%Y-%m-%d}"


@scoped("facility__region", provider="facility__operator")
class Bed(models.Model):
    """One bed of a facility's inventory, in a room: admission picks a free one."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="bed_inventory"
    )
    room = models.CharField(_("room"), max_length=20)
    label = models.CharField(_("bed number"), max_length=10)
    nursing = models.BooleanField(_("nursing bed"), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["facility", "room", "label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "room", "label"],
                name="bed_unique_in_room",
                violation_error_message=_("This room already has a bed with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.room}-{self.label}"


@scoped("facility__region", "elder__residence", provider="facility__operator")
class Residency(models.Model):
    """An elder living in a facility, from admission to discharge."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="residencies"
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="residencies"
    )
    bed = models.CharField(_("bed"), max_length=30, blank=True)
    # The inventory's bed (the text above keeps what was written before the inventory existed).
    assigned_bed = models.ForeignKey(
        Bed,
        verbose_name=_("bed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residencies",
    )
    # A database default too: the benchmark city and bulk loaders insert residents in SQL.
    out_of_turn_reason = models.CharField(
        _("why admitted out of the wait-list's order"), max_length=300, blank=True, default="", db_default=""
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=10, choices=DischargeReason.choices, blank=True
    )
    # Restored when the elder goes home, since admission sets it to "institution".
    previous_living_arrangement = models.CharField(max_length=16, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admitted by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("discharged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    # Seen by the facility's region and by the elder's own community (restrict ORs the paths).

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["-admitted_on", "-id"]
        constraints = [
            # One current residency per elder, whatever path the write takes.
            models.UniqueConstraint(
                fields=["elder"],
                condition=Q(discharged_on__isnull=True),
                name="one_current_residency_per_elder",
            ),
            # One elder per bed: the database refuses a second current resident of a bed.
            models.UniqueConstraint(
                fields=["assigned_bed"],
                condition=Q(discharged_on__isnull=True, assigned_bed__isnull=False),
                name="one_current_resident_per_bed",
                violation_error_message=_("This bed is taken."),
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=models.F("admitted_on")),
                name="residency_discharge_after_admission",
            ),
        ]
        indexes = [
            models.Index(
                fields=["facility"], condition=Q(discharged_on__isnull=True), name="residency_current_idx"
            ),
            models.Index(fields=["elder", "admitted_on"], name="residency_elder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.elder} @ {self.facility}"

    @property
    def is_current(self) -> bool:
        return self.discharged_on is None


@scoped("facility__region", "elder__residence", provider="facility__operator")
class WaitlistEntry(models.Model):
    """An application for a bed in a public facility (入住评估轮候)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="waitlist"
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    applied_on = models.DateField(_("applied on"))
    # Lower is earlier; the pack's tiers in order, the last tier for everyone else.
    tier = models.PositiveSmallIntegerField(_("priority tier"))
    tier_code = models.CharField(_("tier code"), max_length=40)
    tier_reason = models.CharField(_("why this tier"), max_length=300, blank=True)
    tier_fixed = models.BooleanField(
        _("tier set by hand"),
        default=False,
        help_text=_("A tier set by an officer is not recomputed from the registry."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    # Seen by the facility's region (who offer its beds) and by the applicant's community (who
    # applied and follow the position): core.scope.restrict ORs the two paths.

    class Meta:
        verbose_name = _("wait-list entry")
        verbose_name_plural = _("wait-list entries")
        ordering = ["facility", "tier", "applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "elder"],
                condition=Q(status__in=OPEN_WAITLIST_STATUSES),
                name="one_open_waitlist_entry_per_facility",
            ),
        ]
        indexes = [
            models.Index(
                fields=["facility", "tier", "applied_on", "id"],
                condition=Q(status__in=OPEN_WAITLIST_STATUSES),
                name="waitlist_queue_idx",
            ),
            models.Index(fields=["elder", "status"], name="waitlist_elder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.elder} → {self.facility}"

    @property
    def tier_label(self) -> str:
        """The tier's name: `tier_reason` is "<label>: <the conditions that held>"."""
        return self.tier_reason.split(": ", 1)[0]


@scoped("entry__facility__region", "entry__elder__residence", provider="entry__facility__operator")
class WaitlistEvent(models.Model):
    """Every change to the queue: application, tier change, offer, pass-over, admission, leaving."""

    entry = models.ForeignKey(
        WaitlistEntry, verbose_name=_("wait-list entry"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=14, choices=WaitlistEventKind.choices)
    from_tier = models.PositiveSmallIntegerField(_("from tier"), null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(_("to tier"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("wait-list event")
        verbose_name_plural = _("wait-list events")
        ordering = ["entry", "at", "id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_kind_display()}"


@scoped("elder__residence")
class FamilyCareBed(models.Model):
    """A family care bed (家庭养老床位): professional care set up in the elder's home."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="family_care_beds"
    )
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("operating provider"),
        on_delete=models.PROTECT,
        related_name="family_care_beds",
    )
    set_up_on = models.DateField(_("set up on"))
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    service_package = models.CharField(_("service package"), max_length=200)
    monthly_hours = models.DecimalField(_("service hours per month"), max_digits=6, decimal_places=1)
    status = models.CharField(_("status"), max_length=10, choices=BedStatus.choices, default=BedStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family care bed")
        verbose_name_plural = _("family care beds")
        ordering = ["-set_up_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder"], condition=~Q(status="closed"), name="one_open_family_care_bed_per_elder"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="familybed_status_idx")]

    def __str__(self) -> str:
        return f"{self.elder} · {self.provider}"

    def clean(self) -> None:
        unknown = set(self.equipment or []) - set(Equipment.values)
        if unknown:
            raise ValidationError(
                {"equipment": _("Unknown equipment: %(e)s.") % {"e": ", ".join(sorted(unknown))}}
            )
        if self.monthly_hours is not None and self.monthly_hours < 0:
            raise ValidationError({"monthly_hours": _("Service hours cannot be negative.")})


@scoped("region")
class CommunityProfile(models.Model):
    """What the space standards need about a community beyond its household count."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("community"), on_delete=models.CASCADE, primary_key=True
    )
    estate = models.CharField(_("residential area"), max_length=4, choices=Estate.choices, default=Estate.OLD)
    population = models.PositiveIntegerField(_("residents"), null=True, blank=True)

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")

    def __str__(self) -> str:
        return f"{self.region} ({self.get_estate_display()})"
