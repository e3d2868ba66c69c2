"""Home services bought with a service allowance: prices, orders from request to confirmation,
cross-check flags, monthly settlement statements per provider, and emergency calls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from elders.models import Elder
from services.choices import ServiceKind

from .choices import (
    AllowanceUnit,
    CallChannel,
    CallKind,
    CallStatus,
    Channel,
    ConfirmedBy,
    FlagDecision,
    FlagKind,
    LineStatus,
    OrderStatus,
    PriceUnit,
    StatementStatus,
    StaySource,
    Unused,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


@scoped("region")
class ContractPrice(models.Model):
    """What one catalogue item costs an allowance: the pack's price in a region (no provider)
    or a provider's contract price there, which wins over the pack's."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contract_prices",
        help_text=_("Empty: the policy pack's price for every provider of the region."),
    )
    # A pack reload drops an item it no longer lists: its prices go with it (orders still PROTECT it).
    item = models.ForeignKey(
        "services.CatalogueItem", verbose_name=_("catalogue item"), on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind of service"), max_length=12, choices=ServiceKind.choices)
    unit = models.CharField(_("priced"), max_length=6, choices=PriceUnit.choices)
    price = models.DecimalField(_("price (yuan)"), **MONEY)
    min_minutes = models.PositiveIntegerField(_("shortest service (minutes)"))
    max_minutes = models.PositiveIntegerField(_("longest service (minutes)"))
    requires_certificate = models.BooleanField(_("needs a certified caregiver"), default=False)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)


    class Meta:
        verbose_name = _("service price")
        verbose_name_plural = _("service prices")
        ordering = ["region", "item", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "provider", "item", "effective_from"],
                nulls_distinct=False,
                name="contract_price_unique",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="contract_price_not_negative"),
            models.CheckConstraint(
                condition=Q(min_minutes__lte=F("max_minutes")), name="contract_price_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.price}/{self.get_unit_display()}"


@scoped("elder__residence")
class HomeLocation(models.Model):
    """Where the elder's home is on the map, as a worker recorded it: check-ins are compared with it."""

    elder = models.OneToOneField(
        Elder, verbose_name=_("elder"), on_delete=models.CASCADE, related_name="home_location"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    # Who moved the home and when: the distance check depends on it.
    history = HistoricalRecords()


    class Meta:
        verbose_name = _("home location")
        verbose_name_plural = _("home locations")

    def __str__(self) -> str:
        return f"{self.elder_id} {self.latitude},{self.longitude}"


@scoped("elder__residence")
class HospitalStay(models.Model):
    """The elder was in hospital from the admission day until the discharge day (open while
    there): home services begun in that time, the discharge day excepted (the elder comes home),
    are flagged. Institutions are facilities' residencies; hospitals are not facilities of the
    bureau, so their stays are recorded here, by a worker or another system through the API."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.CASCADE, related_name="hospital_stays"
    )
    hospital = models.CharField(_("hospital"), max_length=100)
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(
        _("discharged on"), null=True, blank=True, help_text=_("Empty: still in hospital.")
    )
    source = models.CharField(_("source"), max_length=10, choices=StaySource.choices)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("hospital stay")
        verbose_name_plural = _("hospital stays")
        ordering = ["-admitted_on", "-id"]
        indexes = [models.Index(fields=["elder", "admitted_on"], name="stay_elder_admitted_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="stay_discharged_after_admitted",
                violation_error_message=_("The discharge cannot be before the admission."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.hospital} {self.admitted_on}"


@scoped("elder__residence")
class ConfirmationPin(models.Model):
    """The elder's service PIN, given to the elder or family by the community: typed on the
    caregiver's phone, it confirms a service was delivered. Stored hashed."""

    elder = models.OneToOneField(
        Elder, verbose_name=_("elder"), on_delete=models.CASCADE, related_name="confirmation_pin"
    )
    pin_hash = models.CharField(max_length=128)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)
    # Every setting and reset, by whom and when; never the hash.
    history = HistoricalRecords(excluded_fields=["pin_hash"])


    class Meta:
        verbose_name = _("confirmation PIN")
        verbose_name_plural = _("confirmation PINs")

    def __str__(self) -> str:
        return str(self.elder_id)


class CaregiverAccount(models.Model):
    """Which caregiver a provider_staff account is: that account sees the caregiver's day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="caregiver_link",
    )
    caregiver = models.OneToOneField(
        "services.Caregiver", verbose_name=_("caregiver"), on_delete=models.CASCADE, related_name="account"
    )

    class Meta:
        verbose_name = _("caregiver account")
        verbose_name_plural = _("caregiver accounts")

    def __str__(self) -> str:
        return f"{self.user} = {self.caregiver}"


@scoped("elder__residence")
class Order(models.Model):
    """One home service asked for, dispatched, delivered, confirmed."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="home_orders"
    )
    item = models.ForeignKey(
        "services.CatalogueItem", verbose_name=_("catalogue item"), on_delete=models.PROTECT
    )
    provider = models.ForeignKey(
        "services.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="home_orders"
    )
    entitlement = models.ForeignKey(
        "subsidies.Entitlement",
        verbose_name=_("allowance drawn on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_orders",
        help_text=_("Empty: paid by the elder."),
    )
    price = models.ForeignKey(
        ContractPrice, verbose_name=_("price"), on_delete=models.PROTECT, related_name="+"
    )
    wanted_at = models.DateTimeField(_("wanted at"))
    address = models.CharField(_("address"), max_length=200)
    channel = models.CharField(_("ordered by"), max_length=10, choices=Channel.choices)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    caregiver = models.ForeignKey(
        "services.Caregiver",
        verbose_name=_("caregiver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_orders",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_latitude = models.DecimalField(
        _("check-in latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_longitude = models.DecimalField(
        _("check-in longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_distance_m = models.PositiveIntegerField(
        _("check-in distance from the home (m)"), null=True, blank=True
    )
    distance_limit_m = models.PositiveIntegerField(_("distance allowed (m)"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checkout_latitude = models.DecimalField(
        _("check-out latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkout_longitude = models.DecimalField(
        _("check-out longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    work_done = models.TextField(_("what was done"), blank=True)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=8, choices=ConfirmedBy.choices, blank=True)
    service_record = models.OneToOneField(
        "services.ServiceRecord",
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by (account)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)


    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-wanted_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "status", "wanted_at"], name="order_provider_status_idx"),
            models.Index(fields=["caregiver", "wanted_at"], name="order_caregiver_day_idx"),
            # The overlap cross-check probes a caregiver's services by check-in time.
            models.Index(fields=["caregiver", "checked_in_at"], name="order_caregiver_checkin_idx"),
            models.Index(fields=["status", "checked_in_at"], name="order_status_checkin_idx"),
            models.Index(fields=["elder", "wanted_at"], name="order_elder_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="order_checkout_after_checkin",
                violation_error_message=_("Check-out cannot be before check-in."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="order_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.item.name} {self.wanted_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int | None:
        if self.checked_in_at and self.checked_out_at:
            return int((self.checked_out_at - self.checked_in_at).total_seconds() // 60)
        return None


@scoped("order__elder__residence")
class Flag(models.Model):
    """A cross-check finding on an order: its settlement line is held until the district decides."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("finding"), max_length=16, choices=FlagKind.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=FlagDecision.choices, default=FlagDecision.PENDING
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)


    class Meta:
        verbose_name = _("cross-check flag")
        verbose_name_plural = _("cross-check flags")
        ordering = ["decision", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="flag_one_per_kind")]
        indexes = [models.Index(fields=["decision"], name="flag_decision_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_kind_display()}"


@scoped("elder__residence")
class AllowanceMonth(models.Model):
    """One month of one elder's service allowance: granted, carried in, used by settled services."""

    entitlement = models.ForeignKey(
        "subsidies.Entitlement",
        verbose_name=_("entitlement"),
        on_delete=models.PROTECT,
        related_name="allowance_months",
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="allowance_months"
    )
    period = models.CharField(_("month"), max_length=7)
    unit = models.CharField(_("unit"), max_length=6, choices=AllowanceUnit.choices)
    granted = models.DecimalField(_("granted"), **MONEY)
    carried_in = models.DecimalField(_("carried over from last month"), default=0, **MONEY)
    used = models.DecimalField(_("used"), default=0, **MONEY)
    unused_rule = models.CharField(_("unused allowance"), max_length=6, choices=Unused.choices)


    class Meta:
        verbose_name = _("allowance month")
        verbose_name_plural = _("allowance months")
        ordering = ["-period", "elder"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "period"], name="allowance_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.period} {self.granted}"

    @property
    def left(self):
        return self.granted + self.carried_in - self.used


@scoped("region")
class Statement(models.Model):
    """One month of one provider's settled services, approved by the district (or city)."""

    provider = models.ForeignKey(
        "services.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="statements"
    )
    period = models.CharField(_("month"), max_length=7)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    claimed = models.DecimalField(_("claimed"), default=0, **MONEY)
    payable = models.DecimalField(_("payable"), default=0, **MONEY)
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
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        ordering = ["-period", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="statement_provider_period")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.period}"


@scoped("statement__region")
class StatementLine(models.Model):
    """One service on a statement: never on two (the order is unique here)."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="lines"
    )
    order = models.OneToOneField(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="line"
    )
    elder = models.ForeignKey(Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="+")
    entitlement = models.ForeignKey(
        "subsidies.Entitlement", verbose_name=_("entitlement"), on_delete=models.PROTECT, related_name="+"
    )
    claimed = models.DecimalField(_("claimed"), **MONEY)
    paid = models.DecimalField(_("paid"), **MONEY)
    used = models.DecimalField(_("allowance used"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices)
    late = models.BooleanField(
        _("delivered in an earlier month"),
        default=False,
        help_text=_("Confirmed after its own month was settled: paid with this month, within its allowance."),
    )
    dispute_reason = models.TextField(_("disputed by the provider because"), blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)


    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "id"]
        indexes = [models.Index(fields=["statement", "status"], name="line_statement_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("claimed")), name="line_paid_within_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.order_id} {self.paid}"


@scoped("region")
class Duty(models.Model):
    """Who answers emergency calls of a region for a stretch of time: a provider, or the community itself."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("provider on duty"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))


    class Meta:
        verbose_name = _("emergency duty")
        verbose_name_plural = _("emergency duties")
        ordering = ["region", "-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="duty_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.provider}"


@scoped("elder__residence")
class EmergencyCall(models.Model):
    """A one-button or 12349 call: assigned, answered within the pack's deadline, or escalated."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="emergency_calls"
    )
    time = models.DateTimeField(_("time of the call"))
    kind = models.CharField(_("kind"), max_length=8, choices=CallKind.choices)
    channel = models.CharField(_("came through"), max_length=8, choices=CallChannel.choices)
    notes = models.TextField(_("notes"), blank=True)
    assigned_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("assigned to (community)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_provider = models.ForeignKey(
        "services.Provider",
        verbose_name=_("assigned to (provider on duty)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateTimeField(_("respond by"))
    status = models.CharField(_("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "regions.Region",
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)


    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="call_status_deadline_idx"),
            models.Index(fields=["time"], name="call_time_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "time", "kind"],
                name="call_unique",
                violation_error_message=_("This call is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.get_kind_display()} {self.time:%Y-%m-%d %H:%M}"
