from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.choices import Role
from regions.models import StaffProfile

from . import rules
from .choices import Reason
from .instrument import INDICATORS, ITEMS


def item_field_name(code: str) -> str:
    return "item_" + code.replace(".", "_")


class AssessmentForm(forms.Form):
    """The assessor's form: every item as a choice with its anchor text."""

    assessed_on = forms.DateField(
        label=_("assessed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.ChoiceField(label=_("reason"), choices=Reason.choices)
    second_assessor = forms.ModelChoiceField(
        label=_("second assessor"), queryset=get_user_model().objects.none(), required=False
    )
    agency = forms.CharField(label=_("assessment agency"), max_length=100, required=False)
    coma = forms.BooleanField(label=_("coma"), required=False)
    dementia = forms.BooleanField(label=_("diagnosed dementia (F00-F03)"), required=False)
    psychiatric = forms.BooleanField(label=_("other psychiatric diagnosis (F04-F99)"), required=False)

    def __init__(self, *args, user, elder, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_on", timezone.localdate())
        for item in ITEMS:
            self.fields[item_field_name(item.code)] = forms.TypedChoiceField(
                label=f"{item.code} {item.name}",
                choices=[(score, f"{score} — {text}") for score, text in enumerate(item.anchors)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        for kind in rules.RISK_EVENT_KINDS:
            self.fields[f"risk_{kind}"] = forms.IntegerField(
                label=RISK_LABELS[kind], min_value=0, max_value=99, required=False, initial=0
            )
        colleagues = (
            StaffProfile.objects.filter(role=Role.ASSESSOR)
            .exclude(certificate_number="")
            .exclude(user=user)
            .select_related("region", "user")
        )
        self.fields["second_assessor"].queryset = get_user_model().objects.filter(
            pk__in=[p.user_id for p in colleagues if elder.residence_id.startswith(p.region.prefix)]
        )
        self.fields["second_assessor"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def sections(self):
        """The four indicators with their item fields and how many of them have a score (the
        section navigator's counts as the page is served; static/js/assessment.js keeps them
        current as the assessor taps)."""
        out = []
        for ind in INDICATORS:
            fields = [self[item_field_name(i.code)] for i in ITEMS if i.indicator == ind.code]
            out.append(
                {
                    "indicator": ind,
                    "fields": fields,
                    "anchor": "part-" + ind.code.replace(".", ""),
                    "answered": sum(1 for f in fields if f.value() not in (None, "")),
                }
            )
        return out

    def items(self) -> dict[str, int]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            i.code: data[item_field_name(i.code)]
            for i in ITEMS
            if data.get(item_field_name(i.code)) is not None
        }

    def risk_events(self) -> dict[str, int]:
        data = self.cleaned_data
        return {kind: data[f"risk_{kind}"] for kind in rules.RISK_EVENT_KINDS if data.get(f"risk_{kind}")}


RISK_LABELS = {
    "fall": _("falls"),
    "choking": _("choking"),
    "self_harm": _("suicide or self-harm"),
    "wandering": _("wandering off"),
    "other": _("other care-risk events"),
}


class RequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=Reason.choices, initial=Reason.FIRST)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
