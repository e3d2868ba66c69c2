"""Pure functions on 12-digit division codes (统计用区划代码). No database access."""

from __future__ import annotations

import re

from .choices import LEVEL_DIGITS, Kind, Level

CODE_RE = re.compile(r"^\d{12}$")
_PREFIX_LENGTHS = (2, 4, 6, 9, 12)


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def pad_code(prefix: str) -> str:
    """'4113' -> '411300000000': the stored form of a code given by its significant digits."""
    if not prefix.isdigit() or len(prefix) > 12:
        raise ValueError(f"not a division code prefix: {prefix!r}")
    return prefix.ljust(12, "0")


def significant_prefix(value: str) -> str:
    """The leading digits that say "everything under it": a full code loses its trailing zero
    levels ('330302000000' -> '330302'); a shorter value is a prefix already."""
    if len(value) == 12:
        for n in _PREFIX_LENGTHS[:-1]:
            if not value[n:].strip("0"):
                return value[:n]
    return value


def scope_prefix(code: str, level: str) -> str:
    """The significant digits of a region: everything under it starts with them."""
    return code[: LEVEL_DIGITS[Level(level)]]


def level_for_prefix_length(length: int) -> Level:
    for level, digits in LEVEL_DIGITS.items():
        if digits == length:
            return level
    raise ValueError(f"no division level has {length} digits")


def kind_of_village(code: str) -> Kind:
    """Village codes 001-199 are urban residents' committees, 200-399 rural villages."""
    return Kind.URBAN if int(code[9:12]) < 200 else Kind.RURAL


def kind_of_town(code: str) -> Kind:
    """Town codes 001-099 are streets (urban); 100-199 towns and 200-399 townships are rural."""
    return Kind.URBAN if int(code[6:9]) < 100 else Kind.RURAL


def is_under(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def candidate_ancestor_codes(code: str) -> list[str]:
    """Padded codes of every possible ancestor, outermost first (some may not exist)."""
    out = []
    for n in _PREFIX_LENGTHS[:-1]:
        padded = pad_code(code[:n])
        if padded != code and padded not in out:
            out.append(padded)
    return out


def is_district(code: str) -> bool:
    """County-level codes 01-20 are a city's districts (市辖区); 21-70 counties, 81-99 county-level
    cities. Documents that say 县(市) mean the latter two."""
    return 1 <= int(code[4:6]) <= 20


def is_development_zone(code: str) -> bool:
    """County-level codes 71-79 are development zones (开发区, 示范区), run by a management
    committee rather than a people's government."""
    return 71 <= int(code[4:6]) <= 79


def government_name(name: str, code: str) -> str:
    """The name of the body governing a county-level division, as documents address it."""
    return f"{name}管委会" if is_development_zone(code) else f"{name}人民政府"
