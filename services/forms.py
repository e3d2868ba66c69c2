from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conditions.forms import ConditionBoxes
from elders.forms import BootstrapErrorsMixin

from .choices import ItemCategory, Problem, VisitMethod, VisitOutcome


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


class VisitRuleForm(ConditionBoxes, forms.Form):
    """The visit rule a bureau sets: whom to visit (the condition's boxes), which visits count, the
    monthly target and the days a problem's follow-up is due."""

    condition_key = "target_group"

    counted_methods = forms.MultipleChoiceField(
        label=_("Visits counted: ways of visiting"),
        choices=VisitMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    counted_outcomes = forms.MultipleChoiceField(
        label=_("Visits counted: outcomes"),
        choices=VisitOutcome.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_rate = forms.IntegerField(
        label=_("Monthly visit rate target (percent)"), min_value=1, max_value=100
    )
    follow_up_days = forms.IntegerField(label=_("Days to follow up a problem"), min_value=1, max_value=90)

    def __init__(self, *args, settings, as_data: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the registry's status is kept out of the boxes; 自理/半失能/失能 is a box here (the
        # visits section keeps it unresolved: the grade mapping where the elder lives decides).
        self.setup_condition(settings.target_group, subject="elder", hidden={"status"}, as_data=as_data)
        self.initial.update(
            counted_methods=list(settings.counted_methods),
            counted_outcomes=list(settings.counted_outcomes),
            target_rate=settings.target_rate,
            follow_up_days=settings.follow_up_days,
        )



def _text(label, *, max_length=None, rows=None, required=False):
    widget = (
        forms.Textarea(attrs={"rows": rows, "class": "form-control"})
        if rows
        else forms.TextInput(attrs={"class": "form-control"})
    )
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


class CatalogueItemForm(ConditionBoxes, forms.Form):
    """One item of the basic-service list a bureau edits: who it is for (the condition's boxes),
    what it gives, by which standard, who is responsible and how to apply."""

    condition_key = "target_group"

    # Required by the service, whose message names the field (the form's own would not).
    code = _text(_("Item code"), max_length=20)
    category = forms.ChoiceField(
        label=_("category"), choices=ItemCategory.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = _text(_("Service name"), max_length=200)
    content = _text(_("content"), rows=2)
    standard = _text(_("standard"), rows=2)
    standard_level = forms.DecimalField(
        label=_("standard level"),
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal", "step": "any"}),
    )
    standard_unit = _text(_("unit of the standard level"), max_length=30)
    department = _text(_("responsible department"), max_length=200)
    application_path = _text(_("how to apply"), rows=2)

    TEXTS = ("content", "standard", "standard_unit", "department", "application_path")

    def __init__(self, *args, item: dict | None, as_data: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        item = item or {}
        self.setup_condition(
            item.get("target_group") or {}, subject="elder", hidden={"status"}, as_data=as_data
        )
        if item:
            self.fields["code"].disabled = True  # the code is how the levels' lists match items
        self.initial.update(
            {
                "code": item.get("code", ""),
                "category": item.get("category", ItemCategory.CARE),
                "name": item.get("name", ""),
                "standard_level": item.get("standard_level"),
                **{f: item.get(f, "") for f in self.TEXTS},
            }
        )

    @property
    def item_fields(self):
        return [
            self[n] for n in ("code", "category", "name", "standard_level", "standard_unit", "department")
        ]

    @property
    def text_fields(self):
        return [self[n] for n in ("content", "standard", "application_path")]

    def values(self, target_group: dict | None) -> dict:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "name": data["name"],
            "standard_level": data.get("standard_level"),
            "target_group": target_group,
            **{f: data.get(f, "") for f in self.TEXTS},
        }

