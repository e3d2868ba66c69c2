from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import restrict
from regions.models import Region

from .choices import Status
from .models import Elder, ElderContact
from .services import EDITABLE_FIELDS


class BootstrapErrorsMixin:
    """Mark fields that have errors so Bootstrap shows them next to the field."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    widget.attrs["class"] = f"{classes} is-invalid".strip()


class ElderForm(BootstrapErrorsMixin, forms.ModelForm):
    """Register or edit a file. Saving goes through elders.services, never form.save()."""

    hukou_code = forms.CharField(
        label=_("household registration (hukou) region code"),
        required=False,
        max_length=12,
        help_text=_("12-digit division code; leave empty if unknown."),
    )

    class Meta:
        model = Elder
        fields = [f for f in EDITABLE_FIELDS if f != "hukou_region"]
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The registration date defaults to today, as the API's does.
        self.fields["registered_on"].required = False
        if not self.instance.pk:
            self.initial.setdefault("registered_on", timezone.localdate())
        villages = restrict(Region.objects.filter(level="village"), user).order_by("code")
        self.fields["residence"].queryset = villages
        self.fields["residence"].label_from_instance = lambda r: f"{r.name} ({r.code})"
        if not self.instance.pk:
            only = list(villages[:2])
            if len(only) == 1:
                self.initial.setdefault("residence", only[0].pk)
        elif self.instance.hukou_region_id:
            self.initial["hukou_code"] = self.instance.hukou_region_id
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)

    def clean_hukou_code(self) -> Region | None:
        code = self.cleaned_data["hukou_code"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region has the code %(code)s.") % {"code": code})
        return region

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self._meta.fields if f in self.cleaned_data}
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        data["hukou_region"] = self.cleaned_data.get("hukou_code")
        return data


class StatusForm(BootstrapErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class ContactForm(BootstrapErrorsMixin, forms.ModelForm):
    class Meta:
        model = ElderContact
        fields = ["name", "relation", "phone", "is_guardian", "notes"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


class ImportForm(BootstrapErrorsMixin, forms.Form):
    """The registry workbook to import (the template's columns, or an export of the registry)."""

    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label=_("Registry workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Send an Excel workbook (.xlsx)."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it into several files."))
        return upload
