"""Forms of the subsidy worker pages (the services validate again: forms only shape the input)."""

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import conditions
from assessments.choices import Grade
from conditions import structured
from policies.grades import LEVELS as SELF_CARE_LEVELS
from regions.choices import Kind
from regions.models import Region
from regions.rules import pad_code

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
# Labels of facts whose choices were registered as bare codes.
EXTRA_LABELS = {"residence_kind": dict(Kind.choices)}
# What the kinds of amount rule are called on the form.
RULE_KINDS = {
    "fixed": _("A fixed amount"),
    "by_age_band": _("By age band"),
    "by_grade": _("By ability grade"),
    "by_self_care": _("By self-care level"),
    "cost_share": _("A share of the cost"),
    "by_skill_level": _("By skill level"),
    "by_star": _("By star rating"),
    "parameter_multiple": _("A multiple of a local standard"),
}
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


def _fact_label(fact) -> str:
    return str(fact.label)


def _choices_of(fact) -> list[tuple[str, str]]:
    labels = {**fact.labels, **EXTRA_LABELS.get(fact.name, {})}
    codes = fact.choices or tuple(labels)
    return [(str(code), str(labels.get(code, code))) for code in codes]


class SchemeForm(forms.Form):
    """Who qualifies (boxes for the common facts, each in the group "every one holds" or "at least
    one holds"), the amounts, the review levels, the public notice and activation. The condition as
    data stays as the advanced fallback for shapes the boxes cannot hold (a negation, ...)."""

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
    # Set (hidden) when the condition has a shape the boxes cannot hold: it is edited as data.
    advanced = forms.BooleanField(required=False, widget=forms.HiddenInput)
    raw_eligibility = forms.CharField(
        label=_("The condition as data (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, scheme, as_data: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.facts = [
            f
            for name, f in ((n, conditions.FACTS[n]) for n in conditions.FACTS)
            if f.subject == scheme.beneficiary and name not in HIDDEN_FACTS
        ]
        self.groups = structured.decompose(scheme.eligibility)
        self.structured = self.groups is not None
        self.as_data = as_data or not self.structured
        initial_groups = self.groups or {"all": {}, "any": {}}
        for group in structured.GROUPS:
            for fact in self.facts:
                self._add_fact_fields(group, fact, initial_groups[group].get(fact.name) or {})
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
            advanced=as_data or not self.structured,
            raw_eligibility=(
                json.dumps(scheme.eligibility, ensure_ascii=False, indent=1)
                if as_data or not self.structured
                else ""
            ),
        )

    def _add_fact_fields(self, group: str, fact, spec: dict) -> None:
        kind = structured.editor_kind(fact)
        key = f"{group}__{fact.name}"
        label = _fact_label(fact)
        if kind == "range":
            self.fields[f"{key}__min"] = forms.IntegerField(
                label=_("%(fact)s at least") % {"fact": label}, required=False
            )
            self.fields[f"{key}__max"] = forms.IntegerField(
                label=_("%(fact)s at most") % {"fact": label}, required=False
            )
            self.initial[f"{key}__min"] = spec.get("min")
            self.initial[f"{key}__max"] = spec.get("max")
        elif kind == "pick":
            self.fields[key] = forms.MultipleChoiceField(
                label=label, choices=_choices_of(fact), required=False, widget=forms.CheckboxSelectMultiple
            )
            self.initial[key] = [str(v) for v in spec.get("in", [])]
        elif kind == "region":
            self.fields[key] = forms.CharField(label=label, required=False, max_length=12)
            under = spec.get("under")
            self.initial[key] = pad_code(under) if under else ""
        elif kind == "bool":
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("Not tested")), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
            )
            self.initial[key] = {True: "yes", False: "no"}.get(spec.get("eq"), "")

    def fact_rows(self, group: str) -> list[dict]:
        """The boxes of one group, fact by fact, for the template."""
        rows = []
        for fact in self.facts:
            kind = structured.editor_kind(fact)
            key = f"{group}__{fact.name}"
            names = [f"{key}__min", f"{key}__max"] if kind == "range" else [key]
            rows.append(
                {"fact": fact, "kind": kind, "label": _fact_label(fact), "fields": [self[n] for n in names]}
            )
        return rows

    def amount_boxes(self):
        return [self[name] for _place, name, _label in self.amounts] + (
            [self["cap"]] if "cap" in self.fields else []
        )

    def field_of_place(self, place: str) -> str | None:
        return next((name for p, name, _label in self.amounts if p == place), None)

    # --- what the form means ----------------------------------------------------------------

    def eligibility(self) -> dict | None:
        """The condition the boxes (or, in the advanced mode, the data) say, checked; None with an
        error on the form."""
        data = self.cleaned_data
        if not data.get("advanced"):
            return self._composed()
        try:
            cond = json.loads(data.get("raw_eligibility") or "")
        except ValueError:
            self.add_error(
                "raw_eligibility", _("The condition as data is not valid JSON; check brackets and quotes.")
            )
            return None
        path = str(_("Who qualifies"))
        try:
            conditions.validate(cond, path=path)
        except ValidationError as exc:
            self.add_error("raw_eligibility", exc.messages)
            return None
        wrong = sorted(
            n for n in conditions.facts_used(cond) if conditions.FACTS[n].subject != self.scheme.beneficiary
        )
        if wrong:
            self.add_error(
                "raw_eligibility",
                _("%(path)s: %(facts)s are not facts about this scheme's beneficiaries.")
                % {"path": path, "facts": "、".join(str(conditions.FACTS[n].label) for n in wrong)},
            )
            return None
        return cond

    def _composed(self) -> dict | None:
        groups: dict[str, dict] = {"all": {}, "any": {}}
        for group in structured.GROUPS:
            # The condition's own order first, so an unchanged condition is written back unchanged.
            first = list((self.groups or {}).get(group) or {})
            for fact in sorted(
                self.facts, key=lambda f: first.index(f.name) if f.name in first else len(first)
            ):
                spec = self._spec(group, fact)
                if spec:
                    groups[group][fact.name] = spec
        cond = structured.compose(groups)
        if cond is None:
            self.add_error(None, _("Who qualifies: set at least one condition."))
        return cond

    def _spec(self, group: str, fact) -> dict:
        data = self.cleaned_data
        kind = structured.editor_kind(fact)
        key = f"{group}__{fact.name}"
        if kind == "range":
            low, high = data.get(f"{key}__min"), data.get(f"{key}__max")
            if low is not None and high is not None and low > high:
                self.add_error(f"{key}__max", _("The upper bound is below the lower bound."))
            return {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        if kind == "pick":
            values = data.get(key) or []
            if fact.kind == "int":
                values = [int(v) for v in values]
            return {"in": values} if values else {}
        if kind == "region":
            code = data.get(key) or ""
            region = Region.objects.filter(code=code).first() if code else None
            if code and region is None:
                self.add_error(key, _("Pick a region from the lists."))
            return {"under": region.prefix} if region else {}
        if kind == "bool":
            value = data.get(key)
            return {"eq": value == "yes"} if value else {}
        return {}

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

    def apply_errors(self, exc: ValidationError) -> None:
        """Put the service's messages on the boxes they are about."""
        for name, messages in exc.message_dict.items():
            if name.startswith("amount_rule."):
                target = self.field_of_place(name.split(".", 1)[1])
            elif name == "eligibility":
                target = "raw_eligibility" if self.cleaned_data.get("advanced") else None
            elif name == "amount_rule":
                target = None
            else:
                target = name if name in self.fields else None
            self.add_error(target, messages)


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
