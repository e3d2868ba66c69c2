"""Forms of the subsidy worker pages (the services validate again: forms only shape the input)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Decision, DocumentKind


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
