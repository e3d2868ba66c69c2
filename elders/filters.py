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
    """The API's `/api/v1/elders/` filters and the worker's list page ("我的老人") alike."""

    q = filters.CharFilter(method="search", label=_("name prefix, ID number or phone"))
    status = filters.ChoiceFilter(label=_("status"), choices=Status.choices, empty_label=_("All statuses"))
    living_arrangement = filters.ChoiceFilter(
        label=_("living arrangement"),
        choices=LivingArrangement.choices,
        empty_label=_("Any living arrangement"),
    )
    economic_status = filters.ChoiceFilter(
        label=_("economic status"), choices=EconomicStatus.choices, empty_label=_("Any economic status")
    )
    category = filters.ChoiceFilter(
        label=_("category"), choices=Category.choices, method="in_category", empty_label=_("Any category")
    )
    age = filters.ChoiceFilter(
        label=_("age band"),
        choices=[(key, key) for key, _lo, _hi in selectors.AGE_BANDS],
        method="in_age_band",
        empty_label=_("Any age"),
    )

    class Meta:
        model = Elder
        fields = ["status", "living_arrangement", "economic_status"]

    def search(self, queryset, name, value):
        return selectors.search(queryset, value)

    def in_category(self, queryset, name, value):
        return queryset.filter(selectors.category_q(value, timezone.localdate()))

    def in_age_band(self, queryset, name, value):
        _key, low, high = next(band for band in selectors.AGE_BANDS if band[0] == value)
        return queryset.filter(selectors.age_band_q(low, high, timezone.localdate()))


def registry_list(user, params):
    """The registry list of the worker's page (and its export): the filters of `params`, within
    the account's scope; a list asked without a status holds the registered elders."""
    filterset = ElderFilterSet(params or None, queryset=selectors.elders_in_scope(user))
    qs = filterset.qs
    if "status" not in (params or {}):
        qs = qs.filter(status="registered")
    return filterset, qs
