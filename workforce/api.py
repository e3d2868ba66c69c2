"""API of the workforce records: training sessions and elder-care advisers (list, create, leave)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedReadOnlyViewSet
from facilities.models import Facility
from regions.models import Region
from services.models import Caregiver

from . import services
from .models import Adviser, TrainingSession


def fn(**kwargs):
    return fn(**kwargs)


class TrainingSessionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    caregivers = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Caregiver.objects.all()
    )
    facilities = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Facility.objects.all()
    )

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "region",
            "title",
            "audience",
            "organiser",
            "starts_on",
            "ends_on",
            "person_times",
            "households",
            "caregivers",
            "facilities",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]


class TrainingSessionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Training sessions in scope; POST records one (through the service)."""

    queryset = TrainingSession.objects.select_related("region").prefetch_related("caregivers", "facilities")
    serializer_class = TrainingSessionSerializer
    filterset_fields = ["audience", "region"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_training(
            acting_user=self.request.user,
            **{name: data.get(name) for name in services.TRAINING_FIELDS},
        )


class AdviserSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())

    class Meta:
        model = Adviser
        fields = ["id", "name", "region", "appointed_on", "ended_on"]
        read_only_fields = ["ended_on"]


class LeaveSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class AdviserViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Elder-care advisers in scope; POST appoints one, `leave` records the day one leaves."""

    queryset = Adviser.objects.select_related("region")
    serializer_class = AdviserSerializer
    filterset_fields = ["region"]
    action_permissions = {"leave": ["workforce.change_adviser"]}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.appoint_adviser(
            acting_user=self.request.user,
            region=data["region"],
            name=data["name"],
            appointed_on=data["appointed_on"],
        )

    @extend_schema(request=LeaveSerializer, responses=AdviserSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        body = LeaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        adviser = services.end_adviser(
            acting_user=request.user,
            adviser=self.get_object(),
            ended_on=body.validated_data["ended_on"],
        )
        return Response(AdviserSerializer(adviser).data, status=status.HTTP_200_OK)
