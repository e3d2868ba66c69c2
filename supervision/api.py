"""API of supervision: plans with their draw, inspections with results, rectification orders (read)."""

from rest_framework import serializers

from eldercare.api import ScopedReadOnlyViewSet

from .models import Inspection, InspectionPlan, InspectionResult, RectificationOrder


class InspectionPlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "region",
            "year",
            "title",
            "facility_kinds",
            "share_percent",
            "months",
            "inspectors_per_team",
            "seed",
            "drawn_pool",
            "drawn_at",
        ]


class InspectionPlanViewSet(ScopedReadOnlyViewSet):
    """Plans in scope with the seed and pools of their draw (双随机一公开: anyone may redraw it)."""

    queryset = InspectionPlan.objects.select_related("region")
    serializer_class = InspectionPlanSerializer
    filterset_fields = ["year"]


class ResultSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = InspectionResult
        fields = ["item", "outcome", "note", "has_photo"]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class InspectionSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "facility", "kind", "plan", "month", "status", "inspected_on", "summary", "results"]


class InspectionViewSet(ScopedReadOnlyViewSet):
    queryset = Inspection.objects.prefetch_related("results__item")
    serializer_class = InspectionSerializer
    filterset_fields = ["kind", "status", "plan", "facility"]


class RectificationOrderSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="finding.result.item.code", read_only=True)
    severity = serializers.CharField(source="finding.severity", read_only=True)

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "facility",
            "operator",
            "item",
            "severity",
            "issued_on",
            "deadline",
            "status",
            "overdue_since",
            "answered_at",
            "closed_on",
        ]


class RectificationOrderViewSet(ScopedReadOnlyViewSet):
    queryset = RectificationOrder.objects.select_related("finding__result__item")
    serializer_class = RectificationOrderSerializer
    filterset_fields = ["status", "facility", "operator"]

    def get_queryset(self):
        from regions.choices import Role
        from regions.scope import has_role

        found = super().get_queryset()
        if has_role(self.request.user, Role.PROVIDER_STAFF):
            found = found.filter(operator__staff_accounts__user=self.request.user)
        return found
