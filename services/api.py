from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eldercare.api import ScopedViewSetMixin
from eldercare.errors import as_drf_error
from elders.models import Elder
from regions.scope import restrict

from . import rules, selectors, services
from .choices import Problem, VisitMethod, VisitOutcome
from .models import FollowUp, Visit


class VisitSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.none())
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices)
    problems = serializers.ListField(child=serializers.ChoiceField(choices=Problem.choices), required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "elder",
            "visited_at",
            "method",
            "outcome",
            "problems",
            "notes",
            "visitor",
            "created_at",
        ]
        read_only_fields = ["visitor", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["elder"].queryset = restrict(Elder.objects.all(), request.user)

    def create(self, validated):
        try:
            return services.record_visit(acting_user=self.context["request"].user, **validated)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc


class DueRowSerializer(serializers.Serializer):
    elder = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    community = serializers.CharField(source="residence.name")
    residence = serializers.CharField(source="residence_id")
    last_visit_at = serializers.DateTimeField(allow_null=True)
    risks = serializers.SerializerMethodField()

    def get_risks(self, obj) -> list[str]:
        return selectors.risk_marks(obj)


class VisitFilterSet(filters.FilterSet):
    period = filters.CharFilter(method="in_period", label=_("period (YYYY-MM)"))

    class Meta:
        model = Visit
        fields = ["elder", "method", "outcome"]

    def in_period(self, queryset, name, value):
        try:
            _first, _last, start, end = selectors.period_bounds(value)
        except ValueError as exc:
            raise exceptions.ValidationError({"period": str(exc)}) from exc
        return queryset.filter(visited_at__gte=start, visited_at__lt=end)


class VisitViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Caring visits (探访关爱). `due/` lists target-group elders not yet visited in a period."""

    queryset = Visit.objects.select_related("elder")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet

    @action(detail=False, methods=["get"], serializer_class=DueRowSerializer, filterset_class=None)
    def due(self, request):
        period = request.query_params.get("period") or selectors.current_period()
        try:
            rules.parse_period(period)
        except ValueError as exc:
            raise exceptions.ValidationError({"period": str(exc)}) from exc
        page = self.paginate_queryset(selectors.due_list(request.user, period))
        return self.get_paginated_response(DueRowSerializer(page, many=True).data)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "visit",
            "elder",
            "problem",
            "assigned_to",
            "due_on",
            "status",
            "resolution",
            "closed_at",
        ]
        read_only_fields = fields


class CloseSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class FollowUpViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FollowUp.objects.all()
    serializer_class = FollowUpSerializer
    filterset_fields = ["status", "elder", "problem"]

    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            closed = services.close_follow_up(
                acting_user=request.user,
                follow_up=self.get_object(),
                resolution=body.validated_data["resolution"],
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(FollowUpSerializer(closed).data)
