"""Forms of the supervision pages (the services validate again: forms only shape the input)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.choices import FacilityKind

from .choices import CaseActionKind, Publication

MONTHS = [(m, str(m)) for m in range(1, 13)]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    facility_kinds = forms.MultipleChoiceField(
        label=_("Facility kinds"), choices=FacilityKind.choices, widget=forms.CheckboxSelectMultiple
    )
    share_percent = forms.IntegerField(label=_("Share of facilities drawn (%)"), min_value=1, max_value=100)
    months = forms.TypedMultipleChoiceField(
        label=_("Months"), choices=MONTHS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    inspectors_per_team = forms.IntegerField(
        label=_("Inspectors per inspection"), min_value=1, max_value=5, initial=2
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    publication = forms.ChoiceField(
        label=_("Published on the public results page"), choices=Publication.choices, initial=Publication.RESULTS
    )

    def __init__(self, *args, inspectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors
        self.fields["year"].initial = timezone.localdate().year


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was rectified"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    evidence = forms.FileField(label=_("Evidence (PDF, JPG, PNG)"), required=False)


class ReinspectionForm(forms.Form):
    rectified = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Rectified: close the order")), ("0", _("Not rectified: escalate"))],
        coerce=lambda v: v == "1",
    )
    on = forms.DateField(label=_("Re-inspected on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class CaseActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseActionKind.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    counterpart = forms.CharField(label=_("With whom / referred to"), max_length=200)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("Received through"), choices=[])
    subject = forms.ChoiceField(label=_("About"), choices=[])
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, required=False)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None, required=False)
    caregiver = forms.ModelChoiceField(label=_("Caregiver"), queryset=None, required=False)
    complainant = forms.CharField(label=_("Complainant"), max_length=100)
    complainant_phone = forms.CharField(label=_("Complainant's phone"), max_length=20, required=False)
    content = forms.CharField(label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, facilities=None, providers=None, caregivers=None, **kwargs):
        from .choices import Channel, Subject

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (c, label) for c, label in Channel.choices if c in (Channel.WORKER_PAGE, Channel.HOTLINE)
        ]
        self.fields["subject"].choices = [(c, label) for c, label in Subject.choices if c != Subject.SERVICE]
        self.fields["facility"].queryset = facilities
        self.fields["provider"].queryset = providers
        self.fields["caregiver"].queryset = caregivers


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Complainant's satisfaction"), choices=[])

    def __init__(self, *args, **kwargs):
        from .choices import Satisfaction

        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].choices = Satisfaction.choices


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int
    )
    rater = forms.ChoiceField(label=_("Rated by"), choices=[])
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        from .choices import Rater, RatingReason

        super().__init__(*args, **kwargs)
        self.fields["rater"].choices = Rater.choices
        self.fields["reasons"].choices = RatingReason.choices


# --- estates, operator reviews, star ratings -------------------------------------------------------


class EstateForm(forms.Form):
    name = forms.CharField(label=_("Name of the estate"), max_length=200)
    region = forms.ModelChoiceField(label=_("Community"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of estate"), choices=[])
    households = forms.IntegerField(label=_("Households"), min_value=1)
    residents = forms.IntegerField(label=_("Residents"), min_value=1, required=False)
    developer = forms.CharField(label=_("Developer"), max_length=200, required=False)

    def __init__(self, *args, communities=None, **kwargs):
        from facilities.choices import Estate

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = communities
        self.fields["kind"].choices = Estate.choices


class RoomCheckForm(forms.Form):
    year = forms.IntegerField(label=_("Year checked"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("State of the room"), choices=[])
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"), max_digits=9, decimal_places=2, min_value=0, required=False
    )
    facility = forms.ModelChoiceField(label=_("Facility run in the room"), queryset=None, required=False)
    checked_on = forms.DateField(label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)

    def __init__(self, *args, facilities=None, **kwargs):
        from .choices import RoomStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = RoomStatus.choices
        self.fields["facility"].queryset = facilities


class ContractDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Contract decision"), choices=[])
    note = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, **kwargs):
        from .choices import ContractDecision

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = ContractDecision.choices


class StarApplyForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None)
    star = forms.TypedChoiceField(label=_("Stars applied for"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int)
    statement = forms.CharField(
        label=_("Why the facility reaches this level"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class AssignEvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluators"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = evaluators
