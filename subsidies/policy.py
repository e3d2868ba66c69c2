"""The schemes section of a policy pack (policy_packs/<city>/schemes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import conditions
from policies.documents import loaded_documents, titles
from policies.grades import fresh_grade_mapping, resolve
from policies.sections import policy_section, sourced
from policies.selectors import get_section
from policies.sources import document_keys, source_text

from .choices import Beneficiary, Frequency, PaymentForm
from .rules import rule_errors

SECTION = "schemes"
_REQUIRED = (
    "code",
    "name",
    "source",
    "effective_from",
    "beneficiary",
    "frequency",
    "payment_form",
    "eligibility",
    "amount_rule",
)


@dataclass(frozen=True)
class SchemeSettings:
    """The schemes of a pack and the settings of the payment roll read at a batch's region."""

    schemes: list[dict] = field(default_factory=list)
    # Cross-check before a roll is approved: flag recipients not visited for this many months.
    no_visit_months: int = 3


def defaults() -> SchemeSettings:
    # National baseline (policy_packs/national/schemes.yaml): no visit in 3 months is flagged.
    return SchemeSettings()


def apply(*, region, data: dict, acting_user=None) -> int:
    """Loading a pack writes its schemes; an amount the bureau already set in the admin is kept
    only when the pack leaves it open (the pack never overwrites a number with nothing)."""
    from .models import Scheme

    rows = parse(data).schemes
    # 自理/半失能/失能 in the conditions and amounts mean the grades of the pack's mapping here.
    mapping = fresh_grade_mapping(region.code if region else None)
    names = titles(loaded_documents())
    for row in rows:
        existing = Scheme.objects.filter(code=row["code"]).first()
        rule = dict(row["amount_rule"])
        if rule.get("kind") == "by_self_care":
            rule["levels"] = {str(g): level for g, level in mapping.levels.items()}
        fields = {
            "name": row["name"],
            "region": region,
            "legal_basis": source_text(row["source"], names),
            "source_documents": sorted(document_keys(row)),
            "effective_from": date.fromisoformat(str(row["effective_from"])),
            "effective_to": date.fromisoformat(str(row["effective_to"])) if row.get("effective_to") else None,
            "beneficiary": row["beneficiary"],
            "frequency": row["frequency"],
            "payment_form": row["payment_form"],
            "eligibility": resolve(row["eligibility"], mapping),
            "amount_rule": rule,
            "exclusivity_group": row.get("exclusivity_group", ""),
            "suspend_when": resolve(row.get("suspend_when") or {}, mapping),
            "application_needed": row.get("application_needed", True),
            "review_levels": row.get("review_levels", ["street", "district"]),
            "notice_days": row.get("notice_days"),
            "active": row.get("active", True),
            "inactive_reason": row.get("inactive_reason", ""),
        }
        if existing is not None and not fields["active"] and existing.active:
            fields.pop("amount_rule")
            fields.pop("active")
            fields.pop("inactive_reason")
        scheme = existing or Scheme(code=row["code"])
        for key, value in fields.items():
            setattr(scheme, key, value)
        scheme.full_clean()
        scheme.save()
    return len(rows)


@policy_section(SECTION, defaults=defaults, apply=apply)
def parse(data: dict) -> SchemeSettings:
    rows = sourced(data, "schemes", section=SECTION, kind=list)
    for i, row in enumerate(rows):
        where = f"schemes[{i}]"
        for key in _REQUIRED:
            if key not in row:
                raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
        if row["beneficiary"] not in Beneficiary.values or row["frequency"] not in Frequency.values:
            raise ValidationError(_("%(where)s: unknown beneficiary or frequency.") % {"where": where})
        if row["payment_form"] not in PaymentForm.values:
            raise ValidationError(_("%(where)s: unknown payment form.") % {"where": where})
        conditions.validate(row["eligibility"], path=f"{where}.eligibility")
        if row.get("suspend_when"):
            conditions.validate(row["suspend_when"], path=f"{where}.suspend_when")
        # A facility scheme's conditions test facility facts, a caregiver scheme's caregiver facts.
        wrong = conditions.subject_errors(row["eligibility"], row["beneficiary"], path=f"{where}.eligibility")
        if row.get("suspend_when"):
            wrong += conditions.subject_errors(
                row["suspend_when"], row["beneficiary"], path=f"{where}.suspend_when"
            )
        if wrong:
            raise ValidationError(wrong)
        problems = rule_errors(row["amount_rule"])
        if problems:
            raise ValidationError([f"{where}: {p}" for p in problems])
    months = sourced(data, "no_visit_months", section=SECTION, kind=int, default=3)
    if not 1 <= months <= 24:
        raise ValidationError(_("'schemes.no_visit_months' must be between 1 and 24."))
    return SchemeSettings(schemes=rows, no_visit_months=months)


def scheme_settings(region_code: str) -> SchemeSettings:
    """The schemes section in force at a region (the nearest pack up the tree, else national)."""
    return get_section(region_code, SECTION)
