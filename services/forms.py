from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elders.forms import BootstrapErrorsMixin

from .choices import Problem, VisitMethod, VisitOutcome


class VisitForm(BootstrapErrorsMixin, forms.Form):
    """A visit in under a minute: method, outcome, problems if any, a note."""

    visited_at = forms.DateTimeField(
        label=_("visited at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control", "data-now": "datetime"},
            format="%Y-%m-%dT%H:%M",
        ),
    )
    method = forms.ChoiceField(
        label=_("method"), choices=VisitMethod.choices, widget=forms.RadioSelect, initial="home"
    )
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect, initial="normal"
    )
    problems = forms.MultipleChoiceField(
        label=_("problems found"),
        choices=Problem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    follow_up_by = forms.DateField(
        label=_("follow up by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("When problems were found; empty: the pack's default."),
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))


class CloseForm(forms.Form):
    resolution = forms.CharField(label=_("what was done"), max_length=500)
