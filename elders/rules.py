"""Pure rules of the registry: ID numbers (GB 11643), ages, masking. No database access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin, pinyin

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """An ID number that cannot belong to anyone; the message is for the user."""


@dataclass(frozen=True)
class IdNumber:
    number: str  # normalised: 18 characters, upper-case X
    birth_date: date
    sex: str  # "male" or "female"
    address_code: str


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse_id_number(raw: str, *, today: date) -> IdNumber:
    """Validate a resident ID number and derive birth date and sex from it.

    The address code is not checked against today's divisions: elders' cards carry codes of
    counties that have since been merged or renamed, which is normal.
    """
    value = (raw or "").strip().upper()
    if len(value) != 18:
        raise IdNumberError(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(value)})
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdNumberError(_("An ID number is 17 digits followed by a digit or X."))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError(
            _("The birth date in the ID number (%(d)s) is not a real date.") % {"d": value[6:14]}
        ) from None
    if born > today:
        raise IdNumberError(_("The birth date in the ID number is in the future."))
    if born.year < 1880:
        raise IdNumberError(_("The birth date in the ID number is implausibly early."))
    expected = check_character(value[:17])
    if value[17] != expected:
        raise IdNumberError(
            _("The check character of this ID number is wrong (expected %(c)s); please re-check every digit.")
            % {"c": expected}
        )
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return IdNumber(number=value, birth_date=born, sex=sex, address_code=value[:6])


def make_id_number(address_code: str, born: date, sequence: int) -> str:
    """Build a valid ID number (demo data and tests); sequence parity gives the sex."""
    first17 = f"{address_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on a date (someone born on 29 February ages on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def birth_date_bounds_for_age(
    min_age: int | None, max_age: int | None, on: date
) -> tuple[date | None, date | None]:
    """The birth-date range [earliest, latest] of people aged min_age..max_age on a date."""

    def years_before(d: date, years: int) -> date:
        try:
            return d.replace(year=d.year - years)
        except ValueError:  # 29 February in a non-leap year
            return d.replace(year=d.year - years, day=28)

    latest = years_before(on, min_age) if min_age is not None else None
    earliest = None
    if max_age is not None:
        from datetime import timedelta

        earliest = years_before(on, max_age + 1) + timedelta(days=1)
    return earliest, latest


def mask_id_number(number: str) -> str:
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}********{number[-4:]}"


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = 3 if len(phone) >= 11 else 2
    return f"{phone[:keep]}{'*' * (len(phone) - keep - 4)}{phone[-4:]}"


def name_initials(name: str) -> str:
    """The pinyin initials a worker types to find a name (张三丰 → ZSF). A surname with several
    readings gives one spelling per reading, space-separated (单雄信 → DXX CXX SXX; 曾 is Ceng
    or Zeng), so a search need not know which one the family uses. Characters that are not
    Chinese are left out."""
    han = "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")
    if not han:
        return ""
    rest = "".join(lazy_pinyin(han[1:], style=Style.FIRST_LETTER, errors="ignore")).upper()
    firsts = dict.fromkeys(p.upper() for p in pinyin(han[0], style=Style.FIRST_LETTER, heteronym=True)[0])
    return " ".join(first + rest for first in firsts)[:60]
