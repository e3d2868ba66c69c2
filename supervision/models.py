"""Supervision (综合监管): checklists from the packs, inspection plans and the random draw,
inspections item by item, findings, rectification orders, complaints and service ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from facilities.choices import Estate as EstateKind

from .choices import (
    CaseActionKind,
    Channel,
    ComplaintStatus,
    ContractDecision,
    InspectionKind,
    InspectionStatus,
    ItemArea,
    OrderStatus,
    Outcome,
    Publication,
    Purpose,
    Rater,
    RoomProblem,
    RoomStatus,
    SafetyRisk,
    Satisfaction,
    Severity,
    StarStatus,
    Subject,
    TaskReason,
    TaskStatus,
)


@scoped(unscoped="Pack data: the same checklists for every account, written by loading a pack.")
class Checklist(models.Model):
    """An inspection checklist of a policy pack: which facility kinds (or service kinds) it is for.

    National checklists (region empty) apply everywhere; a city's apply under its region, on top
    of the national ones. Rows are written by loading the pack, never by hand.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: the national baseline, in force everywhere."),
    )
    pack = models.CharField(_("policy pack"), max_length=40)
    purpose = models.CharField(
        _("used for"), max_length=16, choices=Purpose.choices, default=Purpose.INSPECTION
    )
    facility_kinds = models.JSONField(_("facility kinds"), default=list, blank=True)
    service_kinds = models.JSONField(_("service kinds"), default=list, blank=True)
    ownerships = models.JSONField(
        _("ownerships"), default=list, blank=True, help_text=_("Empty: facilities of any ownership.")
    )
    source = models.JSONField(_("sources"), default=dict, blank=True)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("inspection checklist")
        verbose_name_plural = _("inspection checklists")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


@scoped(unscoped="Pack data: the same checklists for every account, written by loading a pack.")
class ChecklistItem(models.Model):
    """One thing an inspector checks, with the standard or document and clause it comes from."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    area = models.CharField(_("area"), max_length=16, choices=ItemArea.choices)
    risk = models.CharField(_("safety risk"), max_length=16, choices=SafetyRisk.choices, blank=True)
    text = models.TextField(_("what is checked"))
    standard = models.CharField(_("standard or document"), max_length=200)
    clause = models.CharField(_("clause"), max_length=60)
    severity = models.CharField(
        _("severity when not met"), max_length=8, choices=Severity.choices, default=Severity.GENERAL
    )
    points = models.PositiveSmallIntegerField(
        _("points"), null=True, blank=True, help_text=_("Scored checklists: the most an item can earn.")
    )
    source = models.JSONField(_("sources"), default=dict, blank=True)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


def upload_path(instance, filename: str) -> str:
    """Stored with a random name: the uploader's file name is kept apart."""
    from pathlib import PurePath
    from uuid import uuid4

    return f"supervision/{type(instance).__name__.lower()}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


# What is published to everyone (双随机一公开), per the plan: a drawn plan that publishes its
# results, the done inspections of its draw, and (when it says so) their findings and orders.
# Inspections opened by a complaint or a task, and plans not yet drawn, are never public.
_PUBLISHED = [Publication.RESULTS, Publication.FINDINGS]


@scoped("region", public=Q(drawn_at__isnull=False, publication__in=_PUBLISHED))
class InspectionPlan(models.Model):
    """A region's yearly inspection plan (双随机一公开): which kinds, what share, in which months.

    The draw stores its seed and the pools it drew from, so anyone can draw again and get the
    same facilities and inspectors (`services.reproduce_draw`).
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    facility_kinds = models.JSONField(_("facility kinds"), default=list)
    share_percent = models.PositiveSmallIntegerField(_("share of facilities drawn (%)"))
    months = models.JSONField(
        _("months"), default=list, help_text=_("Months of the year the inspections fall in.")
    )
    inspectors_per_team = models.PositiveSmallIntegerField(_("inspectors per inspection"), default=2)
    publication = models.CharField(
        _("published"),
        max_length=8,
        choices=Publication.choices,
        default=Publication.RESULTS,
        help_text=_("What the public results page shows of this plan's inspections once they are done."),
    )
    inspector_pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="inspection_plans"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    seed = models.CharField(_("seed of the draw"), max_length=64, blank=True)
    drawn_pool = models.JSONField(_("pools drawn from"), default=dict, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_plan_per_region_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


@scoped(
    "facility__region",
    public=Q(kind=InspectionKind.DRAWN, status=InspectionStatus.DONE, plan__publication__in=_PUBLISHED),
)
class Inspection(models.Model):
    """One inspection of a facility: drawn by a plan, opened by a complaint or a task, or a re-inspection."""

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=14, choices=InspectionKind.choices)
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    month = models.PositiveSmallIntegerField(_("month due"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="inspections"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "inspected_on"], name="inspection_status_idx")]

    def __str__(self) -> str:
        return f"{self.facility} {self.get_kind_display()}"


@scoped("inspection__facility__region", provider="inspection__facility__operator")
class InspectionResult(models.Model):
    """The inspector's judgement of one checklist item, with a note and a photo."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to=upload_path, blank=True, max_length=200)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="one_result_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_outcome_display()}"


@scoped(
    "inspection__facility__region",
    provider="inspection__facility__operator",
    public=Q(
        inspection__kind=InspectionKind.DRAWN,
        inspection__status=InspectionStatus.DONE,
        inspection__plan__publication=Publication.FINDINGS,
    ),
)
class Finding(models.Model):
    """An item not met, with its severity (and the safety risk of the item, for the figures)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    result = models.OneToOneField(
        InspectionResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="finding"
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    risk = models.CharField(_("safety risk"), max_length=16, choices=SafetyRisk.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    found_on = models.DateField(_("found on"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_on"]

    def __str__(self) -> str:
        return f"{self.result.item.code} {self.get_severity_display()}"


@scoped(
    "facility__region",
    provider="operator",
    public=Q(
        finding__inspection__kind=InspectionKind.DRAWN,
        finding__inspection__plan__publication=Publication.FINDINGS,
    ),
)
class RectificationOrder(models.Model):
    """A rectification order (整改通知) on a serious finding: deadline, the operator's answer with
    evidence, the re-inspection that closes or escalates it, and the case kept with it."""

    finding = models.OneToOneField(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="order"
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="rectification_orders",
    )
    operator = models.ForeignKey(
        "services.Provider",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_orders",
    )
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    answer = models.TextField(_("operator's answer"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=upload_path, blank=True, max_length=200)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reinspection = models.OneToOneField(
        Inspection,
        verbose_name=_("re-inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspected_order",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline"]
        indexes = [models.Index(fields=["status", "deadline"], name="order_status_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.facility} {self.deadline}"


@scoped("order__facility__region")
class CaseAction(models.Model):
    """An interview (约谈) of the operator's responsible person, or a referral for penalty."""

    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("rectification order"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseActionKind.choices)
    on = models.DateField(_("date"))
    counterpart = models.CharField(_("with whom / referred to"), max_length=200)
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case record")
        verbose_name_plural = _("case records")
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


@scoped("region")
class Complaint(models.Model):
    """A complaint (投诉) about a service, a provider, a caregiver or a facility, with its handling."""

    channel = models.CharField(_("received through"), max_length=12, choices=Channel.choices)
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    service_record = models.ForeignKey(
        "services.ServiceRecord",
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    caregiver = models.ForeignKey(
        "services.Caregiver", verbose_name=_("caregiver"), on_delete=models.PROTECT, null=True, blank=True
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("responsible region"),
        on_delete=models.PROTECT,
        help_text=_("Where the subject belongs: its office handles the complaint."),
    )
    complainant = models.CharField(_("complainant"), max_length=100)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=20, blank=True)
    content = models.TextField(_("complaint"))
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("handling deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    satisfaction = models.CharField(
        _("complainant's satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    inspection = models.OneToOneField(
        Inspection,
        verbose_name=_("inspection opened"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="complaint_status_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.received_at:%Y-%m-%d}"


@scoped("elder__residence", provider="provider")
class ServiceRating(models.Model):
    """The elder's (or family's) 1-5 rating of a service record or a visit, with reasons, recorded
    on their behalf by the worker or the caregiver, who is kept."""

    elder = models.ForeignKey(
        "elders.Elder", verbose_name=_("elder"), on_delete=models.PROTECT, related_name="ratings"
    )
    service_record = models.OneToOneField(
        "services.ServiceRecord",
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating",
    )
    # No database constraint: visits are partitioned by month on PostgreSQL and a foreign key cannot
    # point into a partitioned table (as services.FollowUp); ratings are made by the service only.
    visit = models.OneToOneField(
        "services.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating",
        db_constraint=False,
    )
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(_("score (1-5)"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rater = models.CharField(_("rated by"), max_length=8, choices=Rater.choices)
    rated_on = models.DateField(_("rated on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-rated_on"]
        indexes = [models.Index(fields=["provider", "rated_on"], name="rating_provider_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(service_record__isnull=False, visit__isnull=True)
                | models.Q(service_record__isnull=True, visit__isnull=False),
                name="rating_of_a_record_or_a_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.rated_on}"


@scoped("region")
class SupervisionTask(models.Model):
    """A task for the district: a provider whose month's rating is low, or who is complained of
    again and again. Opened once per provider, reason and month."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="supervision_tasks",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=TaskReason.choices)
    period = models.CharField(_("month"), max_length=7)
    detail = models.TextField(_("detail"))
    status = models.CharField(_("status"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reason", "period"], name="one_task_per_provider_reason_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.get_reason_display()} {self.period}"


# --- community elder-care rooms of residential estates (配建) ------------------------------------


@scoped("region")
class ResidentialEstate(models.Model):
    """A residential estate (住宅小区) bound to provide an elder-care room (配建养老服务用房)."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="estates",
        help_text=_("The community (residents' committee) the estate lies in."),
    )
    kind = models.CharField(_("kind of estate"), max_length=4, choices=EstateKind.choices)
    households = models.PositiveIntegerField(_("households"))
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    developer = models.CharField(_("developer"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("residential estate")
        verbose_name_plural = _("residential estates")
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="one_estate_name_per_community")]

    def __str__(self) -> str:
        return self.name


@scoped("estate__region")
class EstateRoomCheck(models.Model):
    """The yearly check (督查) of an estate's elder-care room: planned, handed over, in use, its
    area against the city's space standard, and what is to be corrected."""

    estate = models.ForeignKey(
        ResidentialEstate, verbose_name=_("residential estate"), on_delete=models.PROTECT, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("state of the room"), max_length=12, choices=RoomStatus.choices)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility run in the room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="estate_room_checks",
    )
    # What the standard in force asked at the check, kept: a later pack does not rewrite the past.
    required_m2 = models.DecimalField(
        _("area required (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    min_site_m2 = models.DecimalField(
        _("smallest site (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    measure = models.CharField(_("measured as"), max_length=5, blank=True)
    standard_source = models.TextField(_("standard"), blank=True)
    meets_standard = models.BooleanField(_("meets the standard"), null=True)
    problems = models.JSONField(_("to be corrected"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("estate room check")
        verbose_name_plural = _("estate room checks")
        ordering = ["-year", "estate"]
        constraints = [models.UniqueConstraint(fields=["estate", "year"], name="one_room_check_per_estate_year")]

    def __str__(self) -> str:
        return f"{self.estate} {self.year}"

    def problem_labels(self) -> list[str]:
        return [str(RoomProblem(p).label) for p in self.problems if p in RoomProblem.values]


# --- yearly performance review of publicly built, privately run operators (公建民营) -------------


@scoped("facility__region", provider="operator")
class OperatorReview(models.Model):
    """A year's performance review of the operator of a 公建民营 facility against the pack's
    checklist, scored, with the recommendation and the contract decision it feeds."""

    facility = models.ForeignKey(
        "facilities.Facility", verbose_name=_("facility"), on_delete=models.PROTECT, related_name="operator_reviews"
    )
    operator = models.ForeignKey(
        "services.Provider", verbose_name=_("operator"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("points per item"), default=dict)
    notes = models.JSONField(_("notes per item"), default=dict, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    max_points = models.DecimalField(_("out of"), max_digits=7, decimal_places=1)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1)
    pass_score = models.DecimalField(_("pass score (%)"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("passed"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=ContractDecision.choices)
    summary = models.TextField(_("summary"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("contract decision"), max_length=10, choices=ContractDecision.choices, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("operator performance review")
        verbose_name_plural = _("operator performance reviews")
        ordering = ["-year", "facility"]
        constraints = [models.UniqueConstraint(fields=["facility", "year"], name="one_review_per_facility_year")]

    def __str__(self) -> str:
        return f"{self.facility} {self.year}"


# --- star rating as a process (星级评定) -----------------------------------------------------------


@scoped("facility__region", provider="operator", public=Q(status=StarStatus.PUBLISHED))
class StarApplication(models.Model):
    """An operator's application for a star rating of its facility: evaluators assigned, each
    scoring the pack's checklist on a phone, the result into the facility's star history, and
    its publication."""

    facility = models.ForeignKey(
        "facilities.Facility", verbose_name=_("facility"), on_delete=models.PROTECT, related_name="star_applications"
    )
    operator = models.ForeignKey(
        "services.Provider", verbose_name=_("operator"), on_delete=models.PROTECT, related_name="star_applications"
    )
    star_applied = models.PositiveSmallIntegerField(_("stars applied for"))
    statement = models.TextField(_("the operator's statement"))
    applied_on = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=StarStatus.choices, default=StarStatus.APPLIED)
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluators"), related_name="star_evaluations", blank=True
    )
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    star_awarded = models.PositiveSmallIntegerField(_("stars awarded"), null=True, blank=True)
    rating = models.OneToOneField(
        "facilities.StarRating",
        verbose_name=_("star rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )
    decided_on = models.DateField(_("rated on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("star rating application")
        verbose_name_plural = _("star rating applications")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(star_applied__gte=1, star_applied__lte=5), name="star_applied_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["facility"],
                condition=models.Q(status__in=["applied", "evaluating"]),
                name="one_open_star_application_per_facility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.star_applied}★ {self.applied_on}"


@scoped("application__facility__region", provider="application__operator")
class StarScoreSheet(models.Model):
    """One evaluator's scores of a star application, item by item."""

    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="sheets"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(_("points per item"), default=dict)
    notes = models.JSONField(_("notes per item"), default=dict, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1)
    evaluated_on = models.DateField(_("evaluated on"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("star score sheet")
        verbose_name_plural = _("star score sheets")
        ordering = ["application", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "evaluator"], name="one_sheet_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.percent}%"
