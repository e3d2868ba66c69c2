"""Forms of the staff account pages (the accounts service validates again: forms shape input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .roles import ROLE_LEVELS


class StaffCreateForm(forms.Form):
    """A new account: who, which role, where (picked, never typed) and, for an assessor, the
    certificate. The password is a temporary one the portal draws and shows once."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("A username has letters, digits and @ . + - _ only.")},
        help_text=_("What the person types to sign in, e.g. a work number."),
    )
    full_name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.CharField(
        label=_("Region of responsibility"),
        max_length=12,
        error_messages={"required": _("Pick the region the account is responsible for.")},
    )
    certificate_number = forms.CharField(
        label=_("Assessor certificate number"),
        max_length=50,
        required=False,
        help_text=_("Required for an assessor."),
    )

    @staticmethod
    def role_levels() -> dict[str, list[str]]:
        """Each role's region levels, for the picker's hint."""
        return {str(role): list(levels) for role, levels in ROLE_LEVELS.items()}
