from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import PersonalDataAuditMixin
from core.api import ScopedAPIMixin
from eldercare.idempotency import IdempotentCreateMixin
from elders.models import Elder

from . import rules, services
from .choices import AssessmentStatus, Reason
from .models import Assessment


class ConditionsSerializer(serializers.Serializer):
    coma = serializers.BooleanField(default=False)
    dementia = serializers.BooleanField(default=False)
    psychiatric = serializers.BooleanField(default=False)
    risk_events_30d = serializers.JSONField(
        default=0, help_text=_("A count, or counts by kind (fall, choking, self_harm, wandering, other).")
    )

    def validate_risk_events_30d(self, value):
        if isinstance(value, bool):
            raise serializers.ValidationError(_("Give a number of events."))
        if isinstance(value, int):
            if value < 0:
                raise serializers.ValidationError(_("Give a number of events."))
            return {"other": value} if value else {}
        if isinstance(value, dict):
            return value
        raise serializers.ValidationError(_("Give a number of events."))


class AssessmentSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    reason = serializers.ChoiceField(choices=Reason.choices)
    items = serializers.DictField(
        child=serializers.JSONField(), help_text=_("Scores keyed by item code, B.1.1 to B.4.5.")
    )
    conditions = ConditionsSerializer(required=False, write_only=True)
    assessors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.filter(is_active=True)
    )
    # Co-assessors may work at another level of the same city; the service checks who may sign.
    unscoped_choices = ("assessors",)
    grade_label = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "elder",
            "assessed_on",
            "reason",
            "agency",
            "items",
            "conditions",
            "coma",
            "dementia",
            "psychiatric",
            "risk_events",
            "assessors",
            "status",
            "subtotals",
            "total_score",
            "preliminary_grade",
            "grade",
            "grade_label",
            "adjustments",
            "valid_until",
            "created_by",
            "confirmed_by",
            "confirmed_at",
        ]
        read_only_fields = [
            "coma",
            "dementia",
            "psychiatric",
            "risk_events",
            "status",
            "subtotals",
            "total_score",
            "preliminary_grade",
            "grade",
            "adjustments",
            "valid_until",
            "created_by",
            "confirmed_by",
            "confirmed_at",
        ]

    def get_grade_label(self, obj) -> str:
        return rules.grade_label(obj.grade)

    def validate(self, attrs):
        conditions = attrs.get("conditions") or {}
        errors = rules.item_errors(attrs.get("items", {}), require_all=not conditions.get("coma", False))
        if errors:
            raise serializers.ValidationError({"items": errors})
        return attrs

    def create(self, validated):
        conditions = validated.pop("conditions", {}) or {}
        return services.create_assessment(
            acting_user=self.context["request"].user,
            elder=validated["elder"],
            assessed_on=validated["assessed_on"],
            reason=validated["reason"],
            items=validated["items"],
            assessors=validated["assessors"],
            coma=conditions.get("coma", False),
            dementia=conditions.get("dementia", False),
            psychiatric=conditions.get("psychiatric", False),
            risk_events=conditions.get("risk_events_30d") or {},
            agency=validated.get("agency", ""),
        )


class AssessmentFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["elder", "status", "grade"]


class AssessmentViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Ability assessments: created submitted with all 26 items, confirmed by a second assessor."""

    audit_what = _("ability assessments")
    queryset = Assessment.objects.select_related("elder").prefetch_related("assessors")
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        assessment = self.get_object()
        assessment = services.confirm_assessment(acting_user=request.user, assessment=assessment)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_200_OK)
