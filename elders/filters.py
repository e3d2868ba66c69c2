"""The elder registry's one filter: the API list and the pages search and narrow alike."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from regions.filters import FilterSet

from . import selectors
from .choices import Category, EconomicStatus, LivingArrangement, Status
from .models import Elder


class ElderFilterSet(FilterSet):
    q = filters.CharFilter(method="search", label=_("name prefix, ID number or phone"))
    status = filters.ChoiceFilter(choices=Status.choices)
    living_arrangement = filters.ChoiceFilter(choices=LivingArrangement.choices)
    economic_status = filters.ChoiceFilter(choices=EconomicStatus.choices)
    category = filters.ChoiceFilter(choices=Category.choices, method="in_category")

    class Meta:
        model = Elder
        fields = ["status", "living_arrangement", "economic_status"]

    def search(self, queryset, name, value):
        return selectors.search(queryset, value)

    def in_category(self, queryset, name, value):
        return queryset.filter(selectors.category_q(value, timezone.localdate()))
