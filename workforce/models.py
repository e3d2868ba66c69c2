"""The elder-care workforce beyond caregivers' employment: training sessions (培训) with their
participants, and elder-care advisers (养老服务顾问) posted to towns and villages.

Plan targets count them (training person-times, households trained, caregivers trained in three
years, institution heads trained this year, advisers per town and village); caregivers and
facilities themselves stay in services/ and facilities/.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped

from .choices import Audience


@scoped("region")
class TrainingSession(models.Model):
    """One training course: who organised it where, for whom, when, and how many took part."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("organising division"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The division whose figures the training counts in (city, district, street or community)."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("for"), max_length=20, choices=Audience.choices)
    organiser = models.CharField(_("organiser"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    person_times = models.PositiveIntegerField(
        _("person-times"), help_text=_("Participants counted once per course (参训人次).")
    )
    households = models.PositiveIntegerField(
        _("households"), null=True, blank=True, help_text=_("Family training: the households reached (户).")
    )
    caregivers = models.ManyToManyField(
        "services.Caregiver",
        verbose_name=_("caregivers who took part"),
        blank=True,
        related_name="trainings",
    )
    facilities = models.ManyToManyField(
        "facilities.Facility",
        verbose_name=_("institutions whose head took part"),
        blank=True,
        related_name="head_trainings",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[caregivers, facilities])

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-ends_on", "title"]
        indexes = [models.Index(fields=["audience", "ends_on"], name="training_audience_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_ends_after_start",
                violation_error_message=_("A training cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.ends_on:%Y-%m-%d})"

    def clean(self) -> None:
        if self.households is not None and self.audience != Audience.FAMILY_CARERS:
            raise ValidationError({"households": _("Only a family caregivers' training counts households.")})


@scoped("region")
class Adviser(models.Model):
    """An elder-care adviser (养老服务顾问) posted to a town/street or a village/community."""

    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("posted to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A street/town or a community/village."),
    )
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("left on"), null=True, blank=True, help_text=_("Empty while in post."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("elder-care adviser")
        verbose_name_plural = _("elder-care advisers")
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["region", "ended_on"], name="adviser_region_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("appointed_on")),
                name="adviser_ends_after_appointment",
                violation_error_message=_("An adviser cannot leave before being appointed."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.region_id and self.region.level not in ("town", "village"):
            raise ValidationError(
                {"region": _("An adviser is posted to a street/town or a community/village.")}
            )
