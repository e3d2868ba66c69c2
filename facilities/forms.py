from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elders.forms import BootstrapErrorsMixin

from .choices import DischargeReason


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
