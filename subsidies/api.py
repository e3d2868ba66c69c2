from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audit.api import PersonalDataAuditMixin
from audit.choices import AccessAction
from audit.services import record_access
from core.api import ScopedAPIMixin, ScopedAPIView, ScopedReadOnlyViewSet
from elders.filters import ElderFilterSet
from elders.models import Elder
from facilities.models import Facility
from regions.models import Region
from regions.scope import sees_personal_data
from services.models import Caregiver

from . import disbursement, services
from .choices import Beneficiary, Decision
from .models import (
    Application,
    ApplicationDocument,
    DisbursementBatch,
    Entitlement,
    Payment,
    ReviewStep,
    Scheme,
    Suspension,
)
from .rules import mask_account
from .selectors import applicable_subjects, eligibility_for


class EligibilityRowSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    name = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    frequency = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    excluded_by = serializers.CharField(allow_null=True)
    application_needed = serializers.BooleanField()


class EligibilityView(ScopedAPIView):
    """GET /api/v1/elders/{id}/eligibility/: every active scheme of the elder's region."""

    def get_queryset(self):
        return Elder.objects.select_related("residence")

    @extend_schema(responses=EligibilityRowSerializer(many=True))
    def get(self, request, pk: int):
        elder = get_object_or_404(self.get_queryset(), pk=pk)
        rows = eligibility_for(elder, timezone.localdate())
        return Response(EligibilityRowSerializer(rows, many=True).data)


# --- applications and entitlements ------------------------------------------------------------


class ReviewStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewStep
        fields = ["level", "reviewer", "decision", "comment", "decided_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    """One of `elder`, `facility`, `caregiver` (the scheme's beneficiary kind); `claimed_cost` (yuan,
    two decimals) when the scheme pays a share of a cost."""

    elder = serializers.PrimaryKeyRelatedField(queryset=Elder.objects.all(), required=False)
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.none(), required=False)
    caregiver = serializers.PrimaryKeyRelatedField(queryset=Caregiver.objects.none(), required=False)
    claimed_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=Decimal("0.01")
    )
    scheme = serializers.SlugRelatedField(slug_field="code", queryset=Scheme.objects.filter(active=True))
    steps = ReviewStepSerializer(many=True, read_only=True)
    payee_name = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    payee_account = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        default="",
        help_text="The bank account a cash subsidy is paid into (digits; spaces allowed). Masked to its "
        "last four digits for roles without personal-data rights.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "elder",
            "facility",
            "caregiver",
            "claimed_cost",
            "scheme",
            "status",
            "level",
            "submitted_by",
            "submitted_at",
            "notice_until",
            "payee_name",
            "payee_account",
            "steps",
        ]
        read_only_fields = ["status", "level", "submitted_by", "submitted_at", "notice_until"]
        validators = []

    # Beyond the region: the provider an account works for may apply for its own facilities.
    unscoped_choices = ("facility", "caregiver")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["facility"].queryset = applicable_subjects(request.user, "facility")
            self.fields["caregiver"].queryset = applicable_subjects(request.user, "caregiver")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_personal_data(request.user):
            data["payee_account"] = mask_account(data.get("payee_account") or "")
        return data

    def create(self, validated):
        return services.submit_application(acting_user=self.context["request"].user, **validated)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ResubmitSerializer(serializers.Serializer):
    """No body: a returned application goes back to its first review level."""


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="id_proof, hukou, assessment_report, dibao_certificate, ...")
    file = serializers.FileField(write_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "file",
            "original_name",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]

    def get_download(self, obj) -> str:
        return f"/api/v1/subsidy-applications/{obj.application_id}/documents/{obj.pk}/"


class ApplicationViewSet(
    PersonalDataAuditMixin,
    ScopedAPIMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Subsidy applications: submitted by the community, reviewed level by level."""

    audit_what = _("subsidy applications")
    queryset = Application.objects.select_related("scheme").prefetch_related("steps")
    serializer_class = ApplicationSerializer
    filterset_fields = ["status", "level", "elder", "facility", "caregiver"]
    action_permissions = {
        # Elders' applications need add_application; a facility's or caregiver's are made by the
        # operator's account or city/district staff: the service checks which applies.
        "create": [],
        "review": ["subsidies.change_application"],
        "resubmit": ["subsidies.add_application"],
        # Reading needs the view permission; the upload service also checks add_application.
        "documents": ["subsidies.view_application"],
        "document": ["subsidies.view_application"],
    }

    def _run(self, fn, **kwargs):
        application = fn(acting_user=self.request.user, application=self.get_object(), **kwargs)
        return Response(ApplicationSerializer(application, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request, pk=None):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._run(services.review_application, **body.validated_data)

    @action(detail=True, methods=["post"], serializer_class=ResubmitSerializer)
    def resubmit(self, request, pk=None):
        return self._run(services.resubmit_application)

    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ApplicationDocumentSerializer,
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        """GET: the application's documents. POST (multipart: kind, file): attach one."""
        application = self.get_object()
        if request.method == "GET":
            rows = application.documents.all()
            return Response(ApplicationDocumentSerializer(rows, many=True).data)
        body = ApplicationDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.add_application_document(
            acting_user=request.user, application=application, **body.validated_data
        )
        return Response(ApplicationDocumentSerializer(document).data, status=201)

    @extend_schema(operation_id="v1_subsidy_applications_document_download", responses={200: bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)")
    def document(self, request, pk=None, document_id=None):
        """The file itself (scoped like its application)."""
        from django.http import FileResponse

        document = get_object_or_404(self.get_object().documents, pk=document_id)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)


class SuspensionSerializer(serializers.ModelSerializer):
    # Codes of SuspensionReason (condition, condition_ended, stopped), read-only.
    reason = serializers.CharField(read_only=True)
    end_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Suspension
        fields = [
            "from_period",
            "to_period",
            "started_on",
            "reason",
            "started_by",
            "ended_on",
            "end_reason",
            "ended_by",
        ]


class EntitlementSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.code")
    suspensions = SuspensionSerializer(many=True, read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "elder",
            "facility",
            "caregiver",
            "scheme",
            "status",
            "stopped_on",
            "stop_reason",
            "first_period",
            "last_period",
            "amount",
            "payee_name",
            "suspensions",
        ]


class EntitlementViewSet(PersonalDataAuditMixin, ScopedReadOnlyViewSet):
    audit_what = _("subsidy entitlements")
    queryset = Entitlement.objects.select_related("scheme").prefetch_related("suspensions")
    serializer_class = EntitlementSerializer
    filterset_fields = ["elder", "facility", "caregiver", "status"]


class PaymentSerializer(serializers.ModelSerializer):
    elder = serializers.IntegerField(source="entitlement.elder_id", allow_null=True)
    facility = serializers.IntegerField(source="entitlement.facility_id", allow_null=True)
    caregiver = serializers.IntegerField(source="entitlement.caregiver_id", allow_null=True)
    beneficiary = serializers.CharField(source="entitlement.scheme.beneficiary")
    payee = serializers.SerializerMethodField()
    scheme = serializers.CharField(source="entitlement.scheme.code")

    class Meta:
        model = Payment
        fields = [
            "id",
            "period",
            "elder",
            "facility",
            "caregiver",
            "beneficiary",
            "payee",
            "scheme",
            "amount",
            "status",
            "batch",
        ]

    def get_payee(self, payment) -> str:
        # Whom an approved roll paid (frozen at approval); for a roll not yet approved, whom it would.
        return payment.payee_name_at_approval or payment.entitlement.payee_name


class PaymentFilterSet(filters.FilterSet):
    period = filters.CharFilter()
    elder = filters.NumberFilter(field_name="entitlement__elder_id")
    facility = filters.NumberFilter(field_name="entitlement__facility_id")
    caregiver = filters.NumberFilter(field_name="entitlement__caregiver_id")
    beneficiary = filters.ChoiceFilter(
        field_name="entitlement__scheme__beneficiary", choices=Beneficiary.choices
    )

    class Meta:
        model = Payment
        fields = ["period", "status"]


class PaymentViewSet(PersonalDataAuditMixin, ScopedReadOnlyViewSet):
    """GET /api/v1/payments/?period=YYYY-MM&elder=ID (or facility=ID, caregiver=ID, beneficiary=kind)"""

    audit_what = _("subsidy payments")

    queryset = Payment.objects.select_related("entitlement", "entitlement__scheme")
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet


class BatchSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.code")
    region = serializers.CharField(source="region_id")

    class Meta:
        model = DisbursementBatch
        fields = ["id", "period", "scheme", "region", "status", "created_at", "approved_at", "approved_by"]


class BatchViewSet(ScopedReadOnlyViewSet):
    """Payment rolls: cross-checks and the diff before approval; approval locks; roster for the bank."""

    queryset = DisbursementBatch.objects.select_related("scheme")
    serializer_class = BatchSerializer
    filterset_fields = ["period", "status"]
    # The bank roster carries full ID numbers and accounts: only the roles that approve rolls.
    action_permissions = {
        "approve": ["subsidies.change_disbursementbatch"],
        "roster": ["subsidies.change_disbursementbatch"],
    }

    @action(detail=True, methods=["get"])
    def checks(self, request, pk=None):
        return Response(disbursement.cross_checks(self.get_object()))

    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        return Response(disbursement.diff_against_previous(self.get_object()))

    @action(detail=True, methods=["post"], serializer_class=ResubmitSerializer)
    def approve(self, request, pk=None):
        batch = disbursement.approve_batch(acting_user=request.user, batch=self.get_object())
        return Response(BatchSerializer(batch).data)

    @action(detail=True, methods=["get"])
    def roster(self, request, pk=None):
        from django.http import HttpResponse

        content = disbursement.roster_workbook(acting_user=request.user, batch=self.get_object())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="roster.xlsx"'
        return response


class GapRowSerializer(serializers.Serializer):
    elder = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    residence = serializers.CharField(source="residence_id")
    id_number = serializers.SerializerMethodField()

    def get_id_number(self, obj) -> str:
        from elders.rules import mask_id_number

        return (
            obj.id_number
            if sees_personal_data(self.context["request"].user)
            else mask_id_number(obj.id_number)
        )


class GapView(ScopedAPIView):
    """GET /api/v1/subsidy-gaps/?scheme=CODE&kind=unclaimed|ineligible — 应享未享, or receiving but no
    longer eligible, in the caller's region (ID numbers masked for roles without personal data)."""

    def get_queryset(self):
        return Elder.objects.all()

    @extend_schema(responses=GapRowSerializer(many=True))
    def get(self, request):
        from eldercare.drf import Pagination

        from .selectors import no_longer_eligible, unclaimed

        scheme = get_object_or_404(Scheme, code=request.query_params.get("scheme", ""), active=True)
        kind = request.query_params.get("kind", "unclaimed")
        on = timezone.localdate()
        if kind == "ineligible":
            elders = Elder.objects.filter(pk__in=no_longer_eligible(scheme, on).values("elder_id"))
        else:
            elders = unclaimed(scheme, on)
        rows = self.scope_queryset(elders).order_by("residence_id", "id")
        if request.query_params.get("region"):
            # The dashboard links here for one street or community (within the caller's scope).
            region = get_object_or_404(
                self.scope_queryset(Region.objects.all()), code=request.query_params["region"]
            )
            rows = ElderFilterSet({"region": region.code}, queryset=rows).qs  # as every `?region=`
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        record_access(
            user=request.user,
            action=AccessAction.LIST_READ,
            what=_("subsidy gaps %(scheme)s") % {"scheme": scheme.code},
            rows=len(page),
            unmasked=sees_personal_data(request.user),
            request=request,
        )
        return paginator.get_paginated_response(
            GapRowSerializer(page, many=True, context={"request": request}).data
        )
