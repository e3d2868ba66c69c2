"""Boxes for a condition on a form (the structured editor of conditions.structured): each fact of
the subject in the group "every one holds" or "at least one holds", with the condition as data
kept as the fallback for shapes the boxes cannot hold. Forms mix it in; their services validate
the condition again."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.pages import add_errors
from regions.choices import Kind
from regions.models import Region
from regions.rules import pad_code

from . import structured
from .facts import FACTS
from .language import facts_used, validate

# Labels of facts whose choices were registered as bare codes.
EXTRA_LABELS = {"residence_kind": dict(Kind.choices)}


def _choices_of(fact) -> list[tuple[str, str]]:
    labels = {**fact.labels, **EXTRA_LABELS.get(fact.name, {})}
    codes = fact.choices or tuple(labels)
    return [(str(code), str(labels.get(code, code))) for code in codes]


class ConditionBoxes:
    """Mixed into a forms.Form: call setup_condition() in __init__, condition() after is_valid()."""

    # The service's name of the condition the boxes edit (its errors go to the data box when the
    # condition is edited as data, else to the top of the form).
    condition_key = "condition"

    def condition_field(self, name: str) -> str | None:
        if name == self.condition_key:
            return "raw_condition" if self.cleaned_data.get("advanced") else None
        return name

    def apply_errors(self, exc) -> None:
        """Put a service's refusal on these boxes (core.pages.add_errors, the one way)."""
        add_errors(self, exc, self.condition_field)

    def setup_condition(self, cond: dict, *, subject: str, hidden=(), as_data: bool = False) -> None:
        self.subject = subject
        self.facts = [FACTS[n] for n in FACTS if FACTS[n].subject == subject and n not in hidden]
        self.groups = structured.decompose(cond)
        if self.groups is not None and any(
            name in hidden for group in self.groups.values() for name in group
        ):
            self.groups = None  # a fact without boxes: the condition is edited as data
        self.structured = self.groups is not None
        self.as_data = as_data or not self.structured
        initial = self.groups or {"all": {}, "any": {}}
        for group in structured.GROUPS:
            for fact in self.facts:
                self._add_fact_fields(group, fact, initial[group].get(fact.name) or {})
        # Set (hidden) when the condition is edited as data.
        self.fields["advanced"] = forms.BooleanField(required=False, widget=forms.HiddenInput)
        self.fields["raw_condition"] = forms.CharField(
            label=_("The condition as data (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
        )
        self.initial["advanced"] = self.as_data
        self.initial["raw_condition"] = json.dumps(cond, ensure_ascii=False, indent=1) if self.as_data else ""

    def _add_fact_fields(self, group: str, fact, spec: dict) -> None:
        kind = structured.editor_kind(fact)
        key = f"{group}__{fact.name}"
        label = str(fact.label)
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
        """The boxes of one group, fact by fact, for the template (conditions/_boxes.html)."""
        rows = []
        for fact in self.facts:
            kind = structured.editor_kind(fact)
            key = f"{group}__{fact.name}"
            names = [f"{key}__min", f"{key}__max"] if kind == "range" else [key]
            rows.append(
                {"fact": fact, "kind": kind, "label": str(fact.label), "fields": [self[n] for n in names]}
            )
        return rows

    @property
    def all_rows(self):
        return self.fact_rows("all")

    @property
    def any_rows(self):
        return self.fact_rows("any")

    def condition(self, *, path: str) -> dict | None:
        """The condition the boxes (or the data) say, checked; None with an error on the form."""
        data = self.cleaned_data
        if not data.get("advanced"):
            return self._composed(path)
        try:
            cond = json.loads(data.get("raw_condition") or "")
        except ValueError:
            self.add_error(
                "raw_condition", _("The condition as data is not valid JSON; check brackets and quotes.")
            )
            return None
        try:
            validate(cond, path=path)
        except ValidationError as exc:
            self.add_error("raw_condition", exc.messages)
            return None
        wrong = sorted(n for n in facts_used(cond) if FACTS[n].subject != self.subject)
        if wrong:
            self.add_error(
                "raw_condition",
                _("%(path)s: %(facts)s are not facts about these beneficiaries.")
                % {"path": path, "facts": "、".join(str(FACTS[n].label) for n in wrong)},
            )
            return None
        return cond

    def _composed(self, path: str) -> dict | None:
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
            self.add_error(None, _("%(path)s: set at least one condition.") % {"path": path})
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
