from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from core.api import ScopedReadOnlyViewSet

from .choices import Level
from .models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "kind"]


class RegionFilterSet(filters.FilterSet):
    level = filters.ChoiceFilter(choices=Level.choices)
    parent = filters.CharFilter(field_name="parent_id", label=_("parent code"))
    q = filters.CharFilter(method="search", label=_("name or code prefix"))

    class Meta:
        model = Region
        fields = ["level", "parent"]

    def search(self, queryset, name, value):
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(name__contains=value)


class RegionViewSet(ScopedReadOnlyViewSet):
    """Every division in the caller's scope, all levels, as a flat list."""

    cursor_ordering = "pk"  # by code, as the statistics office lists them

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
