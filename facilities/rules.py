"""Pure rules: standards checks, the staffing ratio, the space requirement. No database."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .policy import SpaceStandard, Staffing, StandardRule

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Check:
    """One rule of a standard for one facility: what is required, what is there, whether it is met."""

    metric: str
    required: Decimal
    actual: Decimal | None
    met: bool
    detail: str = ""


def metric_value(metric: str, facts: Mapping[str, object]) -> Decimal | None:
    """A facility's value of a standards metric; None when it is not recorded."""
    if metric == "nursing_bed_share":
        beds = facts.get("beds") or 0
        if not beds:
            return None
        return (Decimal(facts.get("nursing_beds") or 0) * HUNDRED / Decimal(beds)).quantize(Decimal("0.1"))
    if metric == "staff":
        return Decimal(
            sum(
                int(facts.get(k) or 0)
                for k in ("caregivers", "nurses", "doctors", "social_workers", "managers", "other_staff")
            )
        )
    value = facts.get(metric)
    return None if value is None else Decimal(str(value))


def meets(metric: str, minimum: Decimal, facts: Mapping[str, object]) -> bool:
    """Whether the facility reaches the minimum; shares compare exactly, not after rounding."""
    if metric == "nursing_bed_share":
        beds = int(facts.get("beds") or 0)
        # 60 % of 200 beds needs 120 nursing beds: 120 passes, 119 (59.5 %) does not.
        return beds > 0 and Decimal(int(facts.get("nursing_beds") or 0)) * HUNDRED >= minimum * beds
    value = metric_value(metric, facts)
    return value is not None and value >= minimum


def check_standards(rules: tuple[StandardRule, ...], facts: Mapping[str, object]) -> list[Check]:
    return [
        Check(r.metric, r.minimum, metric_value(r.metric, facts), meets(r.metric, r.minimum, facts))
        for r in rules
    ]


def care_groups(grades: Mapping[int | None, int], staffing: Staffing) -> dict[str, int]:
    """Residents per care group from residents per current ability grade (None: no valid result)."""
    out = {group: 0 for group in staffing.residents_per_caregiver}
    for grade, n in grades.items():
        group = staffing.unassessed_as if grade is None else staffing.grade_groups[grade]
        out[group] += n
    return out


def required_caregivers(groups: Mapping[str, int], staffing: Staffing) -> Decimal:
    """Caregivers the residents need: disabled/1.5 + semi-disabled/4 + self-care/10 (南阳's ratios)."""
    return sum(
        (Decimal(n) / staffing.residents_per_caregiver[group] for group, n in groups.items()), Decimal(0)
    )


def check_staffing(caregivers: int, grades: Mapping[int | None, int], staffing: Staffing) -> Check:
    groups = care_groups(grades, staffing)
    needed = required_caregivers(groups, staffing)
    detail = ", ".join(f"{group}={n}" for group, n in groups.items())
    unassessed = grades.get(None, 0)
    if unassessed:
        detail += f"; unassessed={unassessed}"
    return Check(
        "caregiver_ratio", Decimal(math.ceil(needed)), Decimal(caregivers), caregivers >= needed, detail
    )


# One 亩 is 10,000/15 m²: land standards in m² compare with facilities' land recorded in 亩.
M2_PER_MU = Decimal("666.6667")


def required_space(
    standard: SpaceStandard, *, households: int | None, estate: str, population: int | None
) -> Decimal | None:
    """Elder-care space a community needs (m², floor or land as the standard measures it); None when
    the standard has no figure for this kind of estate or the figures it depends on are missing."""
    needs = []
    if estate in standard.per_100_households and households is not None:
        needs.append(Decimal(households) * standard.per_100_households[estate] / HUNDRED)
    if estate in standard.per_resident and population is not None:
        needs.append(Decimal(population) * standard.per_resident[estate])
    if not needs:
        return None
    return max(needs).quantize(Decimal("0.01"))


def vacancy(beds: int, residents: int) -> int:
    return max(beds - residents, 0)


def occupancy_rate(beds: int, residents: int) -> Decimal | None:
    if not beds:
        return None
    return (Decimal(residents) * HUNDRED / Decimal(beds)).quantize(Decimal("0.1"))
