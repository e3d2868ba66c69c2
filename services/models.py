from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

import conditions
from core.scope import scope_binding, scoped
from elders.models import Elder
from elders.rules import IdNumberError, parse_id_number
from regions.choices import Role

from .choices import (
    CatalogueStatus,
    CreditKind,
    FilingStatus,
    FollowUpStatus,
    Funding,
    ItemCategory,
    Problem,
    ProviderKind,
    ServiceKind,
    VisitMethod,
    VisitOutcome,
)
from .rules import uscc_error


@scoped("elder__residence")
class Visit(models.Model):
    """A caring visit (探访关爱) to an elder: at home, by phone or by video."""

    elder = models.ForeignKey(Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        related_name="visits_made",
    )
    visited_at = models.DateTimeField(_("visited at"))
    method = models.CharField(_("method"), max_length=8, choices=VisitMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=VisitOutcome.choices)
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["elder", "visited_at"], name="visit_elder_time_idx"),
            models.Index(fields=["visited_at"], name="visit_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.visited_at:%Y-%m-%d} {self.get_method_display()}"

    def problem_labels(self) -> list[str]:
        labels = dict(Problem.choices)
        return [str(labels.get(p, p)) for p in self.problems]


@scoped("elder__residence")
class VisitStatus(models.Model):
    """Where one elder stands with caring visits, stored so the due list walks an index instead of
    scanning millions of visits: whether they are in the visit target group (set by the nightly
    refresh and whenever their facts or assessments change), their last visit and their last
    counted visit (kept by the visit service as each visit is recorded)."""

    elder = models.OneToOneField(
        Elder,
        verbose_name=_("elder"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="visit_status",
    )
    in_target_group = models.BooleanField(_("in the visit target group"), default=False)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    last_outcome = models.CharField(_("outcome of the last visit"), max_length=10, blank=True)
    last_counted_at = models.DateTimeField(_("last counted visit"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit status")
        verbose_name_plural = _("visit statuses")
        indexes = [
            # The due list's order: never visited first, then longest unvisited. PostgreSQL gets
            # this index with NULLS FIRST (migration 0004); SQLite sorts NULLs first anyway.
            models.Index(
                fields=["last_visit_at", "elder"],
                condition=models.Q(in_target_group=True),
                name="visitstatus_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.last_visit_at or '-'}"


@scoped("elder__residence")
class FollowUp(models.Model):
    """A problem found on a visit, open on the street's list until someone closes it."""

    # No database constraint: visits are partitioned by month on PostgreSQL, and a foreign key
    # cannot point into a partitioned table (eldercare/partitions.py). Follow-ups are only made
    # by the visit service with their visit, and visits are never deleted (PROTECT still holds).
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
        db_constraint=False,
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    problem = models.CharField(_("problem"), max_length=10, choices=Problem.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="followup_status_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "problem"],
                condition=models.Q(status="open"),
                name="followup_one_open_per_problem",
                violation_error_message=_("This problem is already being followed up."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.get_problem_display()} ({self.get_status_display()})"


@scoped("region", read_above="region")
class Catalogue(models.Model):
    """A region's published basic elderly-care service list (基本养老服务清单), one version."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for the national list."),
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CatalogueStatus.choices, default=CatalogueStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("list it must cover"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service catalogue")
        verbose_name_plural = _("service catalogues")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="catalogue_region_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


@scoped("catalogue__region", read_above="catalogue__region")
class CatalogueItem(models.Model):
    """One service of a list: who qualifies (a condition), what they get, by which standard."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("Stable across levels: a county item covers the city item of the same code."),
    )
    category = models.CharField(_("category"), max_length=10, choices=ItemCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    target_group = models.JSONField(_("target group (condition)"))
    content = models.TextField(_("content"), blank=True)
    standard = models.TextField(_("standard"), blank=True)
    standard_level = models.DecimalField(
        _("standard level"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    standard_unit = models.CharField(_("unit of the standard level"), max_length=30, blank=True)
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    application_path = models.TextField(_("how to apply"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # An item taken off the list while service records still point at it stays, marked retired:
    # the records keep their item, and no elder is entitled to it from that day.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["catalogue", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        try:
            conditions.validate(self.target_group, path="target_group")
        except ValidationError as exc:
            raise ValidationError({"target_group": exc.messages}) from exc


@scoped("region", provider="pk")
class Provider(models.Model):
    """A filed (备案) provider of elder-care services."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProviderKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("region served"), on_delete=models.PROTECT)
    filing_status = models.CharField(
        _("filing status"), max_length=8, choices=FilingStatus.choices, default=FilingStatus.PENDING
    )
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        error = uscc_error(self.credit_code or "")
        if error:
            raise ValidationError({"credit_code": error})
        self.credit_code = self.credit_code.strip().upper()


@scoped("provider__region", provider="provider")
class CreditRecord(models.Model):
    """A warning or a blacklisting of a provider, with its reason and dates."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="credit_records"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CreditKind.choices)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while in force."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.provider} {self.get_kind_display()} {self.starts_on}"


@scoped("provider__region", provider="provider")
class ProviderStaff(models.Model):
    """Which provider a provider_staff account works for: they record that provider's services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="provider_link",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="staff_accounts"
    )

    class Meta:
        verbose_name = _("provider account")
        verbose_name_plural = _("provider accounts")

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"


@scope_binding("provider")
def _bound_provider(who) -> list[int] | None:
    """A provider's staff work for one provider: the models that name one (`provider=` in their
    @scoped) show them only that provider's rows; other roles are not bound."""
    if who.role != Role.PROVIDER_STAFF:
        return None
    return list(ProviderStaff.objects.filter(user_id=who.user.pk).values_list("provider_id", flat=True))


@scoped("provider__region", provider="provider")
class Caregiver(models.Model):
    """A caregiver (养老护理员) employed by a provider, with skill level and certificate."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="caregivers"
    )
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50)
    skill_level = models.PositiveSmallIntegerField(
        _("vocational skill level"),
        choices=[
            (5, _("Level 5 (junior)")),
            (4, _("Level 4 (intermediate)")),
            (3, _("Level 3 (senior)")),
            (2, _("Level 2 (technician)")),
            (1, _("Level 1 (senior technician)")),
        ],
        null=True,
        blank=True,
    )
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    certificate_expires = models.DateField(_("certificate expires"), null=True, blank=True)
    active = models.BooleanField(_("employed"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.id_number = parse_id_number(self.id_number, today=timezone.localdate()).number
        except IdNumberError as exc:
            raise ValidationError({"id_number": str(exc)}) from exc


@scoped("elder__residence", provider="provider")
class ServiceRecord(models.Model):
    """A service delivered to an elder: which item, by whom, when, how long, funded how."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="service_records"
    )
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, null=True, blank=True
    )
    kind = models.CharField(_("kind of service"), max_length=12, choices=ServiceKind.choices)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="service_records"
    )
    caregiver = models.ForeignKey(
        Caregiver, verbose_name=_("caregiver"), on_delete=models.PROTECT, null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["provider", "started_at"], name="service_provider_time_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "item", "caregiver", "started_at"],
                name="service_record_unique",
                violation_error_message=_(
                    "This service is already recorded (same elder, item, caregiver and start)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="service_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.get_kind_display()} {self.started_at:%Y-%m-%d}"
