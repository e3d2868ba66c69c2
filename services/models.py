from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from elders.models import Elder

from .choices import FollowUpStatus, Problem, VisitMethod, VisitOutcome


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

    scope_field = "elder__residence"

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


class FollowUp(models.Model):
    """A problem found on a visit, open on the street's list until someone closes it."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="follow_ups"
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

    scope_field = "elder__residence"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="followup_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.elder} {self.get_problem_display()} ({self.get_status_display()})"
