from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from core.api import ScopedReadOnlyViewSet
from regions.models import Region

from .models import MonthlyStat


class MonthlyStatSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)

    class Meta:
        model = MonthlyStat
        fields = ["period", "region", "metric", "numerator", "denominator", "value", "revision", "is_current"]


class MonthlyStatFilterSet(filters.FilterSet):
    period = filters.CharFilter()
    region = filters.CharFilter(
        method="in_region", label=_("region code (exact; add * for every region under it)")
    )
    metric = filters.CharFilter()
    include_revisions = filters.BooleanFilter(method="revisions", label=_("also list earlier revisions"))

    class Meta:
        model = MonthlyStat
        fields = ["period", "metric"]

    def in_region(self, queryset, name, value):
        if value.endswith("*"):
            code = value[:-1].ljust(12, "0")
            region = Region.objects.filter(code=code).first()
            return queryset.filter(region__code__startswith=region.prefix if region else value[:-1])
        return queryset.filter(region_id=value)

    def revisions(self, queryset, name, value):
        return queryset  # applied in filter_queryset: current rows only unless asked

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_revisions"):
            queryset = queryset.filter(is_current=True)
        return queryset


class MonthlyStatViewSet(ScopedReadOnlyViewSet):
    """Stored monthly figures: one current row per period, region and metric."""

    cursor_ordering = "pk"  # in the order they were computed: a sync reads on from where it stopped

    queryset = MonthlyStat.objects.all().order_by("period", "region_id", "metric", "-revision")
    serializer_class = MonthlyStatSerializer
    filterset_class = MonthlyStatFilterSet
