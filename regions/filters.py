"""`?region=` means one thing everywhere: the rows under that division.

The value is a division code (12 digits, "330302000000") or its leading digits of any length
("3303", "330302"): a row is included when the region it belongs to — by the paths its model
declares with `@scoped`, the same paths that decide who may see it — lies under that code. The
asking account's scope still applies first, so a region outside it gives an empty list, never a
row the account could not see otherwise.

`FilterBackend` (REST_FRAMEWORK's filter backend) adds the filter to every API list of a model
declared with region paths, whether the view names a FilterSet, only `filterset_fields` or
nothing; list pages use the same FilterSets (each app's `filters.py`), so the API and the pages
filter alike.
"""

from __future__ import annotations

import functools

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from core.scope import declaration, is_declared, under

from .rules import significant_prefix


class RegionCodeField(forms.RegexField):
    default_error_messages = {
        "invalid": _("Give a division code or its leading digits (1 to 12 digits)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("regex", r"^\d{1,12}$")
        super().__init__(**kwargs)


class RegionFilter(filters.CharFilter):
    """Everything under a division code or code prefix (see the module's docstring)."""

    field_class = RegionCodeField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("region: a division code or its leading digits (everything under it)"))
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value):
        if value in EMPTY_VALUES:
            return qs
        return under(qs, significant_prefix(value.strip()))


class FilterSet(filters.FilterSet):
    """The base of every FilterSet of a model with a region: `region` as everywhere."""

    region = RegionFilter()


def has_region(model) -> bool:
    return is_declared(model) and bool(declaration(model).regions)


@functools.cache
def with_region(filterset_class: type[filters.FilterSet] | None, model) -> type[filters.FilterSet]:
    """The view's FilterSet with the one region filter (a FilterSet of the model when it has none)."""
    if filterset_class is None:
        meta = type("Meta", (), {"model": model, "fields": []})
        return type(f"{model.__name__}FilterSet", (FilterSet,), {"Meta": meta})
    return type(filterset_class.__name__, (filterset_class,), {"region": RegionFilter()})


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, with `region` on every list of a model that has a region."""

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        model = getattr(queryset, "model", None)
        if model is None or not has_region(model):
            return filterset_class
        if filterset_class is not None:
            if isinstance(filterset_class.base_filters.get("region"), RegionFilter):
                return filterset_class
            model = filterset_class._meta.model or model
        return with_region(filterset_class, model)
