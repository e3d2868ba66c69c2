"""The pack sections "targets" (targets.yaml) and "tasks" (tasks.yaml).

Every value carries its source, `{document, clause, quote}` or `{basis: reading, note}`: an entry's
`source` covers its fields, and a field written as `{value: ..., source: ...}` has its own. Where
a quote is given, the parser checks that it states what the entry says — the task's text, the
target's number and year, each responsible unit — so a value cannot drift from its quote;
check_policy_sources then checks each quote against the document itself.

Responsible units are named as the document names them (市民政局), the first one leading. A
collective such as 各县市区人民政府 is written `{each: county, as: 各县市区人民政府}`: one unit
per county-level division under the pack's region (its people's government, or the management
committee of a development zone), plus `also` (units of the pack's region that act like one,
such as 咸宁高新区管委会) and minus `except` (division codes the document leaves out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from policies.models import PolicySection
from policies.sections import policy_section, sourced
from regions.choices import DepartmentKind, Level
from reports.metrics import METRICS

from . import services
from .choices import Comparison, Measure
from .rules import UnitRef, number_in_text, occurs_in

# --- sources and values ---------------------------------------------------------------------


def _check_source(source: Any, where: str) -> dict | list:
    """A source mapping, or a list of them (a value stated by two excerpts)."""
    if isinstance(source, list) and source:
        for i, item in enumerate(source):
            _check_source(item, f"{where}.source[{i}]")
        return source
    if not isinstance(source, dict):
        raise ValidationError(_("%(where)s needs a source.") % {"where": where})
    if source.get("basis") == "reading":
        if not str(source.get("note", "")).strip():
            raise ValidationError(
                _("%(where)s: a reading needs a note saying what is read.") % {"where": where}
            )
        return source
    missing = [k for k in ("document", "clause", "quote") if not str(source.get(k, "")).strip()]
    if missing:
        raise ValidationError(
            _("%(where)s: a source needs document, clause and quote (missing: %(keys)s), or basis: reading.")
            % {"where": where, "keys": ", ".join(missing)}
        )
    return source


def _field(entry: dict, key: str, where: str, default: Any = ...) -> tuple[Any, dict | None]:
    """A field's value and its own source (None: the entry's source covers it)."""
    if key not in entry:
        if default is ...:
            raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
        return default, None
    raw = entry[key]
    if isinstance(raw, dict) and "value" in raw and "source" in raw:
        return raw["value"], _check_source(raw["source"], f"{where}.{key}")
    return raw, None


def _quote(source: dict | list | None) -> str | None:
    """The words a source quotes (of a list: all its quotes); None for a reading."""
    if isinstance(source, list):
        quotes = [q for q in (_quote(item) for item in source) if q is not None]
        return "\n".join(quotes) if quotes else None
    return source.get("quote") if source and source.get("basis") != "reading" else None


def _number(raw: Any, where: str) -> Decimal:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(where)s is a number.") % {"where": where}) from None


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError(_("%(where)s is a date (YYYY-MM-DD).") % {"where": where}) from None


def _require_in_quote(text: str, quote: str | None, where: str) -> None:
    if quote is not None and not occurs_in(text, quote):
        raise ValidationError(
            _("%(where)s: '%(text)s' does not occur in its quote '%(quote)s'.")
            % {"where": where, "text": text, "quote": quote}
        )


def _require_number(value: Decimal, quote: str | None, where: str) -> None:
    if quote is not None and not number_in_text(value, quote):
        raise ValidationError(
            _("%(where)s: the quote '%(quote)s' does not state %(value)s; give the value its own source.")
            % {"where": where, "quote": quote, "value": f"{value.normalize():f}"}
        )


def _sources(**by_field: dict | list | None) -> dict:
    """The sources an entry stores: its own first, then those of the fields that have their own."""
    return {name: source for name, source in by_field.items() if source is not None}


def _words(text: Any, quote: str | None, where: str) -> str:
    """An entry's text in the document's words: one excerpt of its quote, or a list of them that
    leaves out what the copy inserted into the sentence (a page number, an advertisement)."""
    pieces = [str(p).strip() for p in (text if isinstance(text, list) else [text])]
    if not all(pieces):
        raise ValidationError(_("%(where)s needs 'text': the document's words.") % {"where": where})
    for piece in pieces:
        _require_in_quote(piece, quote, f"{where}.text")
    return "".join(pieces)


# --- responsible units ----------------------------------------------------------------------


def _units(entry: dict, where: str, main: dict | None) -> tuple[list[UnitRef], dict | None]:
    raw, own = _field(entry, "units", where, default=[])
    if not isinstance(raw, list):
        raise ValidationError(_("%(where)s.units is a list, lead unit first.") % {"where": where})
    quote = _quote(own) if own is not None else _quote(main)
    refs = []
    for i, item in enumerate(raw):
        at = f"{where}.units[{i}]"
        if isinstance(item, str):
            ref = UnitRef(name=item.strip())
        elif isinstance(item, dict) and "each" in item:
            if item["each"] not in (Level.COUNTY, Level.TOWN):
                raise ValidationError(_("%(where)s.each is county or town.") % {"where": at})
            if not str(item.get("as", "")).strip():
                raise ValidationError(
                    _("%(where)s needs 'as': the collective as the document writes it.") % {"where": at}
                )
            if "source" in item:
                # Who else acts as one of these (咸宁高新区管委会 ... 比照县市区人民政府) has its own quote.
                own_quote = _quote(_check_source(item["source"], at))
                for name in item.get("also", []):
                    _require_in_quote(name, own_quote, at)
            ref = UnitRef(
                name=str(item["as"]).strip(),
                each=item["each"],
                also=tuple(item.get("also", [])),
                exclude=tuple(str(c) for c in item.get("except", [])),
            )
        elif isinstance(item, dict) and "name" in item:
            kind = item.get("kind", "")
            if kind and kind not in DepartmentKind.values:
                raise ValidationError(
                    _("%(where)s.kind is one of: %(kinds)s.")
                    % {"where": at, "kinds": ", ".join(DepartmentKind.values)}
                )
            ref = UnitRef(name=str(item["name"]).strip(), kind=kind)
        else:
            raise ValidationError(_("%(where)s is a unit's name or {each: county, as: ...}.") % {"where": at})
        _require_in_quote(ref.name, quote, at)
        refs.append(ref)
    return refs, own


# --- targets --------------------------------------------------------------------------------


@dataclass
class TargetSpec:
    code: str
    region: str  # '' for the pack's region, else the code of a division under it
    metric: str
    target: Decimal
    comparison: str
    deadline: date
    each_level: str
    skip_districts: bool
    measure: str
    base_period: str
    base_value: Decimal | None
    units: list[UnitRef]
    steps: list[tuple[date, Decimal, dict]]
    sources: dict[str, dict]
    text: str
    note: str


def _entry_list(data: dict, key: str, section: str) -> list[dict]:
    rows = sourced(data, key, section=section, default=[], kind=list) or []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationError(_("%(section)s[%(i)s] is a mapping.") % {"section": key, "i": i})
    return rows


def _codes_unique(rows: list[dict], key: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        code = str(row.get("code", "")).strip()
        if not code:
            raise ValidationError(_("%(where)s needs 'code'.") % {"where": f"{key}[{i}]"})
        if code in seen:
            raise ValidationError(_("%(key)s: the code %(code)s is used twice.") % {"key": key, "code": code})
        seen.add(code)


def parse_targets(data: dict) -> list[TargetSpec]:
    rows = _entry_list(data, "targets", "targets")
    _codes_unique(rows, "targets")
    specs = []
    for i, row in enumerate(rows):
        where = f"targets[{i}] ({row['code']})"
        main = _check_source(row.get("source"), where)
        quote = _quote(main)
        metric, metric_source = _field(row, "metric", where)
        if str(metric).split(".", 1)[0] not in METRICS:
            raise ValidationError(
                _("%(where)s.metric: the monthly job computes no metric '%(metric)s'.")
                % {"where": where, "metric": metric}
            )
        value_raw, value_source = _field(row, "target", where)
        value = _number(value_raw, f"{where}.target")
        _require_number(value, quote if value_source is None else _quote(value_source), f"{where}.target")
        deadline_raw, deadline_source = _field(row, "deadline", where)
        deadline = _date(deadline_raw, f"{where}.deadline")
        year_quote = quote if deadline_source is None else _quote(deadline_source)
        if year_quote is not None:
            _require_in_quote(str(deadline.year), year_quote, f"{where}.deadline")
        comparison = row.get("comparison", Comparison.AT_LEAST)
        if comparison not in Comparison.values:
            raise ValidationError(
                _("%(where)s.comparison is one of: %(values)s.")
                % {"where": where, "values": ", ".join(Comparison.values)}
            )
        measure = row.get("measure", Measure.LEVEL)
        if measure not in Measure.values:
            raise ValidationError(
                _("%(where)s.measure is one of: %(values)s.")
                % {"where": where, "values": ", ".join(Measure.values)}
            )
        base_raw, base_source = _field(row, "base", where, default="")
        base_period = str(base_raw or "")
        if measure in (Measure.SUM_SINCE, Measure.INCREASE) and len(base_period) != 7:
            raise ValidationError(
                _("%(where)s: a sum or an increase needs 'base' (YYYY-MM), the month it counts from.")
                % {"where": where}
            )
        each_raw, each_source = _field(row, "each", where, default="")
        each = each_raw or ""
        if each and each not in Level.values:
            raise ValidationError(
                _("%(where)s.each is one of: %(values)s.")
                % {"where": where, "values": ", ".join(Level.values)}
            )
        region_raw, region_source = _field(row, "region", where, default="")
        region_code = str(region_raw or "")
        if region_code and not (region_code.isdigit() and len(region_code) in (2, 4, 6, 9, 12)):
            raise ValidationError(_("%(where)s.region is a division code.") % {"where": where})
        units, units_source = _units(row, where, main)
        steps = []
        for j, step in enumerate(row.get("steps", []) or []):
            at = f"{where}.steps[{j}]"
            if not isinstance(step, dict):
                raise ValidationError(_("%(where)s is a mapping.") % {"where": at})
            step_source = _check_source(step.get("source", main), at)
            step_value = _number(step.get("target"), f"{at}.target")
            step_deadline = (
                _date(step["deadline"], f"{at}.deadline")
                if "deadline" in step
                else date(int(step.get("year", 0)) or deadline.year, 12, 31)
            )
            _require_number(step_value, _quote(step_source), f"{at}.target")
            if _quote(step_source) is not None:
                _require_in_quote(str(step_deadline.year), _quote(step_source), f"{at}.deadline")
            steps.append((step_deadline, step_value, step_source))
        base_value = row.get("base_value")
        sources = _sources(
            target=main,
            metric=metric_source,
            value=value_source,
            deadline=deadline_source,
            units=units_source,
            base=base_source,
            each=each_source,
            region=region_source,
        )
        if "base_value" in row:
            sources["base_value"] = _check_source(row.get("base_value_source"), f"{where}.base_value")
        specs.append(
            TargetSpec(
                code=str(row["code"]),
                region=region_code,
                metric=str(metric),
                target=value,
                comparison=comparison,
                deadline=deadline,
                each_level=each,
                skip_districts=bool(row.get("skip_districts", False)),
                measure=measure,
                base_period=base_period,
                base_value=_number(base_value, f"{where}.base_value") if base_value is not None else None,
                units=units,
                steps=sorted(steps, key=lambda s: s[0]),
                sources=sources,
                text=_words(row["text"], quote, where)
                if "text" in row
                else quote or str(main.get("note", "")),
                note=str(row.get("note", "")),
            )
        )
    return specs


# --- tasks ----------------------------------------------------------------------------------


@dataclass
class TaskSpec:
    code: str
    group: str
    text: str
    deadline: date | None
    deadline_text: str
    units: list[UnitRef]
    sources: dict[str, dict]
    goal_value: Decimal | None = None
    goal_unit: str = ""
    remark: str = ""
    targets: list[str] = field(default_factory=list)
    note: str = ""


def _groups(data: dict) -> dict[str, tuple[str, dict]]:
    out = {}
    for i, row in enumerate(_entry_list(data, "groups", "tasks")):
        where = f"groups[{i}]"
        source = _check_source(row.get("source"), where)
        title = str(row.get("title", "")).strip()
        if not title:
            raise ValidationError(_("%(where)s needs 'title'.") % {"where": where})
        _require_in_quote(title, _quote(source), where)
        out[str(row.get("code", i))] = (title, source)
    return out


def parse_tasks(data: dict) -> list[TaskSpec]:
    groups = _groups(data)
    rows = _entry_list(data, "tasks", "tasks")
    _codes_unique(rows, "tasks")
    specs = []
    for i, row in enumerate(rows):
        where = f"tasks[{i}] ({row['code']})"
        main = _check_source(row.get("source"), where)
        quote = _quote(main)
        text, text_source = _field(row, "text", where)
        text = _words(text, quote if text_source is None else _quote(text_source), where)
        deadline_text, deadline_source = _field(row, "deadline_text", where, default="")
        if deadline_text:
            _require_in_quote(
                str(deadline_text), quote if deadline_source is None else _quote(deadline_source), where
            )
        group = str(row.get("group", "") or "")
        if group and group not in groups:
            raise ValidationError(_("%(where)s: no group %(group)s.") % {"where": where, "group": group})
        units, units_source = _units(row, where, main)
        if not units:
            raise ValidationError(_("%(where)s needs at least one responsible unit.") % {"where": where})
        remark, remark_source = _field(row, "remark", where, default="")
        remark = str(remark or "")
        if remark:
            _require_in_quote(
                remark, quote if remark_source is None else _quote(remark_source), f"{where}.remark"
            )
        goal = row.get("goal") or {}
        goal_value = _number(goal["value"], f"{where}.goal.value") if "value" in goal else None
        goal_source = _check_source(goal["source"], f"{where}.goal") if "source" in goal else None
        if goal_value is not None:
            _require_number(
                goal_value, quote if goal_source is None else _quote(goal_source), f"{where}.goal"
            )
        sources = _sources(
            task=main,
            text=text_source,
            deadline=deadline_source,
            units=units_source,
            goal=goal_source,
            remark=remark_source,
        )
        if group:
            sources["group"] = groups[group][1]
        base = {
            "group": groups[group][0] if group else "",
            "text": text,
            "deadline_text": str(deadline_text),
            "units": units,
            "goal_value": goal_value,
            "goal_unit": str(goal.get("unit", "")),
            "remark": remark,
            "targets": [str(t) for t in row.get("targets", [])],
            "note": str(row.get("note", "")),
        }
        if "years" in row:
            # 每年实施: one task per year, so each year's delivery is tracked on its own.
            years = row["years"]
            if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
                raise ValidationError(_("%(where)s.years is [first year, last year].") % {"where": where})
            for year in range(years[0], years[1] + 1):
                specs.append(
                    TaskSpec(
                        code=f"{row['code']}-{year}", deadline=date(year, 12, 31), sources=sources, **base
                    )
                )
            continue
        deadline = None
        if row.get("deadline") is not None:
            deadline = _date(_field(row, "deadline", where)[0], f"{where}.deadline")
        elif not row.get("ongoing"):
            raise ValidationError(
                _("%(where)s needs 'deadline', 'years' or 'ongoing: true'.") % {"where": where}
            )
        specs.append(TaskSpec(code=str(row["code"]), deadline=deadline, sources=sources, **base))
    return specs


# --- registration ---------------------------------------------------------------------------


def _apply_targets(*, region, data: dict, acting_user=None) -> int:
    if region is None:
        return 0  # the national baseline's targets are a reference; each city pack sets its own
    return services.apply_targets(region=region, specs=parse_targets(data), pack=_pack_of(region))


def _apply_tasks(*, region, data: dict, acting_user=None) -> int:
    if region is None:
        return 0
    return services.apply_tasks(region=region, specs=parse_tasks(data), pack=_pack_of(region))


def _pack_of(region) -> str:
    row = (
        PolicySection.objects.filter(region=region, section__in=("targets", "tasks"))
        .select_related("pack")
        .first()
    )
    return row.pack.name if row else ""


policy_section("targets", defaults=list, apply=_apply_targets)(parse_targets)
policy_section("tasks", defaults=list, apply=_apply_tasks)(parse_tasks)
