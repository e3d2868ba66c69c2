from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elders.forms import BootstrapErrorsMixin
from policies.grades import LEVELS

from .choices import STANDARD_METRIC_LABELS, DischargeReason, FacilityKind
from .policy import CARE_GROUPS, METRICS


def _date(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class AdmitForm(BootstrapErrorsMixin, forms.Form):
    """Admission: the applicant comes from the wait-list's offer (`entry`) or by ID number; the bed
    is picked from the free beds of the inventory (typed only where there is no inventory)."""

    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    assigned_bed = forms.TypedChoiceField(
        label=_("bed"), coerce=int, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    bed = forms.CharField(
        label=_("bed"), max_length=30, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    admitted_on = _date(_("admitted on"))
    out_of_turn_reason = forms.CharField(
        label=_("why out of turn (when not next on the wait-list)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, free_beds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_bed"].choices = [("", _("choose a free bed"))] + [
            (b.pk, f"{b}{_(' (nursing)') if b.nursing else ''}") for b in free_beds
        ]


class AddBedsForm(BootstrapErrorsMixin, forms.Form):
    room = forms.CharField(
        label=_("room"), max_length=20, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    count = forms.IntegerField(
        label=_("number of beds"),
        min_value=1,
        max_value=50,
        initial=2,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    nursing = forms.BooleanField(label=_("nursing beds"), required=False)


class DischargeForm(BootstrapErrorsMixin, forms.Form):
    discharged_on = _date(_("discharged on"))
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=DischargeReason.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ApplyForm(BootstrapErrorsMixin, forms.Form):
    facility = forms.ModelChoiceField(
        label=_("facility"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    applied_on = _date(_("applied on"))

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class StandardsForm(forms.Form):
    """The construction standards a bureau sets: per facility kind a box per measure (empty: no
    requirement), and the staffing ratio per care group with the kinds it applies to."""

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, kind_label in FacilityKind.choices:
            rules = {r.metric: r.minimum for r in settings.standards.get(kind, ())}
            names = []
            for metric in METRICS:
                name = f"{kind}__{metric}"
                self.fields[name] = forms.DecimalField(
                    label=STANDARD_METRIC_LABELS[metric],
                    required=False,
                    min_value=0,
                    max_digits=10,
                    decimal_places=2,
                    widget=forms.NumberInput(
                        attrs={"class": "form-control", "inputmode": "decimal", "step": "any"}
                    ),
                )
                self.initial[name] = rules.get(metric)
                names.append(name)
            self.kinds.append({"kind": kind, "label": kind_label, "names": names, "set": bool(rules)})
        staffing = settings.staffing
        self.ratio_names = []
        for group in CARE_GROUPS:
            name = f"ratio__{group}"
            self.fields[name] = forms.DecimalField(
                label=_("Residents per caregiver, %(group)s") % {"group": LEVELS[group]},
                required=False,
                max_digits=6,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "inputmode": "decimal", "step": "any"}
                ),
            )
            self.initial[name] = staffing.residents_per_caregiver.get(group) if staffing else None
            self.ratio_names.append(name)
        self.fields["staffing_applies_to"] = forms.MultipleChoiceField(
            label=_("The staffing ratio applies to"),
            choices=FacilityKind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.initial["staffing_applies_to"] = list(staffing.applies_to) if staffing else []

    def standards(self) -> dict:
        data = self.cleaned_data
        return {kind: {m: data.get(f"{kind}__{m}") for m in METRICS} for kind in FacilityKind.values}

    def ratios(self) -> dict:
        return {g: self.cleaned_data.get(f"ratio__{g}") for g in CARE_GROUPS}

    def kind_rows(self):
        return [{**k, "fields": [self[n] for n in k["names"]]} for k in self.kinds]

    def ratio_fields(self):
        return [self[n] for n in self.ratio_names]

