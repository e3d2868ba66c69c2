from __future__ import annotations

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

import conditions
from core.scope import scoped
from regions.models import Region

from .choices import (
    OPEN_STATUSES,
    ApplicationStatus,
    Beneficiary,
    CheckCode,
    CheckDecision,
    Decision,
    DocumentKind,
    EntitlementStatus,
    Frequency,
    Level,
    PaymentForm,
    PaymentStatus,
    RollRunStatus,
    StopReason,
    SuspensionReason,
)
from .rules import gives_no_amount, missing_amounts, rule_errors

# Exactly one of elder, facility, caregiver is set (applications and entitlements).
ONE_BENEFICIARY = (
    Q(elder__isnull=False, facility__isnull=True, caregiver__isnull=True)
    | Q(elder__isnull=True, facility__isnull=False, caregiver__isnull=True)
    | Q(elder__isnull=True, facility__isnull=True, caregiver__isnull=False)
)


# An application, entitlement or payment is scoped by whichever beneficiary it has: the elder's
# residence, the facility's region, the region of the caregiver's employer (restrict ORs them).
BENEFICIARY_REGIONS = ("elder__residence", "facility__region", "caregiver__provider__region")


@scoped("region", read_above="region")
class Scheme(models.Model):
    """A subsidy as data: who qualifies, how much, how often, paid how, reviewed by whom."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for a national scheme."),
    )
    legal_basis = models.TextField(_("legal basis (document and clause)"))
    source_documents = models.JSONField(
        _("source documents"),
        default=list,
        blank=True,
        help_text=_("Keys of the pack's documents the scheme rests on (a draft or an ended period warns)."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    beneficiary = models.CharField(_("beneficiary"), max_length=10, choices=Beneficiary.choices)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    payment_form = models.CharField(_("payment form"), max_length=16, choices=PaymentForm.choices)
    eligibility = models.JSONField(_("eligibility (condition)"))
    amount_rule = models.JSONField(_("amount rule"))
    exclusivity_group = models.CharField(
        _("exclusivity group"),
        max_length=40,
        blank=True,
        help_text=_("Schemes of one group are not paid together: the higher one wins."),
    )
    application_needed = models.BooleanField(
        _("application needed"), default=True, help_text=_("Off: eligible people are enrolled automatically.")
    )
    suspend_when = models.JSONField(
        _("suspended while (condition)"),
        default=dict,
        blank=True,
        help_text=_(
            "While this condition holds for an elder (for example, living in an institution), the "
            "entitlement is suspended and not paid; it resumes when the condition ends. Empty: never."
        ),
    )
    review_levels = models.JSONField(_("review levels"), default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), null=True, blank=True)
    active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("A scheme whose amount the document does not give stays inactive."),
    )
    inactive_reason = models.CharField(_("why inactive"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy scheme")
        verbose_name_plural = _("subsidy schemes")
        ordering = ["region", "code"]
        indexes = [models.Index(fields=["region", "active"], name="scheme_region_active_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = {}
        try:
            conditions.validate(self.eligibility, path="eligibility")
        except ValidationError as exc:
            errors["eligibility"] = exc.messages
        else:
            errors["eligibility"] = conditions.subject_errors(
                self.eligibility, self.beneficiary, path="eligibility"
            )
        if self.suspend_when:
            try:
                conditions.validate(self.suspend_when, path="suspend_when")
            except ValidationError as exc:
                errors["suspend_when"] = exc.messages
            else:
                errors["suspend_when"] = conditions.subject_errors(
                    self.suspend_when, self.beneficiary, path="suspend_when"
                )
        errors = {k: v for k, v in errors.items() if v}
        problems = rule_errors(self.amount_rule or {})
        if problems:
            errors["amount_rule"] = problems
        elif self.active and gives_no_amount(self.amount_rule):
            # The document gives no amount: activating it would pay nobody anything.
            errors["active"] = [
                _("A scheme cannot be active before its amounts are set (%(missing)s).")
                % {"missing": ", ".join(missing_amounts(self.amount_rule))}
            ]
        if errors:
            raise ValidationError(errors)


@scoped("region", read_above="region")
class RegionalParameter(models.Model):
    """A local number some amounts are multiples of (the 低保 standard of a city, ...)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    name = models.CharField(_("parameter"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("regional parameter")
        verbose_name_plural = _("regional parameters")
        ordering = ["region", "name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "effective_from"], name="parameter_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="parameter_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.name}={self.value}"


@scoped(*BENEFICIARY_REGIONS)
class Application(models.Model):
    """An application for a scheme, climbing the scheme's review levels."""

    # Who the scheme pays: exactly one of elder, facility, caregiver (the scheme's beneficiary kind).
    elder = models.ForeignKey(
        "elders.Elder",
        verbose_name=_("elder"),
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        null=True,
        blank=True,
    )
    caregiver = models.ForeignKey(
        "services.Caregiver",
        verbose_name=_("caregiver"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        null=True,
        blank=True,
    )
    claimed_cost = models.DecimalField(
        _("claimed cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The cost the subsidy is a share of (fit-out and equipment, adaptation works, ...)."),
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=ApplicationStatus.choices, default=ApplicationStatus.UNDER_REVIEW
    )
    level = models.CharField(_("waiting at level"), max_length=10, choices=Level.choices, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Where a cash subsidy is paid: copied to the entitlement on approval and into the bank roster.
    payee_name = models.CharField(_("payee"), max_length=50, blank=True)
    payee_account = models.CharField(_("payee bank account"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "scheme"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open",
                violation_error_message=_("This elder already has an open application for this scheme."),
            ),
            models.UniqueConstraint(
                fields=["facility", "scheme"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_facility",
                violation_error_message=_("This facility already has an open application for this scheme."),
            ),
            models.UniqueConstraint(
                fields=["caregiver", "scheme"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_caregiver",
                violation_error_message=_("This caregiver already has an open application for this scheme."),
            ),
            models.CheckConstraint(
                condition=ONE_BENEFICIARY,
                name="application_one_beneficiary",
                violation_error_message=_("An application is for exactly one elder, facility or caregiver."),
            ),
            models.CheckConstraint(
                condition=Q(claimed_cost__isnull=True) | Q(claimed_cost__gt=0),
                name="application_cost_positive",
                violation_error_message=_("The cost must be a positive amount of yuan."),
            ),
        ]
        indexes = [models.Index(fields=["status", "level"], name="application_queue_idx")]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.scheme.code} ({self.get_status_display()})"

    @property
    def beneficiary(self):
        """The elder, facility or caregiver applied for."""
        return self.elder or self.facility or self.caregiver

    @property
    def beneficiary_region_id(self) -> str:
        if self.elder_id:
            return self.elder.residence_id
        if self.facility_id:
            return self.facility.region_id
        return self.caregiver.provider.region_id


def document_path(instance: ApplicationDocument, filename: str) -> str:
    """Stored under the application with a random name: the uploader's file name is kept apart."""
    return (
        f"subsidies/applications/{instance.application_id}/{uuid4().hex}{PurePath(filename).suffix.lower()}"
    )


@scoped(*(f"application__{p}" for p in BENEFICIARY_REGIONS))
class ApplicationDocument(models.Model):
    """A supporting document of an application (ID proof, hukou, assessment report, ...)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document type"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_kind_display()} {self.original_name}"


class ReviewStep(models.Model):
    """One decision on an application: who, at which level, when, what, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.level} {self.decision}"


@scoped(*BENEFICIARY_REGIONS)
class Entitlement(models.Model):
    """An approved right to a scheme's payments, from a first month on: of an elder, a facility
    (paid to its operator) or a caregiver, exactly one of them."""

    elder = models.ForeignKey(
        "elders.Elder",
        verbose_name=_("elder"),
        on_delete=models.PROTECT,
        related_name="entitlements",
        null=True,
        blank=True,
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        related_name="subsidy_entitlements",
        null=True,
        blank=True,
    )
    caregiver = models.ForeignKey(
        "services.Caregiver",
        verbose_name=_("caregiver"),
        on_delete=models.PROTECT,
        related_name="subsidy_entitlements",
        null=True,
        blank=True,
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="entitlements"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlement",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntitlementStatus.choices, default=EntitlementStatus.ACTIVE
    )
    first_period = models.CharField(_("first paid month"), max_length=7)
    last_period = models.CharField(_("last paid month"), max_length=7, blank=True)
    amount = models.DecimalField(_("amount per payment"), max_digits=10, decimal_places=2)
    payee_name = models.CharField(_("payee"), max_length=50, blank=True)
    payee_account = models.CharField(_("payee bank account"), max_length=40, blank=True, db_index=True)
    # Why and when it stopped; stopped_by empty means the daily job did it from the registry.
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    # A database default too: bulk loaders that insert rows in SQL need not know the column.
    stop_reason = models.CharField(
        _("why stopped"), max_length=12, choices=StopReason.choices, blank=True, db_default=""
    )
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stopped by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["elder", "facility", "caregiver", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "scheme"], condition=~Q(status="stopped"), name="entitlement_one_live"
            ),
            models.UniqueConstraint(
                fields=["facility", "scheme"],
                condition=~Q(status="stopped"),
                name="entitlement_one_live_facility",
            ),
            models.UniqueConstraint(
                fields=["caregiver", "scheme"],
                condition=~Q(status="stopped"),
                name="entitlement_one_live_caregiver",
            ),
            models.CheckConstraint(
                condition=ONE_BENEFICIARY,
                name="entitlement_one_beneficiary",
                violation_error_message=_(
                    "An entitlement belongs to exactly one elder, facility or caregiver."
                ),
            ),
        ]
        indexes = [models.Index(fields=["scheme", "status"], name="entitlement_scheme_status_idx")]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.scheme.code} {self.get_status_display()}"

    @property
    def beneficiary(self):
        """The elder, facility or caregiver it pays."""
        return self.elder or self.facility or self.caregiver


@scoped(*(f"entitlement__{p}" for p in BENEFICIARY_REGIONS))
class Suspension(models.Model):
    """A stretch of months an entitlement is not paid, with when, why and by whom it began and ended.

    Suspended on a day of month M: M is still paid, nothing from M+1 (`from_period`). Resumed on a
    day of month R: paid again from R+1 (`to_period` = R, the last month not paid). Empty
    `to_period`: still suspended. A suspension begun and ended in one month covers no month.
    """

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.CASCADE, related_name="suspensions"
    )
    from_period = models.CharField(_("first month not paid"), max_length=7)
    to_period = models.CharField(_("last month not paid"), max_length=7, blank=True)
    started_on = models.DateField(_("suspended on"))
    reason = models.CharField(_("why suspended"), max_length=20, choices=SuspensionReason.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suspended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the daily job."),
    )
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    end_reason = models.CharField(
        _("why resumed or closed"), max_length=20, choices=SuspensionReason.choices, blank=True
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resumed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the daily job."),
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["entitlement", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=Q(ended_on__isnull=True),
                name="suspension_one_open",
                violation_error_message=_("This entitlement is already suspended."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.from_period}-{self.to_period or '…'}"


@scoped("region")
class DisbursementBatch(models.Model):
    """One month's payments of one scheme in one region; approval locks it."""

    period = models.CharField(_("period"), max_length=7)
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="batches"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[("draft", _("Pending approval")), ("approved", _("Approved"))],
        default="draft",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")
        ordering = ["-period", "scheme"]
        constraints = [models.UniqueConstraint(fields=["period", "scheme", "region"], name="batch_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.scheme.code} {self.region_id}"


@scoped(*(f"entitlement__{p}" for p in BENEFICIARY_REGIONS))
class Payment(models.Model):
    """One payment of one entitlement for one month: never two (database constraint)."""

    batch = models.ForeignKey(
        DisbursementBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="payments"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.PROTECT, related_name="payments"
    )
    period = models.CharField(_("month paid for"), max_length=7)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    return_reason = models.CharField(_("why returned"), max_length=200, blank=True)
    # What the bank was told: the payee as it stood when the roll was approved. An account changed
    # later is paid from the next roll on, and an approved roll's roster never changes.
    payee_name_at_approval = models.CharField(
        _("payee when approved"), max_length=50, blank=True, default="", db_default=""
    )
    payee_account_at_approval = models.CharField(
        _("payee bank account when approved"), max_length=40, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-period", "id"]
        constraints = [
            # A returned payment does not count: it is re-issued in a later batch for the same month.
            models.UniqueConstraint(
                fields=["entitlement", "period"],
                condition=~Q(status="returned"),
                name="payment_one_per_entitlement_period",
                violation_error_message=_("This entitlement is already paid for this month."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_not_negative"),
        ]
        indexes = [models.Index(fields=["period", "batch"], name="payment_period_batch_idx")]

    def __str__(self) -> str:
        return f"{self.entitlement} {self.period} {self.amount}"


@scoped("region")
class RollRun(models.Model):
    """A month's payment roll run (or re-run) from the pages: who asked, its progress and result.

    The run itself is the same idempotent service as the command and the monthly task; this record
    lets the city or district see it advance and keeps who ran what.
    """

    period = models.CharField(_("month"), max_length=7)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=8, choices=RollRunStatus.choices, default=RollRunStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(_("steps done"), default=0)
    steps = models.PositiveSmallIntegerField(_("steps"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    batches = models.PositiveIntegerField(_("rolls"), default=0)
    payments = models.PositiveIntegerField(_("new payments"), default=0)
    stopped = models.PositiveIntegerField(_("entitlements stopped"), default=0)
    checks = models.PositiveIntegerField(_("payments to look at again"), default=0)
    error = models.TextField(_("what went wrong"), blank=True)


    class Meta:
        verbose_name = _("payment roll run")
        verbose_name_plural = _("payment roll runs")
        ordering = ["-requested_at"]
        constraints = [
            # One run at a time per month and region: a second click waits for the first.
            models.UniqueConstraint(
                fields=["period", "region"],
                condition=Q(status__in=("queued", "running")),
                name="rollrun_one_active",
                violation_error_message=_("This month's roll is already being run for this region."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.region_id} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == RollRunStatus.DONE:
            return 100
        return int(100 * self.step / self.steps) if self.steps else 0


@scoped("batch__region")
class RollCheck(models.Model):
    """A cross-check raised on one payee of a roll, and what the approver decided about it.

    Kept per batch and entitlement (payments are partitioned: nothing may point into them), so a
    re-run of the roll keeps the decisions already taken and adds only new findings.
    """

    batch = models.ForeignKey(
        DisbursementBatch, verbose_name=_("roll"), on_delete=models.CASCADE, related_name="checks"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("why to look again"), max_length=16, choices=CheckCode.choices)
    decision = models.CharField(
        _("decision"), max_length=12, choices=CheckDecision.choices, default=CheckDecision.OPEN
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)


    class Meta:
        verbose_name = _("roll cross-check")
        verbose_name_plural = _("roll cross-checks")
        ordering = ["batch", "entitlement", "code"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "entitlement", "code"], name="rollcheck_unique")
        ]
        indexes = [models.Index(fields=["batch", "decision"], name="rollcheck_batch_decision_idx")]

    def __str__(self) -> str:
        return f"{self.batch} {self.entitlement_id} {self.code}"
