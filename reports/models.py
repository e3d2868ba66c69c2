from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scope import scoped
from regions.models import Region


class StatRun(models.Model):
    """One computation of a month: when it ran and over which data (freshness)."""

    period = models.CharField(_("period"), max_length=7, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"))
    roster_size = models.PositiveIntegerField(_("elders on the frozen list"), default=0)
    visits_counted = models.PositiveIntegerField(_("visits counted"), default=0)
    rows_written = models.PositiveIntegerField(_("figures written"), default=0)
    revisions = models.PositiveIntegerField(_("figures revised"), default=0)
    triggered_by = models.CharField(_("triggered by"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("statistics run")
        verbose_name_plural = _("statistics runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.period} @ {self.started_at:%Y-%m-%d %H:%M}"


@scoped("region")
class MonthlyStat(models.Model):
    """One figure: a metric of a region for a month. Later changes are new revisions."""

    period = models.CharField(_("period"), max_length=7)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(_("metric"), max_length=60)
    numerator = models.BigIntegerField(_("numerator"))
    denominator = models.BigIntegerField(_("denominator"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    run = models.ForeignKey(StatRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="stats")

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        ordering = ["period", "region", "metric", "-revision"]
        indexes = [
            models.Index(
                fields=["metric", "period", "region"],
                name="stat_metric_period_idx",
                condition=Q(is_current=True),
            ),
            models.Index(fields=["region", "period"], name="stat_region_period_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "region", "metric"], condition=Q(is_current=True), name="stat_one_current"
            ),
            models.UniqueConstraint(
                fields=["period", "region", "metric", "revision"], name="stat_revision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.region_id} {self.metric}={self.value}"


class VisitRoster(models.Model):
    """The frozen list of a month's visit target group: a closed month reproduces exactly."""

    period = models.CharField(_("period"), max_length=7)
    # A month's list is written in one INSERT ... SELECT from the registry (reports.services
    # .freeze_roster), as many rows as the target group has members: every index and check on
    # the table is paid once a row. So the foreign key is kept by the ORM (an elder's deletion
    # still cascades) and not checked again by the database, and one unique index (elder, period)
    # both keeps an elder once a month and finds an elder's entries. The readers (the monthly
    # figures, the late-visit flags) read a whole month's partition, so no other index is needed.
    elder = models.ForeignKey(
        "elders.Elder",
        verbose_name=_("elder"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    residence_code = models.CharField(_("residence code"), max_length=12)
    visited = models.BooleanField(_("visited (counted)"), default=False)

    class Meta:
        verbose_name = _("visit roster entry")
        verbose_name_plural = _("visit roster")
        constraints = [models.UniqueConstraint(fields=["elder", "period"], name="roster_elder_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.elder_id}"
