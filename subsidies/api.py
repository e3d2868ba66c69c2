from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from elders.models import Elder
from regions.scope import restrict

from .selectors import eligibility_for


class EligibilityRowSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    name = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    frequency = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    excluded_by = serializers.CharField(allow_null=True)
    application_needed = serializers.BooleanField()


class EligibilityView(APIView):
    """GET /api/v1/elders/{id}/eligibility/: every active scheme of the elder's region."""

    def get_queryset(self):
        return restrict(Elder.objects.select_related("residence"), self.request.user)

    @extend_schema(responses=EligibilityRowSerializer(many=True))
    def get(self, request, pk: int):
        elder = get_object_or_404(self.get_queryset(), pk=pk)
        rows = eligibility_for(elder, timezone.localdate())
        return Response(EligibilityRowSerializer(rows, many=True).data)
