"""Writes of plan targets and tasks: loading them from a pack, and a unit's report on a task."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import versions
from core.scope import in_scope, require
from regions.choices import DepartmentKind
from regions.models import Department, Region, StaffProfile
from regions.rules import government_name
from regions.services import ensure_departments
from subsidies.rules import document_errors

from .choices import TaskStatus
from .models import Target, TargetStep, TargetUnit, Task, TaskAssignment, TaskEvidence, TaskUpdate
from .rules import UnitRef, kind_of_unit, units_text

if TYPE_CHECKING:
    from .policy import TargetSpec, TaskSpec


def resolve_units(region: Region, refs: list[UnitRef]) -> list[tuple[str, str, str]]:
    """(division code, name, kind) of each unit in the document's order, collectives expanded
    into the people's government (or management committee) of each division under the region."""
    levels = {ref.each for ref in refs if ref.each}
    divisions = {
        level: list(
            Region.objects.filter(level=level, code__startswith=region.prefix)
            .exclude(code=region.code)
            .order_by("code")
            .values_list("code", "name")
        )
        for level in levels
    }
    out: list[tuple[str, str, str]] = []
    for ref in refs:
        if not ref.each:
            out.append((region.code, ref.name, ref.kind or kind_of_unit(ref.name)))
            continue
        for code, name in divisions[ref.each]:
            if not any(code.startswith(c) for c in ref.exclude):
                out.append((code, government_name(name, code), DepartmentKind.GOVERNMENT))
        out.extend((region.code, name, kind_of_unit(name)) for name in ref.also)
    unique: dict[tuple[str, str], str] = {}
    for code, name, kind in out:
        unique.setdefault((code, name), kind)
    return [(code, name, kind) for (code, name), kind in unique.items()]


def _departments(region: Region, refs_by_code: dict[str, list[UnitRef]]) -> dict[str, list[Department]]:
    """The units of each entry, created when missing, in the document's order."""
    resolved = {code: resolve_units(region, refs) for code, refs in refs_by_code.items()}
    units = ensure_departments([u for per_entry in resolved.values() for u in per_entry])
    return {code: [units[(c, n)] for c, n, _k in per_entry] for code, per_entry in resolved.items()}


def _source_fields(spec) -> dict:
    main = spec.sources[next(iter(spec.sources))]
    main = main[0] if isinstance(main, list) else main
    return {
        "document": str(main.get("document", "")),
        "clause": str(main.get("clause", "")),
        "source": spec.sources,
        "note": spec.note,
    }


@transaction.atomic
def apply_targets(*, region: Region, specs: list[TargetSpec], pack: str) -> int:
    """Write a pack's targets (idempotent, keyed by code): values, steps, units.

    A target is set for the pack's region, or for a division under it that the document names
    (市区 ...); its units are those of the pack's region. A base-month figure entered by the
    bureau is kept when the pack gives none.
    """
    from regions.rules import pad_code

    # A target the document sets for one of its own divisions (市区 ...) applies where the pack is
    # loaded for that city; loaded for another region (a test, a look at another city's rules) the
    # division is not there, and neither is the target.
    codes = {s.region for s in specs if s.region}
    divisions = {
        r.code: r
        for r in Region.objects.filter(code__in=[pad_code(c) for c in codes], code__startswith=region.prefix)
    }
    specs = [s for s in specs if not s.region or pad_code(s.region) in divisions]
    units = _departments(region, {s.code: s.units for s in specs})
    mine = Target.objects.filter(pack=pack, region__code__startswith=region.prefix)
    existing = {
        t.code: t
        for t in Target.objects.filter(
            region__code__startswith=region.prefix, code__in=[s.code for s in specs]
        )
    }
    rows = []
    for spec in specs:
        where = divisions[pad_code(spec.region)] if spec.region else region
        target = existing.get(spec.code) or Target(code=spec.code)
        target.region = where
        target.pack = pack
        target.metric = spec.metric
        target.target_value = spec.target
        target.comparison = spec.comparison
        target.deadline = spec.deadline
        target.each_level = spec.each_level
        target.skip_districts = spec.skip_districts
        target.measure = spec.measure
        target.base_period = spec.base_period
        if spec.base_value is not None:
            target.base_value = spec.base_value
        target.text = spec.text
        target.units_text = units_text(spec.units)
        for name, value in _source_fields(spec).items():
            setattr(target, name, value)
        target.full_clean(validate_unique=False, validate_constraints=False, exclude=["task"])
        rows.append(target)
    fields = [f.name for f in Target._meta.concrete_fields if f.name not in ("id", "code", "task")]
    Target.objects.bulk_update([t for t in rows if t.pk], fields)
    Target.objects.bulk_create([t for t in rows if not t.pk])
    mine.exclude(code__in=[s.code for s in specs]).delete()
    by_code = {t.code: t for t in rows}
    TargetStep.objects.filter(target__in=rows).delete()
    TargetStep.objects.bulk_create(
        TargetStep(target=by_code[s.code], deadline=d, value=v, source=src)
        for s in specs
        for d, v, src in s.steps
    )
    TargetUnit.objects.filter(target__in=rows).delete()
    TargetUnit.objects.bulk_create(
        TargetUnit(target=by_code[s.code], department=unit, position=i)
        for s in specs
        for i, unit in enumerate(units[s.code])
    )
    versions.bump("plans")
    return len(specs)


@transaction.atomic
def apply_tasks(*, region: Region, specs: list[TaskSpec], pack: str) -> int:
    """Write a pack's tasks for its region (idempotent, keyed by code) and their units.

    Reports are never lost: a unit no longer named keeps its assignment while it has reports,
    and a task no longer in the pack is kept while any unit has reported on it.
    """
    units = _departments(region, {s.code: s.units for s in specs})
    existing = {t.code: t for t in Task.objects.filter(region=region)}
    rows = []
    for spec in specs:
        task = existing.get(spec.code) or Task(region=region, code=spec.code)
        task.pack = pack
        task.group = spec.group
        task.text = spec.text
        task.deadline = spec.deadline
        task.deadline_text = spec.deadline_text
        task.goal_value = spec.goal_value
        task.goal_unit = spec.goal_unit
        task.remark = spec.remark
        task.units_text = units_text(spec.units)
        for name, value in _source_fields(spec).items():
            setattr(task, name, value)
        task.full_clean(validate_unique=False, validate_constraints=False)
        rows.append(task)
    fields = [f.name for f in Task._meta.concrete_fields if f.name not in ("id", "region", "code")]
    Task.objects.bulk_update([t for t in rows if t.pk], fields)
    Task.objects.bulk_create([t for t in rows if not t.pk])
    reported = TaskUpdate.objects.filter(assignment=OuterRef("pk"))
    codes = [s.code for s in specs]
    (
        Task.objects.filter(region=region, pack=pack)
        .exclude(code__in=codes)
        .exclude(Exists(TaskAssignment.objects.filter(task=OuterRef("pk")).filter(Exists(reported))))
        .delete()
    )
    by_code = {t.code: t for t in Task.objects.filter(region=region, code__in=codes)}
    current = {
        (a.task_id, a.department_id): a for a in TaskAssignment.objects.filter(task__in=by_code.values())
    }
    wanted = {}
    for spec in specs:
        task = by_code[spec.code]
        for position, unit in enumerate(units[spec.code]):
            wanted[(task.pk, unit.pk)] = position
    moved = []
    for key, position in wanted.items():
        if key in current and current[key].position != position:
            current[key].position = position
            moved.append(current[key])
    TaskAssignment.objects.bulk_update(moved, ["position"])
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task_id=t, department_id=d, position=p)
        for (t, d), p in wanted.items()
        if (t, d) not in current
    )
    stale = [a.pk for key, a in current.items() if key not in wanted]
    TaskAssignment.objects.filter(pk__in=stale).exclude(Exists(reported)).delete()
    for spec in specs:
        if spec.targets:
            Target.objects.filter(region__code__startswith=region.prefix, code__in=spec.targets).update(
                task=by_code[spec.code]
            )
    versions.bump("plans")
    return len(specs)


def _unit_of(user) -> Department | None:
    profile = StaffProfile.objects.select_related("department").filter(user_id=user.pk).first()
    return profile.department if profile else None


def may_report(user, assignment: TaskAssignment) -> bool:
    """Only an account of the responsible unit itself reports on the unit's part of a task."""
    if not user.has_perm("plans.add_taskupdate"):
        return False
    unit = _unit_of(user)
    return unit is not None and unit.pk == assignment.department_id


@transaction.atomic
def report_on_task(
    *,
    acting_user,
    assignment: TaskAssignment,
    status: str,
    note: str,
    completed_on: date | None = None,
    reported_value: Decimal | str | None = None,
    files: list | tuple = (),
) -> TaskUpdate:
    """A responsible unit's report on its part of a task: status, a note, evidence files.

    Refused for an account of another unit (even the lead unit's), for a finished part without
    evidence, and, naming the field, for a bad file; nothing is written then.
    """
    assignment = (
        TaskAssignment.objects.select_for_update(of=("self",))
        .select_related("task", "department")
        .get(pk=assignment.pk)
    )
    if not acting_user.has_perm("plans.add_taskupdate"):
        raise PermissionDenied(_("You may not report on plan tasks."))
    if not in_scope(acting_user, assignment.department.region_id) or not may_report(acting_user, assignment):
        raise PermissionDenied(
            _("Only an account of %(unit)s may report on its part of this task.")
            % {"unit": assignment.department.name}
        )
    errors: dict[str, list[str]] = {}
    label = TaskUpdate._meta.get_field
    if status not in TaskStatus.values:
        errors["status"] = [
            _("%(field)s: use one of: %(values)s.")
            % {
                "field": capfirst(label("status").verbose_name),
                "values": ", ".join(map(str, TaskStatus.labels)),
            }
        ]
    note = (note or "").strip()
    if not note:
        errors["note"] = [
            _("%(field)s: say what was done.") % {"field": capfirst(label("note").verbose_name)}
        ]
    today = timezone.localdate()
    if status == TaskStatus.DONE:
        completed_on = completed_on or today
        if completed_on > today:
            errors["completed_on"] = [
                _("%(field)s cannot be in the future.")
                % {"field": capfirst(label("completed_on").verbose_name)}
            ]
        if not files:
            errors["files"] = [_("A finished task needs evidence: attach at least one file.")]
    else:
        completed_on = None
    value = None
    if reported_value not in (None, ""):
        try:
            value = Decimal(str(reported_value))
        except InvalidOperation:
            errors["reported_value"] = [
                _("%(field)s is a number.") % {"field": capfirst(label("reported_value").verbose_name)}
            ]
    file_label = capfirst(TaskEvidence._meta.get_field("file").verbose_name)
    for upload in files:
        head = upload.read(16)
        upload.seek(0)
        problems = document_errors(
            field=file_label,
            name=upload.name or "",
            size=upload.size,
            head=head,
            max_bytes=settings.TASK_EVIDENCE_MAX_MB * 1_048_576,
        )
        if problems:
            errors.setdefault("files", []).extend(problems)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    update = TaskUpdate(
        assignment=assignment,
        status=status,
        note=note,
        completed_on=completed_on,
        reported_value=value,
        reported_by=acting_user,
        reported_at=now,
    )
    update.full_clean()
    update.save()
    for upload in files:
        evidence = TaskEvidence(update=update, original_name=upload.name[:200], size=upload.size)
        evidence.file.save(upload.name, upload, save=False)
        evidence.full_clean()
        evidence.save()
    assignment.status = status
    assignment.completed_on = completed_on
    if value is not None:
        assignment.reported_value = value
    assignment.last_report_at = now
    assignment.full_clean()
    assignment.save(update_fields=["status", "completed_on", "reported_value", "last_report_at"])
    versions.bump("plans")
    return update


@transaction.atomic
def set_base_value(*, acting_user, target: Target, value: Decimal) -> Target:
    """Enter the base-month figure of an increase target when the portal holds no figures of
    that month (the document's own base, such as the beds a city had when it adopted the plan)."""
    require(acting_user, "plans.change_target", obj=target, message=_("You may not change this target."))
    target.base_value = Decimal(value)
    target.full_clean(validate_unique=False, validate_constraints=False)
    target.save(update_fields=["base_value"])
    versions.bump("plans")
    return target
