"""Supervision (综合监管): checklists from the packs, inspection plans and the random draw,
inspections item by item, findings, rectification orders, complaints and service ratings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ItemArea, SafetyRisk, Severity


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
    source = models.JSONField(_("sources"), default=dict, blank=True)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"
