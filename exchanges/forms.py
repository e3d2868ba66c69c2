from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Kind


class ReceiveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of list"), choices=Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "市社会救助系统"}),
    )
    period = forms.RegexField(
        label=_("Month of the list"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give the month of the list as YYYY-MM.")},
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2026-11"}),
    )
    file = forms.FileField(
        label=_("File (Excel .xlsx or CSV)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    comment = forms.CharField(max_length=300, required=False)


class LoadForm(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "五马街道台账"}),
    )
    file = forms.FileField(
        label=_("File (Excel .xlsx or CSV)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
