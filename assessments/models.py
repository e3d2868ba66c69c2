from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from elders.models import Elder

from .choices import AssessmentStatus, Grade, Reason, RecognisedSource, RequestStatus


@scoped("elder__residence")
class Assessment(models.Model):
    """One ability assessment to GB/T 42195-2022. Once confirmed it never changes."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    agency = models.CharField(_("assessment agency"), max_length=100, blank=True)
    items = models.JSONField(_("item scores"), default=dict, blank=True)
    coma = models.BooleanField(_("coma"), default=False)
    dementia = models.BooleanField(_("diagnosed dementia (F00-F03)"), default=False)
    psychiatric = models.BooleanField(_("other psychiatric diagnosis (F04-F99)"), default=False)
    risk_events = models.JSONField(_("care-risk events in the last 30 days"), default=dict, blank=True)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assessors"), related_name="assessments_signed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    subtotals = models.JSONField(_("subtotals"), default=dict, blank=True)
    total_score = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    preliminary_grade = models.PositiveSmallIntegerField(
        _("preliminary grade"), choices=Grade.choices, null=True, blank=True
    )
    grade = models.PositiveSmallIntegerField(_("ability grade"), choices=Grade.choices, null=True, blank=True)
    adjustments = models.JSONField(_("adjustments"), default=list, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[assessors])

    class Meta:
        verbose_name = _("ability assessment")
        verbose_name_plural = _("ability assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["elder", "status", "assessed_on"], name="assessment_elder_status_idx"),
            models.Index(fields=["status", "valid_until"], name="assessment_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(grade__isnull=False, valid_until__isnull=False),
                name="assessment_confirmed_has_grade",
                violation_error_message=_("A confirmed assessment has a grade and a validity date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder} {self.assessed_on:%Y-%m-%d} {self.get_grade_display() or ''}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == AssessmentStatus.CONFIRMED:
                raise ValidationError(
                    _("A confirmed assessment cannot be changed; record a new one with reason 'review'.")
                )
        super().save(*args, **kwargs)

    @property
    def risk_events_30d(self) -> int:
        return sum(int(v) for v in (self.risk_events or {}).values())


@scoped("elder__residence")
class RecognisedResult(models.Model):
    """An ability result from another department, recognised instead of re-assessing (互认)."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="recognised_results"
    )
    source = models.CharField(_("source"), max_length=16, choices=RecognisedSource.choices)
    assessed_on = models.DateField(_("assessed on"))
    grade = models.PositiveSmallIntegerField(_("ability grade"), choices=Grade.choices)
    valid_until = models.DateField(_("valid until"))
    document = models.CharField(_("document reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognised result")
        verbose_name_plural = _("recognised results")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["elder", "assessed_on"], name="recognised_elder_idx")]

    def __str__(self) -> str:
        return f"{self.elder} {self.get_source_display()} {self.get_grade_display()}"


@scoped("elder__residence")
class AssessmentRequest(models.Model):
    """A request to assess an elder: on the assessors' queue until an assessment is confirmed."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="assessment_requests"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("assessment request")
        verbose_name_plural = _("assessment requests")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder"],
                condition=Q(status__in=["open", "submitted"]),
                name="assessment_request_one_open",
                violation_error_message=_("This elder is already waiting for an assessment."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder} ({self.get_reason_display()})"
