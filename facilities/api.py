"""The facilities API: the registry, residents, the wait-list with positions, family care beds."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import PersonalDataAuditMixin
from core.api import ScopedCreateReadViewSet, ScopedModelViewSet
from eldercare import drf
from elders.models import Elder
from regions.models import Region
from services.models import Provider

from . import selectors, services
from .choices import (
    DischargeReason,
    Equipment,
    Function,
    WaitlistStatus,
)
from .filters import FacilityFilterSet
from .models import Facility, FamilyCareBed, Residency, WaitlistEntry


def fn(**kwargs):
    """Run a service and turn its Django errors into API errors (400 naming the field, 403)."""
    return fn(**kwargs)


class FacilitySerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    operator = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), allow_null=True, required=False
    )
    functions = serializers.ListField(child=serializers.ChoiceField(choices=Function.choices), required=False)
    residents = serializers.IntegerField(read_only=True)
    vacancy = serializers.SerializerMethodField()
    staff = serializers.IntegerField(source="staff_total", read_only=True)
    status_on = drf.DateField(write_only=True, required=False)

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "kind",
            "ownership",
            "status",
            "status_since",
            "status_on",
            "region",
            "beds",
            "nursing_beds",
            "star",
            "operator",
            "address",
            "land_area_mu",
            "floor_area_m2",
            "caregivers",
            "nurses",
            "doctors",
            "social_workers",
            "managers",
            "other_staff",
            "staff",
            "functions",
            "licence_number",
            "residents",
            "vacancy",
        ]
        read_only_fields = ["star", "status_since"]

    def get_vacancy(self, obj) -> int | None:
        residents = getattr(obj, "residents", None)
        return None if residents is None else max(obj.beds - residents, 0)

    def _save(self, instance: Facility, validated: dict) -> Facility:
        status_on = validated.pop("status_on", None)
        for key, value in validated.items():
            setattr(instance, key, value)
        saved = services.save_facility(
            facility=instance,
            acting_user=self.context["request"].user,
            status_on=status_on,
        )
        return selectors.with_occupancy(Facility.objects.filter(pk=saved.pk)).get()

    def create(self, validated):
        return self._save(Facility(), validated)

    def update(self, instance, validated):
        return self._save(instance, validated)


class CheckSerializer(serializers.Serializer):
    metric = serializers.CharField()
    required = serializers.DecimalField(max_digits=12, decimal_places=2)
    actual = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    met = serializers.BooleanField()
    detail = serializers.CharField()


class OfferSerializer(serializers.Serializer):
    skips = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_("Wait-list entry id → reason for passing that applicant over."),
    )


class WaitlistEntrySerializer(serializers.ModelSerializer):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.none())
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    position = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "facility",
            "elder",
            "applied_on",
            "tier",
            "tier_code",
            "tier_reason",
            "status",
            "position",
        ]
        read_only_fields = ["tier", "tier_code", "tier_reason", "status"]
        extra_kwargs = {"applied_on": {"required": False}}

    # A published list rather than region-scoped data: an elder may wait for a bed anywhere.
    unscoped_choices = ("facility",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["facility"].queryset = selectors.public_facilities()

    def create(self, validated):
        entry = services.apply_for_bed(acting_user=self.context["request"].user, **validated)
        return selectors.with_positions(WaitlistEntry.objects.filter(pk=entry.pk)).get()


class FacilityViewSet(ScopedModelViewSet):
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"offer": ["facilities.change_waitlistentry"]}

    def get_queryset(self):
        return selectors.with_occupancy(Facility.objects.order_by("region_id", "name"))

    @extend_schema(responses=CheckSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def standards(self, request, pk=None):
        """Each rule of the city's standards for this facility: required, actual, met."""
        report = selectors.facility_report(self.get_object(), timezone.localdate())
        return Response(CheckSerializer(report.checks, many=True).data)

    @extend_schema(request=OfferSerializer, responses=WaitlistEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=OfferSerializer, filterset_class=None)
    def offer(self, request, pk=None):
        """Offer a free bed to the first eligible applicant; passing someone over needs a reason."""
        body = OfferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        skips = {}
        for key, reason in body.validated_data.get("skips", {}).items():
            if not str(key).isdigit():
                raise exceptions.ValidationError({"skips": _("Keys are wait-list entry ids.")})
            skips[int(key)] = reason
        entry = services.offer_vacancy(acting_user=request.user, facility=self.get_object(), skips=skips)
        entry = selectors.with_positions(WaitlistEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitlistEntrySerializer(entry, context={"request": request}).data)


# --- residencies --------------------------------------------------------------------------------


class ResidencySerializer(serializers.ModelSerializer):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.none())
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    elder_name = serializers.CharField(source="elder.name", read_only=True)

    class Meta:
        model = Residency
        fields = [
            "id",
            "facility",
            "elder",
            "elder_name",
            "bed",
            "admitted_on",
            "discharged_on",
            "discharge_reason",
            "notes",
        ]
        read_only_fields = ["discharged_on", "discharge_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["facility"].queryset = selectors.managed_facilities(request.user)

    def create(self, validated):
        return services.admit(acting_user=self.context["request"].user, **validated)


class DischargeSerializer(serializers.Serializer):
    discharged_on = drf.DateField()
    reason = serializers.ChoiceField(choices=DischargeReason.choices)
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=Residency._meta.get_field("notes").max_length
    )


class ResidencyFilterSet(filters.FilterSet):
    current = filters.BooleanFilter(field_name="discharged_on", lookup_expr="isnull", label=_("current only"))

    class Meta:
        model = Residency
        fields = ["facility", "elder", "current"]


class ResidencyViewSet(PersonalDataAuditMixin, ScopedCreateReadViewSet):
    """Admissions (POST) and discharges (POST …/discharge/) of a facility's residents."""

    audit_what = _("facility residents")

    serializer_class = ResidencySerializer
    filterset_class = ResidencyFilterSet
    action_permissions = {"discharge": ["facilities.change_residency"]}

    def get_queryset(self):
        return Residency.objects.select_related("elder", "facility").order_by("-admitted_on", "-id")

    @extend_schema(request=DischargeSerializer, responses=ResidencySerializer)
    @action(detail=True, methods=["post"], serializer_class=DischargeSerializer, filterset_class=None)
    def discharge(self, request, pk=None):
        body = DischargeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        residency = services.discharge(
            acting_user=request.user,
            residency=self.get_object(),
            on=data["discharged_on"],
            reason=data["reason"],
            notes=data.get("notes", ""),
        )
        return Response(ResidencySerializer(residency, context={"request": request}).data)


# --- the wait-list ---------------------------------------------------------------------------------


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class TierSerializer(ReasonSerializer):
    tier = serializers.CharField(help_text=_("Tier code from the city's pack."))


class WaitlistFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=WaitlistStatus.choices)

    class Meta:
        model = WaitlistEntry
        fields = ["facility", "elder", "status"]


class WaitlistEntryViewSet(PersonalDataAuditMixin, ScopedCreateReadViewSet):
    """Applications for public beds with their `position` (1 = next to be offered) and why (tier, date)."""

    audit_what = _("wait-list applicants")

    serializer_class = WaitlistEntrySerializer
    filterset_class = WaitlistFilterSet
    action_permissions = {
        "tier": ["facilities.change_waitlistentry"],
        "decline": ["facilities.change_waitlistentry"],
        "withdraw": ["facilities.view_waitlistentry"],
    }

    def get_queryset(self):
        return selectors.with_positions(
            WaitlistEntry.objects.order_by("facility_id", "tier", "applied_on", "id")
        )

    def _respond(self, request, entry):
        entry = selectors.with_positions(WaitlistEntry.objects.filter(pk=entry.pk)).get()
        return Response(WaitlistEntrySerializer(entry, context={"request": request}).data)

    @extend_schema(request=TierSerializer, responses=WaitlistEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=TierSerializer, filterset_class=None)
    def tier(self, request, pk=None):
        """Move an applicant to another tier (logged with the reason)."""
        body = TierSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.change_tier(
            acting_user=request.user,
            entry=self.get_object(),
            tier_code=body.validated_data["tier"],
            reason=body.validated_data["reason"],
        )
        return self._respond(request, entry)

    def _with_reason(self, request, service):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = service(
            acting_user=request.user, entry=self.get_object(), reason=body.validated_data["reason"]
        )
        return self._respond(request, entry)

    @extend_schema(request=ReasonSerializer, responses=WaitlistEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer, filterset_class=None)
    def decline(self, request, pk=None):
        """Record that the applicant declined the offered bed (leaves the list)."""
        return self._with_reason(request, services.decline_offer)

    @extend_schema(request=ReasonSerializer, responses=WaitlistEntrySerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer, filterset_class=None)
    def withdraw(self, request, pk=None):
        """Withdraw an application (leaves the list)."""
        return self._with_reason(request, services.withdraw)


# --- family care beds ---------------------------------------------------------------------------------


class FamilyCareBedSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.none())
    equipment = serializers.ListField(
        child=serializers.ChoiceField(choices=Equipment.choices), required=False
    )

    class Meta:
        model = FamilyCareBed
        fields = [
            "id",
            "elder",
            "provider",
            "set_up_on",
            "equipment",
            "service_package",
            "monthly_hours",
            "status",
            "closed_on",
        ]
        read_only_fields = ["status", "closed_on"]

    # Filed providers are a public register: a street may contract one filed elsewhere.
    unscoped_choices = ("provider",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(filing_status="filed")

    def create(self, validated):
        validated.setdefault("equipment", [])
        return services.set_up_family_bed(acting_user=self.context["request"].user, **validated)


class FamilyCareBedViewSet(PersonalDataAuditMixin, ScopedCreateReadViewSet):
    audit_what = _("family care beds")
    serializer_class = FamilyCareBedSerializer
    filterset_fields = ["status", "provider", "elder"]

    def get_queryset(self):
        return FamilyCareBed.objects.order_by("-set_up_on", "-id")
