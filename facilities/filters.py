"""The facilities' one filter: the API list and the facility list page narrow alike."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from regions.filters import FilterSet

from .choices import FacilityKind, FacilityStatus, Ownership
from .models import Facility

_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class FacilityFilterSet(FilterSet):
    kind = filters.ChoiceFilter(
        label=_("kind"), choices=FacilityKind.choices, empty_label=_("all kinds"), widget=_SELECT
    )
    ownership = filters.ChoiceFilter(label=_("ownership"), choices=Ownership.choices)
    status = filters.ChoiceFilter(
        label=_("status"), choices=FacilityStatus.choices, empty_label=_("any status"), widget=_SELECT
    )
    star = filters.NumberFilter(label=_("star rating"))

    class Meta:
        model = Facility
        fields = ["kind", "ownership", "status", "star", "region"]
