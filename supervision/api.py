"""API of supervision: plans with their draw, inspections with results, rectification orders (read)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedCreateReadViewSet, ScopedReadOnlyViewSet
from regions.models import Region

from . import services
from .choices import Channel, ContractDecision, RatingReason, Satisfaction
from .models import (
    Complaint,
    EstateRoomCheck,
    Inspection,
    InspectionPlan,
    InspectionResult,
    OperatorReview,
    RectificationOrder,
    ResidentialEstate,
    ServiceRating,
    StarApplication,
    SupervisionTask,
)


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
            "publication",
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


class ComplaintSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # The phone is taken in but never listed: roles without personal-data rights read this API too.
    complainant_phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=20
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "channel",
            "subject",
            "service_record",
            "provider",
            "caregiver",
            "facility",
            "region",
            "complainant",
            "complainant_phone",
            "content",
            "received_at",
            "deadline",
            "status",
            "overdue_since",
            "reply",
            "replied_at",
            "satisfaction",
            "inspection",
        ]
        read_only_fields = [
            "channel",
            "region",
            "received_at",
            "deadline",
            "status",
            "overdue_since",
            "reply",
            "replied_at",
            "satisfaction",
            "inspection",
        ]


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=4000)


class SatisfactionSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class ComplaintViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Complaints in scope; POST takes one in (channel `api`); `reply` and `satisfaction` handle it."""

    queryset = Complaint.objects.select_related("region")
    serializer_class = ComplaintSerializer
    filterset_fields = ["status", "subject", "provider", "facility"]
    action_permissions = {
        "reply": ["supervision.change_complaint"],
        "satisfaction": ["supervision.change_complaint"],
    }

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.file_complaint(acting_user=self.request.user,
            channel=Channel.API,
            subject=data["subject"],
            complainant=data.get("complainant", ""),
            complainant_phone=data.get("complainant_phone", ""),
            content=data.get("content", ""),
            service_record=data.get("service_record"),
            provider=data.get("provider"),
            caregiver=data.get("caregiver"),
            facility=data.get("facility"),
        )

    @extend_schema(request=ReplySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        body = ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.reply_complaint(acting_user=request.user,
            complaint=self.get_object(),
            reply=body.validated_data["reply"],
        )
        return Response(ComplaintSerializer(done).data)

    @extend_schema(request=SatisfactionSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        body = SatisfactionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.record_satisfaction(acting_user=request.user,
            complaint=self.get_object(),
            satisfaction=body.validated_data["satisfaction"],
        )
        return Response(ComplaintSerializer(done).data)


class ServiceRatingSerializer(serializers.ModelSerializer):
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=RatingReason.choices), required=False
    )

    class Meta:
        model = ServiceRating
        fields = [
            "id",
            "service_record",
            "visit",
            "elder",
            "provider",
            "score",
            "reasons",
            "comment",
            "rater",
            "rated_on",
            "recorded_by",
        ]
        read_only_fields = ["elder", "provider", "rated_on", "recorded_by"]


class ProviderScoreSerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    name = serializers.CharField()
    period = serializers.CharField()
    count = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=4, decimal_places=2)


class ServiceRatingViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Ratings in scope; POST records one for a service record or a visit, on the elder's behalf."""

    queryset = ServiceRating.objects.all()
    serializer_class = ServiceRatingSerializer
    filterset_fields = ["provider", "elder", "score"]

    @extend_schema(responses=ProviderScoreSerializer(many=True))
    @action(detail=False, methods=["get"])
    def monthly(self, request):
        """Each provider's score for a month (`period=YYYY-MM`, default this month): count and mean."""
        from django.utils import timezone
        from rest_framework.exceptions import ValidationError as DRFValidationError

        from core.scope import restrict
        from services.models import Provider

        from .selectors import provider_month_scores

        period = request.query_params.get("period") or timezone.localdate().strftime("%Y-%m")
        try:
            year, month = (int(x) for x in period.split("-"))
            if len(period) != 7 or not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            raise DRFValidationError({"period": _("A period is YYYY-MM.")}) from None
        providers = dict(restrict(Provider.objects.all(), request.user).values_list("pk", "name"))
        scores = provider_month_scores(period, providers=list(providers))
        rows = [
            {"provider": pk, "name": providers[pk], "period": period, **row}
            for pk, row in sorted(scores.items(), key=lambda kv: kv[1]["average"])
        ]
        return Response(ProviderScoreSerializer(rows, many=True).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.rate_service(acting_user=self.request.user,
            service_record=data.get("service_record"),
            visit=data.get("visit"),
            score=data["score"],
            rater=data["rater"],
            reasons=data.get("reasons", []),
            comment=data.get("comment", ""),
        )


class SupervisionTaskSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SupervisionTask
        fields = ["id", "region", "provider", "reason", "period", "detail", "status", "created_at"]


class SupervisionTaskViewSet(ScopedReadOnlyViewSet):
    queryset = SupervisionTask.objects.select_related("region")
    serializer_class = SupervisionTaskSerializer
    filterset_fields = ["reason", "status", "provider", "period"]


# --- estates, operator reviews, star ratings (issue 16 items 5 and 6) ---------------------------


class ResidentialEstateSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="village"))

    class Meta:
        model = ResidentialEstate
        fields = ["id", "name", "region", "kind", "households", "residents", "developer"]


class ResidentialEstateViewSet(ScopedCreateReadViewSet):
    """Residential estates bound to provide an elder-care room (配建); POST registers one."""

    queryset = ResidentialEstate.objects.select_related("region")
    serializer_class = ResidentialEstateSerializer
    filterset_fields = ["kind"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.register_estate(acting_user=self.request.user, **data)


class EstateRoomCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = EstateRoomCheck
        fields = [
            "id",
            "estate",
            "year",
            "status",
            "area_m2",
            "facility",
            "checked_on",
            "note",
            "required_m2",
            "min_site_m2",
            "measure",
            "meets_standard",
            "problems",
        ]
        read_only_fields = ["required_m2", "min_site_m2", "measure", "meets_standard", "problems"]


class EstateRoomCheckViewSet(ScopedCreateReadViewSet):
    """The yearly checks of estates' elder-care rooms; POST records one (the standard is the
    facilities section's space standard in force at the estate)."""

    queryset = EstateRoomCheck.objects.select_related("estate")
    serializer_class = EstateRoomCheckSerializer
    filterset_fields = ["year", "estate", "status", "meets_standard"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_room_check(acting_user=self.request.user, **data)


class ScoresField(serializers.DictField):
    child = serializers.DecimalField(max_digits=6, decimal_places=1)


class OperatorReviewSerializer(serializers.ModelSerializer):
    scores = ScoresField()
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    checklist = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OperatorReview
        fields = [
            "id",
            "facility",
            "operator",
            "year",
            "checklist",
            "scores",
            "notes",
            "summary",
            "reviewed_on",
            "points",
            "max_points",
            "percent",
            "pass_score",
            "passed",
            "recommendation",
            "decision",
            "decision_note",
            "decided_on",
        ]
        read_only_fields = [
            "operator",
            "points",
            "max_points",
            "percent",
            "pass_score",
            "passed",
            "recommendation",
            "decision",
            "decision_note",
            "decided_on",
        ]


class ContractDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ContractDecision.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class OperatorReviewViewSet(ScopedCreateReadViewSet):
    """Yearly performance reviews of 公建民营 operators; POST scores one (item code → points);
    `decide` records the contract decision the review feeds."""

    queryset = OperatorReview.objects.select_related("checklist")
    serializer_class = OperatorReviewSerializer
    filterset_fields = ["year", "facility", "operator", "passed", "recommendation", "decision"]
    action_permissions = {"decide": ["supervision.change_operatorreview"]}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.review_operator(
            acting_user=self.request.user,
            facility=data["facility"],
            year=data["year"],
            scores=data["scores"],
            notes=data.get("notes") or {},
            summary=data.get("summary", ""),
            reviewed_on=data["reviewed_on"],
        )

    @extend_schema(request=ContractDecisionSerializer, responses=OperatorReviewSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = ContractDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.decide_contract(
            acting_user=request.user,
            review=self.get_object(),
            decision=body.validated_data["decision"],
            note=body.validated_data.get("note", ""),
        )
        return Response(OperatorReviewSerializer(done).data)


class StarApplicationSerializer(serializers.ModelSerializer):
    checklist = serializers.SlugRelatedField(slug_field="code", read_only=True)
    evaluators = serializers.SerializerMethodField()

    class Meta:
        model = StarApplication
        fields = [
            "id",
            "facility",
            "operator",
            "star_applied",
            "statement",
            "applied_on",
            "status",
            "checklist",
            "evaluators",
            "percent",
            "star_awarded",
            "rating",
            "decided_on",
            "published_on",
        ]
        read_only_fields = [
            "operator",
            "applied_on",
            "status",
            "percent",
            "star_awarded",
            "rating",
            "decided_on",
            "published_on",
        ]

    def get_evaluators(self, obj) -> list[str]:
        return [u.get_full_name() or u.username for u in obj.evaluators.all()]


class AssignSerializer(serializers.Serializer):
    evaluators = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.filter(is_active=True))


class ScoreSheetSerializer(serializers.Serializer):
    scores = ScoresField()
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    evaluated_on = serializers.DateField()


class DecideStarSerializer(serializers.Serializer):
    rated_on = serializers.DateField(required=False)


class StarApplicationViewSet(ScopedCreateReadViewSet):
    """Star ratings as a process: POST is the operator's application; `assign` names the
    evaluators, `score` is one evaluator's sheet, `decide` the result into the star history,
    `publish` puts it on the published list (`?status=published`)."""

    queryset = StarApplication.objects.select_related("checklist").prefetch_related("evaluators")
    serializer_class = StarApplicationSerializer
    filterset_fields = ["status", "facility", "operator"]
    action_permissions = {
        "assign": ["supervision.change_starapplication"],
        "score": ["supervision.add_starscoresheet"],
        "decide": ["supervision.change_starapplication"],
        "publish": ["supervision.change_starapplication"],
    }

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.apply_for_star(
            acting_user=self.request.user,
            facility=data["facility"],
            star=data["star_applied"],
            statement=data["statement"],
        )

    def _answer(self, application):
        return Response(StarApplicationSerializer(application).data)

    @extend_schema(request=AssignSerializer, responses=StarApplicationSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.assign_evaluators(
                acting_user=request.user, application=self.get_object(), evaluators=body.validated_data["evaluators"]
            )
        )

    @extend_schema(request=ScoreSheetSerializer, responses=StarApplicationSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        body = ScoreSheetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = self.get_object()
        services.score_star(acting_user=request.user, application=application, **body.validated_data)
        return self._answer(application)

    @extend_schema(request=DecideStarSerializer, responses=StarApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = DecideStarSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.decide_star(
                acting_user=request.user, application=self.get_object(), rated_on=body.validated_data.get("rated_on")
            )
        )

    @extend_schema(request=None, responses=StarApplicationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.publish_star(acting_user=request.user, application=self.get_object()))
