from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import PersonalDataAuditMixin
from core.api import SavedByService, ScopedAPIMixin, ScopedAPIView, ScopedModelViewSet, ScopedReadOnlyViewSet
from core.periods import current_period, parse_period, period_bounds
from eldercare import drf
from eldercare.idempotency import IdempotentCreateMixin
from elders.models import Elder
from elders.rules import mask_id_number
from regions.models import Region
from regions.scope import sees_personal_data

from . import selectors, services
from .choices import Problem, VisitMethod, VisitOutcome
from .models import Caregiver, Catalogue, CatalogueItem, FollowUp, Provider, ServiceRecord, Visit


class VisitSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices)
    problems = serializers.ListField(child=serializers.ChoiceField(choices=Problem.choices), required=False)
    follow_up_by = drf.DateField(
        required=False, write_only=True, help_text=_("Follow up problems by this date.")
    )
    follow_up_assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        write_only=True,
        help_text=_("Account that follows the problems up."),
    )
    # The service checks the assignee's region (a street officer may assign a community worker).
    unscoped_choices = ("follow_up_assignee",)

    class Meta:
        model = Visit
        fields = [
            "id",
            "elder",
            "visited_at",
            "follow_up_by",
            "follow_up_assignee",
            "method",
            "outcome",
            "problems",
            "notes",
            "visitor",
            "created_at",
        ]
        read_only_fields = ["visitor", "created_at"]

    def create(self, validated):
        return services.record_visit(acting_user=self.context["request"].user, **validated)


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
            _first, _last, start, end = period_bounds(value)
        except ValueError as exc:
            raise exceptions.ValidationError({"period": str(exc)}) from exc
        return queryset.filter(visited_at__gte=start, visited_at__lt=end)


class VisitViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Caring visits (探访关爱). `due/` lists target-group elders not yet visited in a period."""

    audit_what = _("visits")
    queryset = Visit.objects.select_related("elder")
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet

    @action(detail=False, methods=["get"], serializer_class=DueRowSerializer, filterset_class=None)
    def due(self, request):
        period = request.query_params.get("period") or current_period()
        try:
            parse_period(period)
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


class FollowUpViewSet(PersonalDataAuditMixin, ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    audit_what = _("follow-ups")
    queryset = FollowUp.objects.all()
    serializer_class = FollowUpSerializer
    action_permissions = {"close": ["services.change_followup"]}
    filterset_fields = ["status", "elder", "problem"]

    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closed = services.close_follow_up(
            acting_user=request.user,
            follow_up=self.get_object(),
            resolution=body.validated_data["resolution"],
        )
        return Response(FollowUpSerializer(closed).data)


# --- catalogue, providers, caregivers, service records, entitlements ----------------------------


class CatalogueItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "catalogue",
            "code",
            "category",
            "name",
            "target_group",
            "content",
            "standard",
            "standard_level",
            "standard_unit",
            "department",
            "application_path",
            "legal_basis",
            "retired_on",
        ]


class CatalogueSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True, read_only=True)
    items = CatalogueItemSerializer(many=True, read_only=True)

    class Meta:
        model = Catalogue
        fields = [
            "id",
            "region",
            "title",
            "version",
            "effective_from",
            "effective_to",
            "status",
            "parent",
            "items",
        ]


class CatalogueViewSet(ScopedReadOnlyViewSet):
    """Lists of the user's region and below, the lists above it and the national list."""

    cursor_ordering = None  # a handful of lists, in region order

    serializer_class = CatalogueSerializer
    filterset_fields = ["status", "version"]

    def get_queryset(self):
        return Catalogue.objects.prefetch_related("items")


class CatalogueItemViewSet(ScopedReadOnlyViewSet):
    cursor_ordering = None  # a few hundred items, in code order
    serializer_class = CatalogueItemSerializer
    filterset_fields = ["catalogue", "code", "category"]

    queryset = CatalogueItem.objects.all()


class ProviderSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    blacklisted = serializers.SerializerMethodField()

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "region",
            "filing_status",
            "filing_number",
            "filed_on",
            "address",
            "phone",
            "blacklisted",
        ]

    def get_blacklisted(self, obj) -> bool:
        return getattr(obj, "is_blacklisted", False)

    def validate(self, attrs):
        # A PATCH sends only what changes: check the provider as it will be after the change.
        current = (
            {"credit_code": self.instance.credit_code, "region": self.instance.region}
            if self.instance
            else {}
        )
        merged = {**current, **attrs}
        instance = Provider(**merged)
        instance.clean()
        if "credit_code" in attrs:
            attrs["credit_code"] = instance.credit_code
        return attrs


class ProviderViewSet(SavedByService, ScopedModelViewSet):
    serializer_class = ProviderSerializer
    filterset_fields = ["kind", "filing_status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        from django.db.models import Exists, OuterRef, Q

        from .models import CreditRecord

        today = timezone.localdate()
        black = CreditRecord.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            provider=OuterRef("pk"),
            kind="blacklist",
            starts_on__lte=today,
        )
        return Provider.objects.select_related("region").annotate(is_blacklisted=Exists(black))

    def save_object(self, obj):
        return services.save_provider(acting_user=self.request.user, provider=obj)


class CaregiverSerializer(serializers.ModelSerializer):
    class Meta:
        model = Caregiver
        fields = [
            "id",
            "provider",
            "id_number",
            "name",
            "skill_level",
            "certificate_number",
            "certificate_expires",
            "active",
        ]

    # A caregiver can only be filed with (or moved to) a provider in the user's scope: the base
    # viewset narrows every related field's choices (core.api.scope_choices).

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_personal_data(request.user):
            data["id_number"] = mask_id_number(data["id_number"])
        return data

    def validate(self, attrs):
        if "id_number" not in attrs:
            return attrs  # a PATCH that keeps the ID number keeps a validated one
        probe = Caregiver(id_number=attrs["id_number"])
        probe.clean()
        attrs["id_number"] = probe.id_number
        return attrs


class CaregiverViewSet(PersonalDataAuditMixin, SavedByService, ScopedModelViewSet):
    audit_what = _("caregivers")
    audit_id_numbers = True
    queryset = Caregiver.objects.all()
    serializer_class = CaregiverSerializer
    filterset_fields = ["provider", "skill_level", "active"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def save_object(self, obj):
        return services.save_caregiver(acting_user=self.request.user, caregiver=obj)


class ServiceRecordSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "elder",
            "item",
            "kind",
            "provider",
            "caregiver",
            "started_at",
            "duration_minutes",
            "funding",
            "amount",
            "notes",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators = []  # duplicates are refused by the service with the constraint's message

    def create(self, validated):
        return services.record_service(acting_user=self.context["request"].user, **validated)


class ServiceRecordViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    audit_what = _("service records")
    queryset = ServiceRecord.objects.select_related("elder", "provider")
    serializer_class = ServiceRecordSerializer
    filterset_fields = ["elder", "provider", "kind", "funding"]


class _EntitlementRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    missing = serializers.ListField(child=serializers.CharField(), required=False)


class _CatalogueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.CharField()
    region = serializers.CharField(allow_null=True)


class EntitlementsSerializer(serializers.Serializer):
    elder = serializers.IntegerField()
    catalogue = _CatalogueRefSerializer(allow_null=True)
    qualifies = _EntitlementRowSerializer(many=True)
    nearly = _EntitlementRowSerializer(many=True)


class EntitlementsView(ScopedAPIView):
    """GET /api/v1/elders/{id}/entitlements/: what the elder qualifies for, and nearly."""

    def get_queryset(self):
        return Elder.objects.select_related("residence")

    @extend_schema(responses=EntitlementsSerializer)
    def get(self, request, pk: int):
        from django.shortcuts import get_object_or_404

        elder = get_object_or_404(self.get_queryset(), pk=pk)
        found = selectors.entitlements_for(elder, timezone.localdate())
        catalogue = found["catalogue"]

        def row(entry, key):
            return {
                "code": entry["code"],
                "name": entry["name"],
                "category": entry["category"],
                key: entry[key],
            }

        return Response(
            {
                "elder": elder.pk,
                "catalogue": None
                if catalogue is None
                else {
                    "id": catalogue.pk,
                    "title": catalogue.title,
                    "version": catalogue.version,
                    "region": catalogue.region_id,
                },
                "qualifies": [row(e, "reasons") for e in found["qualifies"]],
                "nearly": [row(e, "missing") for e in found["nearly"]],
            }
        )
