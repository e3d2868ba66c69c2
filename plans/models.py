"""What a policy document commits its government to: numeric targets measured by the portal's
figures, and tasks whose responsible units report on them (任务分工 / 督办).

Both come from a policy pack (targets.yaml, tasks.yaml) with the document's own words and
clause, and both name their responsible units, lead unit first (排第一的为牵头单位).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scope import scoped
from regions.choices import Level
from regions.models import Department, Region

from .choices import Comparison, Measure, TaskStatus


class SourcedMixin(models.Model):
    """Where a target or task comes from: the pack, the document, its clause and its words."""

    pack = models.CharField(_("policy pack"), max_length=40)
    document = models.CharField(_("document"), max_length=60, blank=True)
    clause = models.CharField(_("clause"), max_length=60, blank=True)
    source = models.JSONField(_("sources"), default=dict, blank=True)
    units_text = models.CharField(
        _("responsible units (as the document writes them)"), max_length=500, blank=True
    )
    note = models.TextField(_("our reading"), blank=True)

    class Meta:
        abstract = True


@scoped("region", "assignments__department__region")
class Task(SourcedMixin):
    """A task of a document (a row of 咸宁's 任务分工表, a clause of 东莞's 重点任务), quoted.

    A task to be done every year (每年实施) is one task per year, so each year's delivery is
    tracked and can be overdue on its own. A task without deadline (长期) is never overdue.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("set for region"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    group = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("task (the document's words)"))
    deadline = models.DateField(_("deadline"), null=True, blank=True, help_text=_("Empty: ongoing."))
    deadline_text = models.CharField(_("deadline (as the document writes it)"), max_length=60, blank=True)
    goal_value = models.DecimalField(
        _("figure the task states"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("A number the portal cannot compute: the responsible units report it."),
    )
    goal_unit = models.CharField(_("unit of the figure"), max_length=20, blank=True)
    remark = models.CharField(_("remark (the document's 备注)"), max_length=300, blank=True)

    # A county's people's government sees the city's tasks it is responsible for.

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["region_id", "deadline", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="task_unique_code",
                violation_error_message=_("This region already has a task with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


@scoped("department__region")
class TaskAssignment(models.Model):
    """One responsible unit of a task, with where it stands (its latest report)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="task_assignments",
    )
    position = models.PositiveSmallIntegerField(_("position (0 = lead unit)"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reported_value = models.DecimalField(
        _("figure reported"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"],
                name="assignment_unique_unit",
                violation_error_message=_("This unit is already responsible for this task."),
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.DONE, completed_on__isnull=False) | ~Q(status=TaskStatus.DONE),
                name="assignment_done_has_date",
                violation_error_message=_("A finished task needs the date it was finished."),
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="assignment_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.department}"

    @property
    def is_lead(self) -> bool:
        return self.position == 0


@scoped("assignment__department__region")
class TaskUpdate(models.Model):
    """A report of a responsible unit on its part of a task: status, note, evidence."""

    assignment = models.ForeignKey(
        TaskAssignment, verbose_name=_("task assignment"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    note = models.TextField(_("note"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reported_value = models.DecimalField(
        _("figure reported"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["assignment_id", "-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.get_status_display()} {self.reported_at:%Y-%m-%d}"


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    """Stored under the report with a random name: the uploader's file name is kept apart."""
    from pathlib import PurePath
    from uuid import uuid4

    return f"plans/evidence/{instance.update_id}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


@scoped("update__assignment__department__region")
class TaskEvidence(models.Model):
    """A file attached to a task report (会议纪要, 文件, 照片, 台账 ...)."""

    update = models.ForeignKey(
        TaskUpdate, verbose_name=_("task report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["update_id", "id"]

    def __str__(self) -> str:
        return self.original_name


@scoped("region")
class Target(SourcedMixin):
    """A numeric target of a document (到2025年 ... 不少于1200家), measured by one metric.

    Set for one region; with `each_level` it is broken down: every division at that level under
    the region must reach the value (每个县(市、区)至少 ...). Yearly steps are milestones.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("set for region"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    metric = models.CharField(_("metric"), max_length=60)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    deadline = models.DateField(_("deadline"))
    each_level = models.CharField(
        _("for each division at level"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("Empty: the region as a whole."),
    )
    skip_districts = models.BooleanField(
        _("counties and county-level cities only"),
        default=False,
        help_text=_("For a target set for each county (县(市)): a city's districts are not counted."),
    )
    measure = models.CharField(
        _("measured as"), max_length=10, choices=Measure.choices, default=Measure.LEVEL
    )
    base_period = models.CharField(
        _("base month"), max_length=7, blank=True, help_text=_("YYYY-MM, for sums and increases.")
    )
    base_value = models.DecimalField(
        _("figure of the base month"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "For an increase: taken from the base month's figures, or entered when the portal has none."
        ),
    )
    text = models.TextField(_("target (the document's words)"))
    task = models.ForeignKey(
        Task,
        verbose_name=_("task that states it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
    )

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["region_id", "deadline", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="target_unique_code",
                violation_error_message=_("This region already has a target with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.metric} {self.target_value:g} by {self.deadline}"


@scoped("target__region")
class TargetStep(models.Model):
    """A yearly step of a target: the value to reach by an earlier date."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="steps"
    )
    deadline = models.DateField(_("deadline"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.JSONField(_("source"), default=dict, blank=True)

    class Meta:
        verbose_name = _("target step")
        verbose_name_plural = _("target steps")
        ordering = ["target_id", "deadline"]
        constraints = [
            models.UniqueConstraint(fields=["target", "deadline"], name="targetstep_unique_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.value:g} by {self.deadline}"


@scoped("target__region")
class TargetUnit(models.Model):
    """A responsible unit of a target, in the document's order (the first leads)."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="responsible"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position (0 = lead unit)"), default=0)

    class Meta:
        verbose_name = _("responsible unit of a target")
        verbose_name_plural = _("responsible units of targets")
        ordering = ["target_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["target", "department"], name="targetunit_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.target.code} · {self.department}"
