"""Forms of the subsidy worker pages (the services validate again: forms only shape the input)."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.choices import Grade
from conditions.forms import ConditionBoxes
from policies.grades import LEVELS as SELF_CARE_LEVELS

from . import rules
from .choices import Decision, DocumentKind, Level


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))


class OrganisationApplyForm(forms.Form):
    scheme = forms.CharField(widget=forms.HiddenInput)
    claimed_cost = forms.DecimalField(
        label=_("Claimed cost (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )


class PayeeForm(forms.Form):
    """Where a cash subsidy is paid (the roll flags a cash payee without an account)."""

    payee_name = forms.CharField(
        label=_("Payee"),
        required=False,
        max_length=50,
        help_text=_("Leave empty when the elder is the payee."),
    )
    payee_account = forms.CharField(
        label=_("Bank account"),
        required=False,
        max_length=40,
        help_text=_("The account the subsidy is paid into (bank card or social security card), digits only."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PayeeChangeForm(PayeeForm):
    """A new account for a live subsidy: typed twice, as a bank's counter asks, since a wrong
    digit sends the money elsewhere."""

    payee_account_again = forms.CharField(
        label=_("Bank account again"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee_account"].required = True

    def clean(self):
        data = super().clean()
        first = "".join((data.get("payee_account") or "").split())
        again = "".join((data.get("payee_account_again") or "").split())
        if first and again and first != again:
            self.add_error("payee_account_again", _("The two bank accounts differ: type it again."))
        return data


class RollRunForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": _("A period is written YYYY-MM, e.g. 2026-03.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    region = forms.ChoiceField(label=_("Region"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class CheckDecisionForm(forms.Form):
    checks = forms.TypedMultipleChoiceField(label=_("Payees"), coerce=int, choices=())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("acknowledged", _("Checked: pay")), ("excluded", _("Exclude from this roll"))],
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args, check_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].choices = [(pk, pk) for pk in check_ids]


class ApproveRollForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the payees, the amounts and every cross-check of this roll."),
        error_messages={"required": _("Tick the box to confirm you have checked the roll.")},
    )


# --- the bureau's scheme form -------------------------------------------------------------------

# Facts the registry keeps for bookkeeping, or that a pack's conditions are resolved from: not
# offered as boxes (a condition using them is edited as data).
HIDDEN_FACTS = {"status", "self_care"}
# What the kinds of amount rule are called on the form: their declarations' labels.
RULE_KINDS = {code: kind.label for code, kind in rules.KINDS.items()}
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}


def _amount_label(kind: str, key: str) -> str:
    if kind == "by_grade":
        return Grade(int(key)).label if key.isdigit() and int(key) in Grade.values else key
    if kind == "by_self_care":
        return str(SELF_CARE_LEVELS.get(key, key))
    if kind == "by_star":
        return _("%(n)s star") % {"n": key}
    return _("Level %(n)s") % {"n": key}


def amount_fields(rule: dict) -> list[tuple[str, str, object]]:
    """Each box of the rule's amounts: (its place in the rule as rules.missing_amounts names it,
    the form field's name, its label)."""
    kind = rule.get("kind")
    if kind == "fixed":
        return [("amount", "amount", _("Amount (yuan)"))]
    if kind == "by_age_band":
        boxes = []
        for i, band in enumerate(rule.get("bands") or []):
            low, high = band.get("min"), band.get("max")
            label = (
                _("Aged %(min)s to %(max)s (yuan)") % {"min": low, "max": high}
                if high is not None
                else _("Aged %(min)s and over (yuan)") % {"min": low}
            )
            boxes.append((f"bands[{i}].amount", f"band_{i}", label))
        return boxes
    if kind in ("by_grade", "by_self_care", "by_skill_level", "by_star"):
        return [
            (f"amounts.{key}", f"amounts_{key}", f"{_amount_label(kind, key)} ({_('yuan')})")
            for key in (rule.get("amounts") or {})
        ]
    if kind == "cost_share":
        return [("share", "share", _("Share of the cost (0 to 1, e.g. 0.5)"))]
    if kind == "parameter_multiple":
        return [("multiple", "multiple", _("Multiple of the local standard"))]
    return []


class SchemeForm(ConditionBoxes, forms.Form):
    """Who qualifies (boxes for the common facts, each in the group "every one holds" or "at least
    one holds"), the amounts, the review levels, the public notice and activation. The condition as
    data stays as the advanced fallback for shapes the boxes cannot hold (a negation, ...)."""

    condition_key = "eligibility"

    review_levels = forms.MultipleChoiceField(
        label=_("Review levels"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The levels an application is reviewed at, in this order."),
    )
    notice_days = forms.IntegerField(
        label=_("Public notice (days)"),
        required=False,
        min_value=0,
        max_value=60,
        help_text=_("Days an approved application is publicly shown before payment; empty: none."),
    )
    active = forms.BooleanField(label=_("Active (applications and payments)"), required=False)
    inactive_reason = forms.CharField(label=_("Why inactive"), required=False, max_length=200)

    def __init__(self, *args, scheme, as_data: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.setup_condition(
            scheme.eligibility, subject=scheme.beneficiary, hidden=HIDDEN_FACTS, as_data=as_data
        )
        self.rule_kind = scheme.amount_rule.get("kind")
        self.amounts = amount_fields(scheme.amount_rule)
        places = dict(_place_values(scheme.amount_rule))
        for place, name, label in self.amounts:
            field = forms.DecimalField(label=label, required=False, **MONEY)
            if name == "share":
                field = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=5,
                    decimal_places=4,
                    min_value=Decimal("0"),
                    max_value=Decimal("1"),
                )
            elif name == "multiple":
                field = forms.DecimalField(
                    label=label, required=False, max_digits=6, decimal_places=3, min_value=Decimal("0")
                )
            self.fields[name] = field
            self.initial[name] = places.get(place)
        if self.rule_kind == "cost_share":
            self.fields["cap"] = forms.DecimalField(
                label=_("Cap (yuan, empty: none)"), required=False, **MONEY
            )
            self.initial["cap"] = scheme.amount_rule.get("cap")
        self.initial.update(
            review_levels=scheme.review_levels or [],
            notice_days=scheme.notice_days,
            active=scheme.active,
            inactive_reason=scheme.inactive_reason,
        )

    def amount_boxes(self):
        return [self[name] for _place, name, _label in self.amounts] + (
            [self["cap"]] if "cap" in self.fields else []
        )

    def field_of_place(self, place: str) -> str | None:
        return next((name for p, name, _label in self.amounts if p == place), None)

    # --- what the form means ----------------------------------------------------------------

    def eligibility(self) -> dict | None:
        """The condition the boxes (or the data) say, checked; None with an error on the form."""
        return self.condition(path=str(_("Who qualifies")))

    def amount_rule(self) -> dict:
        """The scheme's rule with the boxes' amounts (an empty box: the amount is open)."""
        rule = json.loads(json.dumps(self.scheme.amount_rule))  # a deep copy: the scheme keeps its own
        data = self.cleaned_data
        for place, name, _label in self.amounts:
            value = data.get(name)
            text = None if value is None else str(value)
            if name in ("amount", "share", "multiple"):
                rule[name] = text
            elif name.startswith("band_"):
                rule["bands"][int(name[5:])]["amount"] = text
            else:
                rule["amounts"][place.split(".", 1)[1]] = text
        if "cap" in self.fields:
            cap = data.get("cap")
            rule["cap"] = None if cap is None else str(cap)
        return rule

    def condition_field(self, name: str) -> str | None:
        """The amount rule's places go to their boxes; the rest as for every condition form."""
        if name.startswith("amount_rule."):
            return self.field_of_place(name.split(".", 1)[1])
        return None if name == "amount_rule" else super().condition_field(name)


def _place_values(rule: dict):
    kind = rule.get("kind")
    if kind == "fixed":
        yield "amount", rule.get("amount")
    elif kind == "by_age_band":
        for i, band in enumerate(rule.get("bands") or []):
            yield f"bands[{i}].amount", band.get("amount")
    elif kind in ("by_grade", "by_self_care", "by_skill_level", "by_star"):
        for key, value in (rule.get("amounts") or {}).items():
            yield f"amounts.{key}", value
    elif kind == "cost_share":
        yield "share", rule.get("share")
    elif kind == "parameter_multiple":
        yield "multiple", rule.get("multiple")
