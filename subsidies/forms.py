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


class PayeeForm(forms.Form):
    """Where a cash subsidy is paid (the roll flags a cash payee without an account)."""

    payee_name = forms.CharField(
        label=_("Payee"),
        required=False,
        max_length=50,
        help_text=_("Leave empty when the elder is the payee."),
    )
    payee_account = forms.CharField(
        label=_("Bank account"),
        required=False,
        max_length=40,
        help_text=_("The account the subsidy is paid into (bank card or social security card), digits only."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RollRunForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": _("A period is written YYYY-MM, e.g. 2026-03.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    region = forms.ChoiceField(label=_("Region"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class CheckDecisionForm(forms.Form):
    checks = forms.TypedMultipleChoiceField(label=_("Payees"), coerce=int, choices=())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("acknowledged", _("Checked: pay")), ("excluded", _("Exclude from this roll"))],
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args, check_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].choices = [(pk, pk) for pk in check_ids]


class ApproveRollForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the payees, the amounts and every cross-check of this roll."),
        error_messages={"required": _("Tick the box to confirm you have checked the roll.")},
    )
