"""POST /api/v1/exchanges/ (multipart `kind`, `file`; optional `source`, `period`, `region`), the
exchange log, an exchange's rows, their review and the report after it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import ScopedCreateReadViewSet

from . import selectors, services
from .choices import Decision, Kind, Outcome
from .models import Exchange, Via


class ExchangeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    received_by = serializers.CharField(source="received_by.get_username", read_only=True)

    class Meta:
        model = Exchange
        fields = [
            "id",
            "kind",
            "kind_display",
            "source",
            "period",
            "filename",
            "region",
            "via",
            "received_by",
            "received_at",
            "status",
            "status_display",
            "message",
            "rows",
            "invalid",
            "matched",
            "proposed",
            "accepted",
            "rejected",
        ]
        read_only_fields = fields


class ReceiveSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    file = serializers.FileField()
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    period = serializers.CharField(max_length=7, required=False, allow_blank=True)
    region = serializers.CharField(max_length=12, required=False, allow_blank=True)


ROW_DECISIONS = [("accept", "accept"), ("reject", "reject")]


class RowReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ROW_DECISIONS)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AcceptAllSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


def _default_source(user) -> str:
    from regions.scope import staff_profile

    profile = staff_profile(user)
    if profile is not None and profile.department_id:
        return profile.department.name
    return user.get_full_name() or user.get_username()


class ExchangeViewSet(ScopedCreateReadViewSet):
    queryset = Exchange.objects.select_related("region", "received_by")
    serializer_class = ExchangeSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_permissions = {
        "rows": ["exchanges.view_exchangerow"],
        "report": ["exchanges.view_exchangerow"],
        "review": ["exchanges.change_exchangerow"],
        "accept_all": ["exchanges.change_exchangerow"],
    }

    def get_serializer_class(self):
        if self.action == "create":
            return ReceiveSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        data = ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["file"]
        exchange = services.receive_exchange(
            acting_user=request.user,
            kind=v["kind"],
            content=upload.read(),
            filename=upload.name,
            source=v.get("source") or _default_source(request.user),
            period=v.get("period", ""),
            via=Via.API,
            region_code=v.get("region") or None,
        )
        return Response(ExchangeSerializer(exchange).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """GET …/rows/?outcome=proposed&decision=pending — the rows with their outcome and reason."""
        exchange = self.get_object()
        rows = selectors.rows_in_scope(request.user, exchange)
        outcome = request.query_params.get("outcome")
        if outcome in Outcome.values:
            rows = rows.filter(outcome=outcome)
        decision = request.query_params.get("decision")
        if decision in Decision.values:
            rows = rows.filter(decision=decision)
        page = self.paginate_queryset(rows.order_by("line"))
        return self.get_paginated_response([selectors.row_view(request.user, r) for r in page])

    @action(
        detail=True,
        methods=["post"],
        url_path=r"rows/(?P<row_id>\d+)/review",
        serializer_class=RowReviewSerializer,
    )
    def review(self, request, pk=None, row_id=None):
        exchange = self.get_object()
        row = get_object_or_404(selectors.rows_in_scope(request.user, exchange), pk=row_id)
        data = RowReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = Decision.ACCEPTED if data.validated_data["decision"] == "accept" else Decision.REJECTED
        row = services.review_row(
            acting_user=request.user,
            row=row,
            decision=decision,
            comment=data.validated_data.get("comment", ""),
        )
        return Response(selectors.row_view(request.user, row))

    @action(detail=True, methods=["post"], url_path="accept-all", serializer_class=AcceptAllSerializer)
    def accept_all(self, request, pk=None):
        exchange = self.get_object()
        data = AcceptAllSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.accept_all(
            acting_user=request.user,
            exchange=exchange,
            comment=data.validated_data.get("comment", ""),
        )
        return Response(result)

    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """Who became eligible without an entitlement, who is paid but should no longer be, per street."""
        return Response(selectors.report(request.user, self.get_object()))
