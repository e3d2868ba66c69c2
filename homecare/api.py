"""REST API of home services: orders and their steps, findings, statements, emergency calls."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import PersonalDataAuditMixin
from core.api import ScopedAPIMixin, ScopedCreateReadViewSet
from core.scope import restrict
from elders.models import Elder
from services.models import Caregiver, CatalogueItem, Provider
from services.services import provider_of

from . import calls, services, settlement
from .choices import CallChannel, CallKind, Channel, ConfirmedBy, StaySource
from .models import EmergencyCall, Flag, HospitalStay, Order, Statement, StatementLine


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = [
            "id",
            "order",
            "kind",
            "detail",
            "decision",
            "decision_note",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.none())
    item = serializers.PrimaryKeyRelatedField(queryset=CatalogueItem.objects.all())
    # A provider serves regions above a worker's own (a district's provider, a village's worker): it
    # is looked up among filed providers, not narrowed to the worker's region like the elder.
    provider = serializers.IntegerField(write_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WORKER)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    flags = FlagSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "elder",
            "item",
            "provider",
            "entitlement",
            "wanted_at",
            "address",
            "channel",
            "notes",
            "status",
            "caregiver",
            "dispatched_at",
            "checked_in_at",
            "checkin_distance_m",
            "checked_out_at",
            "minutes",
            "work_done",
            "amount",
            "confirmed_at",
            "confirmed_by",
            "service_record",
            "flags",
        ]
        read_only_fields = [
            "entitlement",
            "status",
            "caregiver",
            "dispatched_at",
            "checked_in_at",
            "checkin_distance_m",
            "checked_out_at",
            "minutes",
            "work_done",
            "amount",
            "confirmed_at",
            "confirmed_by",
            "service_record",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["elder"].queryset = restrict(Elder.objects.all(), request.user)

    def validate_provider(self, value):
        found = Provider.objects.filter(pk=value, filing_status="filed").first()
        if found is None:
            raise serializers.ValidationError(_("No filed provider with this number."))
        return found

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["provider"] = instance.provider_id
        return data

    def create(self, validated):
        return services.create_order(acting_user=self.context["request"].user, **validated)


class DispatchSerializer(serializers.Serializer):
    caregiver = serializers.PrimaryKeyRelatedField(queryset=Caregiver.objects.filter(active=True))


class CheckInOutSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    work_done = serializers.CharField(required=False, allow_blank=True)


class ConfirmSerializer(serializers.Serializer):
    pin = serializers.CharField(max_length=12)
    by = serializers.ChoiceField(choices=ConfirmedBy.choices, default=ConfirmedBy.ELDER)


class OrderViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Service orders: POST creates one; dispatch, check-in, check-out and confirm are its steps."""

    audit_what = _("service orders")
    queryset = Order.objects.select_related("elder", "item", "provider").prefetch_related("flags")
    serializer_class = OrderSerializer
    filterset_fields = ["elder", "provider", "caregiver", "status"]
    action_permissions = {
        "assign": ["homecare.change_order"],
        "check_in": ["homecare.change_order"],
        "check_out": ["homecare.change_order"],
        "confirm": ["homecare.change_order"],
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        own = provider_of(self.request.user)
        # Provider staff see their own provider's orders (within their region, as everyone).
        return queryset.filter(provider=own) if own is not None else queryset

    def _step(self, fn, body_class=None, **extra):
        kwargs = {}
        if body_class is not None:
            body = body_class(data=self.request.data)
            body.is_valid(raise_exception=True)
            kwargs = dict(body.validated_data)
        order = fn(acting_user=self.request.user, order=self.get_object(), **kwargs, **extra)
        return Response(OrderSerializer(order, context=self.get_serializer_context()).data)

    # Not named `dispatch`: that is the view's own request dispatcher.
    @action(detail=True, methods=["post"], url_path="dispatch", serializer_class=DispatchSerializer)
    def assign(self, request, pk=None):
        return self._step(services.dispatch, DispatchSerializer)

    @action(detail=True, methods=["post"], url_path="check-in", serializer_class=CheckInOutSerializer)
    def check_in(self, request, pk=None):
        body = CheckInOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._step(services.check_in, latitude=data.get("latitude"), longitude=data.get("longitude"))

    @action(detail=True, methods=["post"], url_path="check-out", serializer_class=CheckInOutSerializer)
    def check_out(self, request, pk=None):
        body = CheckInOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._step(
            services.check_out,
            work_done=data.get("work_done", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )

    @action(detail=True, methods=["post"], serializer_class=ConfirmSerializer)
    def confirm(self, request, pk=None):
        return self._step(services.confirm, ConfirmSerializer)


class DecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField()


class FlagViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Cross-check findings; the district decides with POST .../decide/."""

    queryset = Flag.objects.select_related("order")
    serializer_class = FlagSerializer
    filterset_fields = ["kind", "decision", "order"]
    action_permissions = {"decide": ["homecare.change_flag"]}

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def decide(self, request, pk=None):
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = services.decide_flag(
            acting_user=request.user, flag=self.get_object(), **body.validated_data
        )
        return Response(FlagSerializer(flag).data)


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatementLine
        fields = [
            "id",
            "order",
            "elder",
            "entitlement",
            "claimed",
            "paid",
            "used",
            "status",
            "late",
            "dispute_reason",
            "disputed_at",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statement
        fields = [
            "id",
            "provider",
            "period",
            "region",
            "status",
            "claimed",
            "payable",
            "created_at",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = fields


class DisputeSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    reason = serializers.CharField()


class StatementViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Monthly statements per provider: lines, approval, a disputed line, the Excel for finance."""

    queryset = Statement.objects.select_related("provider")
    serializer_class = StatementSerializer
    filterset_fields = ["provider", "period", "status"]
    action_permissions = {
        "approve": ["homecare.change_statement"],
        "dispute": ["homecare.view_statement"],
        "lines": ["homecare.view_statementline"],
        "export": ["homecare.view_statement"],
    }

    def get_queryset(self):
        own = provider_of(self.request.user)
        queryset = super().get_queryset()
        return queryset.filter(provider=own) if own is not None else queryset

    @action(detail=True, methods=["get"], serializer_class=LineSerializer)
    def lines(self, request, pk=None):
        statement = self.get_object()
        page = self.paginate_queryset(statement.lines.order_by("id"))
        return self.get_paginated_response(LineSerializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        statement = settlement.approve_statement(acting_user=request.user, statement=self.get_object())
        return Response(StatementSerializer(statement).data)

    @action(detail=True, methods=["post"], serializer_class=DisputeSerializer)
    def dispute(self, request, pk=None):
        body = DisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = self.get_object()
        line = statement.lines.filter(pk=body.validated_data["line"]).first()
        if line is None:
            raise exceptions.ValidationError({"line": [_("No such line on this statement.")]})
        line = settlement.dispute_line(
            acting_user=request.user, line=line, reason=body.validated_data["reason"]
        )
        return Response(LineSerializer(line).data)

    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        statement = self.get_object()
        data = settlement.statement_workbook(acting_user=request.user, statement=statement)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="statement-{statement.provider_id}-{statement.period}.xlsx"'
        )
        return response


class EmergencyCallSerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.none())
    kind = serializers.ChoiceField(choices=CallKind.choices)
    channel = serializers.ChoiceField(choices=CallChannel.choices, default=CallChannel.API)

    class Meta:
        model = EmergencyCall
        fields = [
            "id",
            "elder",
            "time",
            "kind",
            "channel",
            "notes",
            "assigned_region",
            "assigned_provider",
            "deadline",
            "status",
            "responded_at",
            "responder",
            "outcome",
            "escalated_at",
            "escalated_to",
        ]
        read_only_fields = [
            "assigned_region",
            "assigned_provider",
            "deadline",
            "status",
            "responded_at",
            "responder",
            "outcome",
            "escalated_at",
            "escalated_to",
        ]
        validators = []  # a repeated call is refused by the service with a translated message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["elder"].queryset = restrict(Elder.objects.all(), request.user)

    def create(self, validated):
        return calls.take_call(acting_user=self.context["request"].user, **validated)


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class EmergencyCallViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST /api/v1/emergency-calls/ (elder, time, kind) from a call centre or an alarm device."""

    audit_what = _("emergency calls")
    queryset = EmergencyCall.objects.select_related("elder")
    serializer_class = EmergencyCallSerializer
    filterset_fields = ["elder", "status", "kind"]
    action_permissions = {"answer": ["homecare.change_emergencycall"]}

    def get_queryset(self):
        queryset = super().get_queryset()
        own = provider_of(self.request.user)
        return queryset.filter(assigned_provider=own) if own is not None else queryset

    @action(detail=True, methods=["post"], serializer_class=AnswerSerializer)
    def answer(self, request, pk=None):
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call = calls.answer_call(
            acting_user=request.user,
            call=self.get_object(),
            outcome=body.validated_data["outcome"],
        )
        return Response(EmergencyCallSerializer(call, context=self.get_serializer_context()).data)


class HospitalStaySerializer(serializers.ModelSerializer):
    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all())
    # Another system sending a stay is most often the hospital's or medical insurance's.
    source = serializers.ChoiceField(choices=StaySource.choices, default=StaySource.HOSPITAL)

    class Meta:
        model = HospitalStay
        fields = [
            "id",
            "elder",
            "hospital",
            "admitted_on",
            "discharged_on",
            "source",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]

    def create(self, validated):
        return services.record_hospital_stay(acting_user=self.context["request"].user, **validated)


class HospitalDischargeSerializer(serializers.Serializer):
    discharged_on = serializers.DateField()


class HospitalStayViewSet(PersonalDataAuditMixin, ScopedCreateReadViewSet):
    """GET/POST /api/v1/hospital-stays/ (elder, hospital, admitted_on, discharged_on, source);
    POST …/{id}/discharge/ ends an open stay. Services in a stay are flagged and held."""

    audit_what = _("hospital stays")
    queryset = HospitalStay.objects.select_related("elder")
    serializer_class = HospitalStaySerializer
    filterset_fields = ["elder", "source"]
    action_permissions = {"discharge": ["homecare.change_hospitalstay"]}

    @action(detail=True, methods=["post"], serializer_class=HospitalDischargeSerializer)
    def discharge(self, request, pk=None):
        body = HospitalDischargeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stay = services.end_hospital_stay(
            acting_user=request.user,
            stay=self.get_object(),
            discharged_on=body.validated_data["discharged_on"],
        )
        return Response(HospitalStaySerializer(stay, context=self.get_serializer_context()).data)
