from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Region

from .choices import Beneficiary, Frequency, PaymentForm


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
    review_levels = models.JSONField(_("review levels"), default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), null=True, blank=True)
    active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("A scheme whose amount the document does not give stays inactive."),
    )
    inactive_reason = models.CharField(_("why inactive"), max_length=200, blank=True)
    history = HistoricalRecords()

    scope_field = "region"

    class Meta:
        verbose_name = _("subsidy scheme")
        verbose_name_plural = _("subsidy schemes")
        ordering = ["region", "code"]
        indexes = [models.Index(fields=["region", "active"], name="scheme_region_active_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from elders import conditions

        from .rules import rule_errors

        errors = {}
        try:
            conditions.validate(self.eligibility, path="eligibility")
        except ValidationError as exc:
            errors["eligibility"] = exc.messages
        problems = rule_errors(self.amount_rule or {})
        if problems:
            errors["amount_rule"] = problems
        if errors:
            raise ValidationError(errors)


class RegionalParameter(models.Model):
    """A local number some amounts are multiples of (the 低保 standard of a city, ...)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    name = models.CharField(_("parameter"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    source = models.TextField(_("source"))

    scope_field = "region"

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
