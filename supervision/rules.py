"""Pure rules of supervision: the random draw, deadlines, credit consequences. No database."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Drawn:
    facility: int
    month: int
    inspectors: tuple[int, ...]


def draw(
    *,
    seed: str,
    facilities: list[int],
    inspectors: list[int],
    share_percent: int,
    months: list[int],
    team: int,
) -> list[Drawn]:
    """双随机: the facilities to inspect and a team of inspectors for each, from a seed.

    The pools are sorted first and Python's Mersenne Twister seeded with the string (its seeding
    of a str is fixed across runs and platforms), so the same seed and pools give the same draw.
    Months are dealt in turn, so inspections spread over the plan's months.
    """
    pool = sorted(set(facilities))
    people = sorted(set(inspectors))
    if not pool:
        return []
    rng = random.Random(seed)
    count = min(len(pool), math.ceil(len(pool) * share_percent / 100))
    chosen = rng.sample(pool, count)
    ordered_months = sorted(set(months))
    return [
        Drawn(facility, ordered_months[i % len(ordered_months)], tuple(sorted(rng.sample(people, team))))
        for i, facility in enumerate(chosen)
    ]


def rectification_deadline(found_on: date, days: int) -> date:
    return found_on + timedelta(days=days)


def is_overdue(deadline: date, today: date) -> bool:
    return today > deadline


def blacklisting_due(warnings_in_window: int, after: int) -> bool:
    """A blacklisting follows when the warnings in force within the window reach the pack's number."""
    return warnings_in_window >= after


def blacklist_until(starts_on: date, years: int) -> date:
    try:
        return starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February
        return starts_on.replace(year=starts_on.year + years, day=28)
