"""Subsidy amounts: pure functions over a scheme's amount rule and an elder's facts. Decimal only.

An amount rule is data from the policy pack. Kinds:
  fixed               {"kind": "fixed", "amount": "100.00"}
  by_age_band         {"kind": "by_age_band", "bands": [{"min": 80, "max": 89, "amount": "50"}, ...]}
  by_grade            {"kind": "by_grade", "amounts": {"0": "100", ..., "4": "300"}}  (ability grade)
  by_self_care        {"kind": "by_self_care", "amounts": {"self_care": ..., "semi_disabled": ..., "disabled": ...},
                       "levels": {"0": "self_care", ...}}  (levels: the pack's grade mapping, written on load)
  cost_share          {"kind": "cost_share", "share": "0.5", "cap": "1000"}
  by_skill_level      {"kind": "by_skill_level", "amounts": {"5": "200", "1": "2000"}}  (caregiver)
  by_star             {"kind": "by_star", "amounts": {"1": ..., "5": ...}}  (facility star rating)
  parameter_multiple  {"kind": "parameter_multiple", "parameter": "dibao_standard", "multiple": "1.3"}
A rule that cannot give an amount (a level the document leaves open, a missing cost or
parameter) gives None: the scheme pays nothing until the bureau sets the number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.grades import DEFAULT as DEFAULT_GRADES

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Facts:
    age: int | None = None
    grade: int | None = None
    cost: Decimal | None = None
    skill_level: int | None = None
    star: int | None = None
    parameters: dict[str, Decimal] = field(default_factory=dict)


def self_care_level(grade: int | None, levels: dict | None) -> str | None:
    """自理 / 半失能 / 失能 of an ability grade, by the pack's grade mapping (`levels`, grade -> level),
    which loading the pack writes into the rule (policies.grades)."""
    if grade is None:
        return None
    if not levels:
        return DEFAULT_GRADES.level_of(grade)
    return levels.get(str(grade))


def _money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the kinds of amount rule, each declared once -------------------------------------------


@dataclass(frozen=True)
class AmountKind:
    """One kind of amount rule: what the form calls it, the keys a rule of it must hold, the places
    that hold its amounts, and how it gives the amount for a beneficiary's facts. A new kind is
    one declaration here (and its boxes on the scheme form, `subsidies.forms.amount_fields`)."""

    label: Any
    needs: tuple[str, ...]
    places: Callable[[dict], list[tuple[str, Any]]]
    compute: Callable[[dict, Facts], Decimal | None]


def _by_key(rule: dict) -> list[tuple[str, Any]]:
    return [(f"amounts.{key}", value) for key, value in (rule.get("amounts") or {}).items()]


def _keyed(value: int | None, rule: dict) -> Decimal | None:
    return None if value is None else _money(rule["amounts"].get(str(value)))


def _age_band(rule: dict, facts: Facts) -> Decimal | None:
    if facts.age is None:
        return None
    for band in rule["bands"]:
        if facts.age >= band["min"] and (band.get("max") is None or facts.age <= band["max"]):
            return _money(band.get("amount"))
    return None


def _self_care(rule: dict, facts: Facts) -> Decimal | None:
    level = self_care_level(facts.grade, rule.get("levels"))
    return None if level is None else _money(rule["amounts"].get(level))


def _cost_share(rule: dict, facts: Facts) -> Decimal | None:
    if facts.cost is None:
        return None
    share = facts.cost * Decimal(str(rule["share"]))
    cap = _money(rule.get("cap"))
    return _money(min(share, cap) if cap is not None else share)


def _multiple(rule: dict, facts: Facts) -> Decimal | None:
    base = facts.parameters.get(rule["parameter"])
    return None if base is None else _money(base * Decimal(str(rule["multiple"])))


KINDS: dict[str, AmountKind] = {
    "fixed": AmountKind(
        gettext_lazy("A fixed amount"),
        ("amount",),
        lambda rule: [("amount", rule.get("amount"))],
        lambda rule, facts: _money(rule["amount"]),
    ),
    "by_age_band": AmountKind(
        gettext_lazy("By age band"),
        ("bands",),
        lambda rule: [(f"bands[{i}].amount", band.get("amount")) for i, band in enumerate(rule.get("bands") or [])],
        _age_band,
    ),
    "by_grade": AmountKind(
        gettext_lazy("By ability grade"), ("amounts",), _by_key, lambda rule, facts: _keyed(facts.grade, rule)
    ),
    "by_self_care": AmountKind(gettext_lazy("By self-care level"), ("amounts",), _by_key, _self_care),
    "cost_share": AmountKind(
        gettext_lazy("A share of the cost"), ("share",), lambda rule: [("share", rule.get("share"))], _cost_share
    ),
    "by_skill_level": AmountKind(
        gettext_lazy("By skill level"),
        ("amounts",),
        _by_key,
        lambda rule, facts: _keyed(facts.skill_level, rule),
    ),
    "by_star": AmountKind(
        gettext_lazy("By star rating"), ("amounts",), _by_key, lambda rule, facts: _keyed(facts.star, rule)
    ),
    "parameter_multiple": AmountKind(
        gettext_lazy("A multiple of a local standard"),
        ("parameter", "multiple"),
        lambda rule: [(key, rule.get(key)) for key in ("parameter", "multiple")],
        _multiple,
    ),
}


def rule_errors(rule: dict) -> list[str]:
    kind = KINDS.get(rule.get("kind"))
    if kind is None:
        return [
            _("Unknown amount rule %(kind)s; use one of %(kinds)s.")
            % {"kind": rule.get("kind"), "kinds": ", ".join(KINDS)}
        ]
    return [
        _("The amount rule %(kind)s needs '%(key)s'.") % {"kind": rule["kind"], "key": k}
        for k in kind.needs
        if k not in rule
    ]


def _amount_places(rule: dict) -> list[tuple[str, Any]]:
    """Each place of the rule that holds an amount, by its name in the rule, with its value."""
    kind = KINDS.get(rule.get("kind"))
    return kind.places(rule) if kind else []


def amount(rule: dict, facts: Facts) -> Decimal | None:
    """The amount per payment for these facts, or None when the rule cannot give one."""
    if rule["kind"] not in KINDS:
        raise ValueError(rule["kind"])
    return KINDS[rule["kind"]].compute(rule, facts)


def missing_amounts(rule: dict) -> list[str]:
    """Where the rule leaves an amount open (null: the document gives none, the bureau sets it),
    by its place in the rule ('amount', 'bands[2].amount', 'amounts.3')."""
    return [place for place, value in _amount_places(rule) if value is None]


def gives_no_amount(rule: dict) -> bool:
    """Every amount of the rule is open: paying from it would pay nobody anything. (A rule with some
    amounts set pays those; an applicant whose amount is open is told so.)"""
    return all(value is None for _place, value in _amount_places(rule))


def needs_cost(rule: dict) -> bool:
    """Whether the amount is a share of a cost the applicant states (the claimed cost)."""
    return rule.get("kind") == "cost_share"


def cost_errors(cost: Decimal | None) -> list[str]:
    """Why a claimed cost is refused: missing, not positive, or more than two decimal places."""
    if cost is None:
        return [_("State the cost the subsidy is a share of.")]
    if not cost.is_finite() or cost <= 0:
        return [_("The cost must be a positive amount of yuan.")]
    if cost != cost.quantize(CENT):
        return [_("The cost has at most two decimal places (fen).")]
    if cost >= Decimal("10000000000"):
        return [_("The cost is too large.")]
    return []


def due_months(months: list[str], *, frequency: str, first_period: str) -> list[str]:
    """Of the months an entitlement could be paid for, those its scheme's frequency pays: every
    month (monthly), the first month and every twelfth after it (yearly), the first month only
    (one-off)."""
    if frequency == "one_off":
        return [m for m in months if m == first_period]
    if frequency == "yearly":
        start = int(first_period[:4]) * 12 + int(first_period[5:7])
        return [m for m in months if (int(m[:4]) * 12 + int(m[5:7]) - start) % 12 == 0]
    return months


def choose_higher(rows: list[dict]) -> list[dict]:
    """择高: within each exclusivity group only the eligible scheme with the highest amount pays.

    Rows: {"scheme": code, "group": str|None, "eligible": bool, "amount": Decimal|None, ...}.
    Returns the rows with `excluded_by` set on the losers (ties: the first code wins).
    """
    best: dict[str, dict] = {}
    for row in rows:
        group = row.get("group")
        if not group or not row["eligible"] or row["amount"] is None:
            continue
        current = best.get(group)
        if (
            current is None
            or row["amount"] > current["amount"]
            or (row["amount"] == current["amount"] and row["scheme"] < current["scheme"])
        ):
            best[group] = row
    for row in rows:
        winner = best.get(row.get("group") or "")
        row["excluded_by"] = (
            winner["scheme"] if winner is not None and winner is not row and row["eligible"] else None
        )
    return rows


def unsuspended_months(months: list[str], spans: list[tuple[str, str]]) -> list[str]:
    """The months (YYYY-MM) not inside any suspension span (first, last); an empty last means
    the suspension is still open."""
    return [m for m in months if not any(first <= m and (not last or m <= last) for first, last in spans)]


# Supporting documents: the extensions accepted and the first bytes each kind of file starts with.
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def document_errors(*, field: str, name: str, size: int, head: bytes, max_bytes: int) -> list[str]:
    """Why an uploaded file is refused (empty: accepted): its extension, its content and its size.
    `field` is the field's label, so each message names the field."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted(DOCUMENT_SIGNATURES))
    errors = []
    if extension not in DOCUMENT_SIGNATURES:
        errors.append(
            _("%(field)s: files of type '%(ext)s' are not accepted; use one of: %(allowed)s.")
            % {"field": field, "ext": extension or "-", "allowed": allowed}
        )
    elif not head.startswith(DOCUMENT_SIGNATURES[extension]):
        errors.append(
            _("%(field)s: the content of %(name)s is not a %(ext)s file.")
            % {"field": field, "name": name, "ext": extension.upper()}
        )
    if size > max_bytes:
        errors.append(
            _("%(field)s: the file is %(size)s MB; at most %(max)s MB is accepted.")
            % {"field": field, "size": f"{size / 1_048_576:.2f}", "max": f"{max_bytes / 1_048_576:g}"}
        )
    if size == 0:
        errors.append(_("%(field)s: the file is empty.") % {"field": field})
    return errors


def normal_account(account: str) -> str:
    """A bank account as banks print it (groups of digits) stored as digits only."""
    return "".join((account or "").split()).replace("-", "")


def payee_errors(name: str, account: str) -> dict[str, list[str]]:
    """What is wrong with a payee: an account is 8 to 30 digits (cards 16-19, savings and social
    security card accounts differ by bank); a name is at most 50 characters."""
    errors: dict[str, list[str]] = {}
    if account and not (account.isdigit() and 8 <= len(account) <= 30):
        errors["payee_account"] = [str(_("A bank account is 8 to 30 digits (spaces allowed)."))]
    if len((name or "").strip()) > 50:
        errors["payee_name"] = [str(_("The payee's name is at most 50 characters."))]
    return errors


def mask_account(account: str) -> str:
    """A bank account shown to roles without personal-data rights: its last four digits."""
    return f"****{account[-4:]}" if account else ""
