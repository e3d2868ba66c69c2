from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from services.choices import ServiceKind
from services.models import CatalogueItem, Provider

from .choices import CallKind, Channel, ConfirmedBy, PriceUnit, StaySource


class StyledForm(forms.Form):
    """Bootstrap's classes on every widget (form-select for choices, form-control otherwise)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class OrderForm(StyledForm):
    item = forms.ModelChoiceField(label=_("Service"), queryset=CatalogueItem.objects.none())
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    wanted_at = forms.DateTimeField(
        label=_("Wanted at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Ordered by"), choices=Channel.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=None, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else CatalogueItem.objects.none()
        self.fields["provider"].queryset = providers if providers is not None else Provider.objects.none()


class CallForm(StyledForm):
    elder = forms.IntegerField(label=_("Elder (file number)"))
    time = forms.DateTimeField(
        label=_("Time of the call"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CallKind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(StyledForm):
    pin = forms.CharField(
        label=_("Confirmation PIN"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    by = forms.ChoiceField(label=_("Confirmed by"), choices=ConfirmedBy.choices)


class StayForm(StyledForm):
    hospital = forms.CharField(label=_("Hospital"), max_length=100)
    admitted_on = forms.DateField(label=_("Admitted on"), widget=forms.DateInput(attrs={"type": "date"}))
    discharged_on = forms.DateField(
        label=_("Discharged on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(label=_("Source"), choices=StaySource.choices, initial=StaySource.FAMILY)
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)


class DischargeForm(StyledForm):
    discharged_on = forms.DateField(label=_("Discharged on"), widget=forms.DateInput(attrs={"type": "date"}))


class PriceForm(StyledForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Empty: the price for every provider of the region."),
    )
    item = forms.ModelChoiceField(label=_("Service"), queryset=CatalogueItem.objects.none())
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    unit = forms.ChoiceField(label=_("Priced"), choices=PriceUnit.choices)
    price = forms.DecimalField(label=_("Price (yuan)"), max_digits=10, decimal_places=2, min_value=0)
    min_minutes = forms.IntegerField(label=_("Shortest service (minutes)"), min_value=1)
    max_minutes = forms.IntegerField(label=_("Longest service (minutes)"), min_value=1)
    requires_certificate = forms.BooleanField(label=_("Needs a certified caregiver"), required=False)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=None, providers=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else CatalogueItem.objects.none()
        self.fields["provider"].queryset = providers if providers is not None else Provider.objects.none()
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()
        self.fields["requires_certificate"].widget.attrs["class"] = "form-check-input"
