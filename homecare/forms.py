from django import forms
from django.utils.translation import gettext_lazy as _

from services.models import CatalogueItem, Provider

from .choices import CallKind, Channel, ConfirmedBy


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
