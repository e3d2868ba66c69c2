"""Pure rules of supervision: the random draw, deadlines, credit consequences. No database."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


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


# --- scored checklists (operator reviews, star evaluations) -------------------------------------

ONE_DECIMAL = Decimal("0.1")


def score_errors(maxima: Mapping[str, int], scores: Mapping[str, object]) -> dict[str, str]:
    """Per item code, what is wrong with its points: missing, not a number, negative or above
    the item's points. Empty when every item is scored within its range."""
    errors = {}
    for code, most in maxima.items():
        value = scores.get(code)
        try:
            number = Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            errors[code] = "missing"
        elif number < 0 or number > most:
            errors[code] = "range"
    return errors


def total(maxima: Mapping[str, int], scores: Mapping[str, object]) -> tuple[Decimal, Decimal, Decimal]:
    """Points earned, points possible and the share (%) to one decimal, half up."""
    earned = sum((Decimal(str(scores[code])) for code in maxima), Decimal(0))
    possible = Decimal(sum(maxima.values()))
    percent = (earned * 100 / possible).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) if possible else Decimal(0)
    return earned, possible, percent


def review_recommendation(percent: Decimal, pass_score: Decimal, *, serious_item_failed: bool) -> str:
    """What a 公建民营 operator's yearly review recommends for its contract: a pass continues it;
    below the pass score it continues after rectification; an item marked serious that earned no
    points (state assets lost, the public-welfare purpose changed …) ends it."""
    if serious_item_failed:
        return "terminate"
    return "renew" if percent >= pass_score else "rectify"


def star_for(percent: Decimal, levels: tuple[Decimal, ...], applied: int) -> int | None:
    """The stars a score reaches on the pack's levels (lowest % of 1 … 5 stars), never more than
    the operator applied for; None when it reaches no star."""
    reached = sum(1 for minimum in levels if percent >= minimum)
    return min(reached, applied) or None


def mean_percent(percents: list[Decimal]) -> Decimal:
    return (sum(percents, Decimal(0)) / len(percents)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- elder-care rooms of residential estates -----------------------------------------------------

_NOT_READY = {
    "not_provided": "not_provided",
    "planned": "not_built",
    "built": "not_handed_over",
    "handed_over": "not_in_use",
    "diverted": "diverted",
}


def room_verdict(
    *, status: str, area_m2: Decimal | None, required_m2: Decimal | None, min_site_m2: Decimal | None
) -> tuple[bool | None, list[str]]:
    """Whether an estate's room meets the standard at the yearly check, and what is to be
    corrected. A room counts only handed over and in use; its area is compared with what the
    standard requires of the estate and with the smallest site. None: the standard has no figure
    for this estate and the room is in use (nothing to judge the area on)."""
    problems = [_NOT_READY[status]] if status in _NOT_READY else []
    if status not in ("not_provided", "diverted") and area_m2 is not None:
        if required_m2 is not None and area_m2 < required_m2:
            problems.append("area_short")
        if min_site_m2 is not None and area_m2 < min_site_m2:
            problems.append("site_small")
    if problems:
        return False, problems
    if required_m2 is None and min_site_m2 is None:
        return None, []
    return True, []
