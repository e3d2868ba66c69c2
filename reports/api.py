from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from eldercare.api import ScopedReadOnlyViewSet
from regions.models import Region

from .models import MonthlyStat, Target


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

    queryset = MonthlyStat.objects.all().order_by("period", "region_id", "metric", "-revision")
    serializer_class = MonthlyStatSerializer
    filterset_class = MonthlyStatFilterSet


class TargetSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    latest_value = serializers.SerializerMethodField()
    latest_period = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "region",
            "target_value",
            "deadline",
            "steps",
            "source",
            "units",
            "latest_value",
            "latest_period",
            "status",
        ]

    def _progress(self, obj):
        return self.context["progress"].get(obj.pk, {})

    def get_latest_value(self, obj) -> float | None:
        stat = self._progress(obj).get("stat")
        return float(stat.value) if stat else None

    def get_latest_period(self, obj) -> str | None:
        stat = self._progress(obj).get("stat")
        return stat.period if stat else None

    def get_status(self, obj) -> str:
        return self._progress(obj).get("status", "no_data")


class TargetViewSet(ScopedReadOnlyViewSet):
    """Plan targets of the regions in scope, with progress: met, on_track, at_risk, missed, no_data."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_fields = ["indicator", "region"]

    def get_serializer_context(self):
        from django.utils import timezone

        from .selectors import progress_status

        context = super().get_serializer_context()
        page = getattr(self, "_page_targets", None)
        targets = page if page is not None else list(self.filter_queryset(self.get_queryset()))
        latest: dict[tuple[str, str], MonthlyStat] = {}
        for stat in MonthlyStat.objects.filter(
            is_current=True,
            region_id__in={t.region_id for t in targets},
            metric__in={t.indicator for t in targets},
        ).order_by("region_id", "metric", "-period"):
            latest.setdefault((stat.region_id, stat.metric), stat)
        today = timezone.localdate()
        context["progress"] = {
            t.pk: {
                "stat": latest.get((t.region_id, t.indicator)),
                "status": progress_status(t, latest.get((t.region_id, t.indicator)), today),
            }
            for t in targets
        }
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_targets = page
        return page
