"""Reads of plan targets (with their progress from the stored monthly figures) and tasks (with
where each responsible unit stands). A handful of queries per page, whatever the city's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet

from core import versions
from core.periods import period_of
from core.scope import restrict
from policies.documents import from_json
from policies.models import PolicyPack
from regions.choices import Level
from regions.models import Department, Region
from regions.rules import candidate_ancestor_codes, is_district
from reports.metrics import METRICS, metric_label, metric_of
from reports.models import MonthlyStat, StatRun
from reports.selectors import figures_version

from .choices import Measure, Progress, TaskStatus
from .models import Target, TargetUnit, Task, TaskAssignment, TaskEvidence, TaskUpdate
from .rules import assignment_overdue, is_met, progress_status, task_status

# --- tasks ----------------------------------------------------------------------------------


def tasks_in_scope(user) -> QuerySet[Task]:
    """Tasks set for the user's region, and tasks of a higher level the user's units share."""
    return restrict(Task.objects.all(), user)


def assignments_in_scope(user) -> QuerySet[TaskAssignment]:
    return restrict(TaskAssignment.objects.all(), user)


def overdue_q(on: date) -> Q:
    """Assignments past their task's deadline and not reported done (the overdue flag)."""
    return Q(task__deadline__lt=on) & ~Q(status=TaskStatus.DONE)


def assignments_under(user, region: Region) -> QuerySet[TaskAssignment]:
    """The parts of tasks that units of the region (and the divisions under it) answer for."""
    return assignments_in_scope(user).filter(department__region__code__startswith=region.prefix)


def units_in_scope(user) -> QuerySet[Department]:
    return restrict(Department.objects.select_related("region"), user)


@dataclass
class UnitSummary:
    unit: Department
    total: int
    done: int
    overdue: int

    @property
    def open(self) -> int:
        return self.total - self.done


def unit_summaries(user, region: Region, on: date) -> list[UnitSummary]:
    """Per responsible unit under the region: tasks, done, overdue; most overdue first."""
    rows = (
        assignments_under(user, region)
        .values("department_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(on)),
        )
        .order_by()
    )
    counts = {r["department_id"]: r for r in rows}
    units = Department.objects.filter(pk__in=counts).select_related("region")
    out = [
        UnitSummary(
            unit=u, total=counts[u.pk]["total"], done=counts[u.pk]["done"], overdue=counts[u.pk]["overdue"]
        )
        for u in units
    ]
    return sorted(out, key=lambda s: (-s.overdue, -s.open, s.unit.region_id, s.unit.name))


def open_assignments(user, region: Region, on: date, unit: Department | None = None) -> list[TaskAssignment]:
    """Parts not done yet, overdue ones first, then by deadline (ongoing tasks last)."""
    qs = assignments_under(user, region).exclude(status=TaskStatus.DONE)
    if unit is not None:
        qs = qs.filter(department=unit)
    rows = list(qs.select_related("task", "department").order_by("task__deadline", "task__code"))
    for a in rows:
        a.overdue = assignment_overdue(deadline=a.task.deadline, status=a.status, on=on)
    return sorted(rows, key=lambda a: (not a.overdue, a.task.deadline or date.max, a.task.code))


@dataclass
class TaskSummary:
    total: int = 0
    done: int = 0
    done_late: int = 0
    overdue: int = 0
    on_time: int = 0  # open and not past the deadline (or ongoing)


def task_summary(user, region: Region, on: date) -> TaskSummary:
    """Tasks that units of the region answer for: done, overdue, still on time.

    A task counts as done when every part of it under the region is done, as overdue when any
    part is past its deadline and not done.
    """
    rows = (
        assignments_under(user, region)
        .values("task_id", "task__deadline")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=overdue_q(on)),
            late=Count("id", filter=Q(status=TaskStatus.DONE, completed_on__gt=F("task__deadline"))),
        )
        .order_by()
    )
    summary = TaskSummary()
    for row in rows:
        summary.total += 1
        if row["done"] == row["n"]:
            summary.done += 1
            summary.done_late += int(row["late"] > 0)
        elif row["overdue"]:
            summary.overdue += 1
        else:
            summary.on_time += 1
    return summary


def task_detail(user, task: Task, on: date) -> dict:
    """A task with each part in the user's scope, its reports and evidence (four queries)."""
    parts = list(
        assignments_in_scope(user)
        .filter(task=task)
        .select_related("department", "department__region")
        .prefetch_related(
            Prefetch(
                "updates",
                TaskUpdate.objects.select_related("reported_by").prefetch_related(
                    Prefetch("evidence", TaskEvidence.objects.order_by("id"))
                ),
            )
        )
        .order_by("position")
    )
    for a in parts:
        a.overdue = assignment_overdue(deadline=task.deadline, status=a.status, on=on)
    return {
        "task": task,
        "warnings": document_warnings({task.pack}, on).get(task.document, []),
        "parts": parts,
        "status": task_status(a.status for a in parts),
        "overdue": any(a.overdue for a in parts),
        "targets": list(task.targets.all()),
    }


def evidence_in_scope(user) -> QuerySet[TaskEvidence]:
    return restrict(TaskEvidence.objects.all(), user)


# --- targets --------------------------------------------------------------------------------


def targets_in_scope(user) -> QuerySet[Target]:
    return restrict(Target.objects.all(), user)


@dataclass
class Milestone:
    deadline: date
    value: Decimal
    figure: Decimal | None = None
    period: str | None = None
    met: bool | None = None


@dataclass
class TargetProgress:
    target: Target
    label: str
    kind: str
    units: list[str]
    figure: Decimal | None = None  # the target's own figure (not for a breakdown at this level)
    period: str | None = None
    status: str = Progress.NO_DATA
    steps: list[Milestone] = field(default_factory=list)
    # Broken down to the divisions under this region: how many reach the value.
    divisions_met: int | None = None
    divisions_total: int | None = None
    # Set for a higher region and broken down to this one's level: this region's share of it.
    inherited: bool = False
    warnings: list[str] = field(default_factory=list)  # of the document it comes from

    @property
    def lead(self) -> str:
        """The lead unit as the document names it (the first of the list)."""
        first = self.units[0] if self.units else ""
        return first if self.target.units_text.startswith(first) else ""

    @property
    def other_units(self) -> str:
        """The rest of the document's list of units, after the lead."""
        return self.target.units_text[len(self.lead) :]

    @property
    def status_label(self) -> str:
        return Progress(self.status).label

    @property
    def level_label(self) -> str:
        return Level(self.target.each_level).label if self.target.each_level else ""


class _Figures:
    """Stored figures of one metric for one region, by period, with the computed periods."""

    def __init__(self, values: dict[str, Decimal], computed: list[str], kind: str):
        self.values = values
        self.computed = computed  # sorted
        self.kind = kind

    def at(self, period: str | None) -> Decimal | None:
        if period is None:
            return None
        if period in self.values:
            return self.values[period]
        # A count no facility contributes to has no stored row: it is zero in a computed month.
        return Decimal(0) if self.kind == "count" and period in self.computed else None

    def period_for(self, deadline: date) -> str | None:
        """The latest computed month up to the deadline, else the latest one after it."""
        month = period_of(deadline)
        before = [p for p in self.computed if p <= month]
        if before:
            return before[-1]
        return self.computed[-1] if self.computed else None

    def total(self, first: str, last: str) -> tuple[Decimal | None, str | None]:
        months = [p for p in self.computed if first <= p <= last]
        if not months:
            return None, None
        return sum((self.at(p) or Decimal(0) for p in months), Decimal(0)), months[-1]


def _measure(target: Target, deadline: date, figures: _Figures) -> tuple[Decimal | None, str | None]:
    """The figure a target (or one of its steps) is judged on, and the month it is of.

    Like a month's figure, a sum without computed months up to the deadline is taken as far as
    the portal has figures: a year's sum of the latest year computed, a cumulative sum to date.
    """
    if target.measure == Measure.YEAR_SUM:
        year = deadline.year
        if not any(p.startswith(f"{year}-") for p in figures.computed) and figures.computed:
            year = int(figures.computed[-1][:4])
        return figures.total(f"{year}-01", f"{year}-12")
    if target.measure == Measure.SUM_SINCE:
        figure, period = figures.total(target.base_period, period_of(deadline))
        return (figure, period) if period else figures.total(target.base_period, "9999-12")
    period = figures.period_for(deadline)
    value = figures.at(period)
    if target.measure == Measure.INCREASE:
        base = figures.values.get(target.base_period, target.base_value)
        value = None if value is None or base is None else value - base
    return value, period


def _judge(
    target: Target, figures: _Figures, on: date, target_steps: list | None = None
) -> tuple[Decimal | None, str | None, str, list[Milestone]]:
    steps = []
    missed_step = False
    for step in target.steps.all() if target_steps is None else target_steps:
        figure, period = _measure(target, step.deadline, figures)
        met = (
            None if figure is None else is_met(comparison=target.comparison, target=step.value, value=figure)
        )
        steps.append(Milestone(step.deadline, step.value, figure, period, met))
        missed_step |= met is False and step.deadline < on
    figure, period = _measure(target, target.deadline, figures)
    status = progress_status(
        comparison=target.comparison,
        target=target.target_value,
        deadline=target.deadline,
        value=figure,
        on=on,
        missed_step=missed_step,
    )
    return figure, period, status, steps


def _kind(metric: str) -> str:
    """The metric's kind; '' for a metric the monthly job does not compute (yet): no data."""
    return metric_of(metric).kind if metric.split(".", 1)[0] in METRICS else ""


def _label(target: Target) -> str:
    return metric_label(target.metric) if target.metric.split(".", 1)[0] in METRICS else target.text


def target_progress(user, region: Region, on: date) -> list[TargetProgress]:
    """The targets shown for a region: those set for it, and those set higher up and broken
    down to its level (每个县 ...), each with its figure and status. A target is never judged
    on the figure of a region it was not set for.
    """
    ancestors = candidate_ancestor_codes(region.code)
    targets = list(
        Target.objects.filter(Q(region=region) | Q(region_id__in=ancestors, each_level=region.level))
        .prefetch_related("steps", Prefetch("responsible", TargetUnit.objects.select_related("department")))
        .order_by("deadline", "code")
    )
    # A target for each 县(市) is not a district's.
    targets = [
        t
        for t in targets
        if not (t.region_id != region.code and t.skip_districts and is_district(region.code))
    ]
    if not targets:
        return []
    computed = sorted(
        StatRun.objects.filter(finished_at__isnull=False).values_list("period", flat=True).distinct()
    )
    own = [t for t in targets if not (t.region_id == region.code and t.each_level)]
    split = [t for t in targets if t.region_id == region.code and t.each_level]
    values: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for region_id, metric, period, value in MonthlyStat.objects.filter(
        region=region, is_current=True, metric__in={t.metric for t in own}
    ).values_list("region_id", "metric", "period", "value"):
        values[(region_id, metric)][period] = value
    children: dict[str, list[str]] = {}
    of_children = Q()
    for level in {t.each_level for t in split}:
        codes = (
            restrict(Region.objects.filter(level=level, code__startswith=region.prefix), user)
            .exclude(code=region.code)
            .values_list("code", flat=True)
        )
        children[level] = list(codes)
        # The figures' query names the divisions by this subquery, not by thousands of codes.
        of_children |= Q(region_id__in=codes)

    def divisions(target: Target) -> list[str]:
        codes = children[target.each_level]
        return [c for c in codes if not is_district(c)] if target.skip_districts else codes

    if split:
        for region_id, metric, period, value in MonthlyStat.objects.filter(
            of_children,
            is_current=True,
            metric__in={t.metric for t in split},
        ).values_list("region_id", "metric", "period", "value"):
            values[(region_id, metric)][period] = value
    rows = []
    for target in targets:
        kind = _kind(target.metric)
        row = TargetProgress(
            target=target,
            label=_label(target),
            kind=kind,
            units=[u.department.name for u in target.responsible.all()],
            inherited=target.region_id != region.code,
        )
        if target in split:
            codes = divisions(target)
            met = 0
            judged = 0
            target_steps = list(target.steps.all())  # once, not once per division
            for code in codes:
                figure, _period, status, _steps = _judge(
                    target, _Figures(values[(code, target.metric)], computed, kind), on, target_steps
                )
                judged += figure is not None
                met += status == Progress.MET
            row.divisions_met, row.divisions_total = met, len(codes)
            row.status = (
                Progress.NO_DATA
                if not judged
                else progress_status(
                    comparison="at_least",
                    target=Decimal(len(codes)),
                    deadline=target.deadline,
                    value=Decimal(met),
                    on=on,
                )
            )
        else:
            row.figure, row.period, row.status, row.steps = _judge(
                target, _Figures(values[(region.code, target.metric)], computed, kind), on
            )
        rows.append(row)
    return rows


def document_warnings(packs: set[str], on: date) -> dict[str, list[str]]:
    """Per document key of these packs: what a reader must know before relying on it (a draft
    for comment, a period that has ended), from the documents as the pack was loaded with them."""
    out: dict[str, list[str]] = {}
    for rows in PolicyPack.objects.filter(name__in=packs).values_list("documents", flat=True):
        for key, doc in from_json(rows).items():
            found = doc.warnings(on)
            if found:
                out[key] = found
    return out


def plan_version() -> str:
    """The version of everything the plan's part of the dashboard reads: the targets and tasks
    (bumped by every write of plans.services) and the stored figures they are judged on."""
    return f"{versions.current('plans')}:{figures_version()}"


def plan_dashboard(user, region: Region, on: date) -> dict:
    """What the dashboard shows of the plan for a region: targets and the tasks' standing, and
    the warnings of the documents the targets come from."""
    rows = target_progress(user, region, on)
    warnings = document_warnings({r.target.pack for r in rows}, on)
    for row in rows:
        row.warnings = warnings.get(row.target.document, [])
    return {
        "target_rows": rows,
        "document_warnings": sorted({w for row in rows for w in row.warnings}),
        "task_summary": task_summary(user, region, on),
        "unit_summaries": unit_summaries(user, region, on)[:10],
    }
