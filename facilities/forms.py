from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elders.forms import BootstrapErrorsMixin

from .choices import DischargeReason, FacilityKind, FacilityStatus


def _date(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class AdmitForm(BootstrapErrorsMixin, forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    bed = forms.CharField(
        label=_("bed"), max_length=30, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    admitted_on = _date(_("admitted on"))


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


class FacilityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("all kinds")), *FacilityKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("any status")), *FacilityStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
