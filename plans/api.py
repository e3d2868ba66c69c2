"""API of plan targets (with progress) and tasks (with each unit's part and its reports)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import ScopedReadOnlyViewSet
from regions.filters import FilterSet

from . import selectors, services
from .choices import TaskStatus
from .models import Target, Task, TaskAssignment, TaskEvidence
from .rules import assignment_overdue, task_status


def _unit_names(target: Target) -> list[str]:
    return [u.department.name for u in target.responsible.all()]


class TargetSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    units = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    latest_value = serializers.SerializerMethodField()
    latest_period = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "code",
            "metric",
            "region",
            "comparison",
            "target_value",
            "deadline",
            "each_level",
            "measure",
            "base_period",
            "base_value",
            "steps",
            "text",
            "document",
            "clause",
            "source",
            "units",
            "latest_value",
            "latest_period",
            "status",
            "warnings",
        ]

    def _progress(self, obj):
        return self.context["progress"].get(obj.pk)

    def get_units(self, obj) -> list[str]:
        return _unit_names(obj)

    def get_steps(self, obj) -> list[dict]:
        return [{"deadline": s.deadline.isoformat(), "value": float(s.value)} for s in obj.steps.all()]

    def get_latest_value(self, obj) -> float | None:
        row = self._progress(obj)
        return float(row.figure) if row and row.figure is not None else None

    def get_latest_period(self, obj) -> str | None:
        row = self._progress(obj)
        return row.period if row else None

    def get_status(self, obj) -> str:
        row = self._progress(obj)
        return row.status if row else "no_data"

    def get_warnings(self, obj) -> list[str]:
        return self.context["warnings"].get(obj.document, [])


class TargetViewSet(ScopedReadOnlyViewSet):
    """Plan targets of the regions in scope, each judged on its own region's figures:
    met, on_track, at_risk, missed, no_data (a broken-down target: on the divisions reaching it)."""

    queryset = Target.objects.prefetch_related("steps", "responsible__department").order_by(
        "region_id", "deadline", "code"
    )
    serializer_class = TargetSerializer
    filterset_fields = ["metric", "region", "document"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        page = getattr(self, "_page", None)
        targets = page if page is not None else list(self.filter_queryset(self.get_queryset()))
        today = timezone.localdate()
        progress = {}
        # One progress read per region the page's targets are set for (few: a pack sets one).
        regions = {t.region for t in targets}
        for region in regions:
            for row in selectors.target_progress(self.request.user, region, today):
                if row.target.region_id == region.code:
                    progress[row.target.pk] = row
        context["progress"] = progress
        context["warnings"] = selectors.document_warnings({t.pack for t in targets}, today)
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset.select_related("region"))
        return self._page


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = TaskEvidence
        fields = ["id", "original_name", "size", "download"]

    def get_download(self, obj) -> str:
        return reverse("plans:evidence", args=[obj.pk])


class ReportSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    note = serializers.CharField(max_length=4000)
    completed_on = serializers.DateField(required=False, allow_null=True)
    reported_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, allow_empty=True)


class UpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    note = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    reported_value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    reported_by = serializers.CharField(source="reported_by.username")
    reported_at = serializers.DateTimeField()
    evidence = EvidenceSerializer(many=True)


class AssignmentSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id")
    unit = serializers.CharField(source="department.name")
    unit_region = serializers.CharField(source="department.region_id")
    lead = serializers.BooleanField(source="is_lead")
    overdue = serializers.SerializerMethodField()
    deadline = serializers.DateField(source="task.deadline")

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "unit",
            "unit_region",
            "lead",
            "status",
            "completed_on",
            "reported_value",
            "last_report_at",
            "deadline",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return assignment_overdue(deadline=obj.task.deadline, status=obj.status, on=timezone.localdate())


class AssignmentDetailSerializer(AssignmentSerializer):
    reports = UpdateSerializer(source="updates", many=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "reports"]


class AssignmentFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    unit = filters.NumberFilter(field_name="department_id")
    overdue = filters.BooleanFilter(method="by_overdue", label=_("past the deadline and not done"))

    class Meta:
        model = TaskAssignment
        fields = ["status", "unit", "task"]

    def by_overdue(self, queryset, name, value):
        q = selectors.overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class TaskAssignmentViewSet(ScopedReadOnlyViewSet):
    """Each responsible unit's part of a task; `report` is the unit's own report on it."""

    queryset = TaskAssignment.objects.select_related("task", "department").order_by(
        "task__deadline", "task_id", "position"
    )
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    action_permissions = {"report": ["plans.add_taskupdate"]}

    def get_serializer_class(self):
        return AssignmentDetailSerializer if self.action == "retrieve" else AssignmentSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("updates__reported_by", "updates__evidence")
        return qs

    @extend_schema(request=ReportSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def report(self, request, pk=None):
        body = ReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.report_on_task(
            acting_user=request.user,
            assignment=self.get_object(),
            status=data["status"],
            note=data["note"],
            completed_on=data.get("completed_on"),
            reported_value=data.get("reported_value"),
            files=request.FILES.getlist("files"),
        )
        fresh = self.get_queryset().prefetch_related("updates__reported_by", "updates__evidence").get(pk=pk)
        return Response(AssignmentDetailSerializer(fresh).data)


class TaskSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    parts = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "code",
            "region",
            "group",
            "text",
            "deadline",
            "deadline_text",
            "goal_value",
            "goal_unit",
            "document",
            "clause",
            "source",
            "units_text",
            "note",
            "status",
            "overdue",
            "warnings",
            "parts",
        ]

    def _parts(self, obj) -> list[TaskAssignment]:
        return self.context["parts"].get(obj.pk, [])

    def get_parts(self, obj) -> list[dict]:
        return AssignmentSerializer(self._parts(obj), many=True).data

    def get_status(self, obj) -> str:
        return task_status(a.status for a in self._parts(obj))

    def get_overdue(self, obj) -> bool:
        today = timezone.localdate()
        return any(
            assignment_overdue(deadline=obj.deadline, status=a.status, on=today) for a in self._parts(obj)
        )

    def get_warnings(self, obj) -> list[str]:
        return self.context["warnings"].get(obj.document, [])


class TaskFilterSet(FilterSet):
    document = filters.CharFilter()

    class Meta:
        model = Task
        fields = ["region", "document"]


class TaskViewSet(ScopedReadOnlyViewSet):
    """Plan tasks in scope, quoted, with each responsible unit's part (the parts in scope)."""

    queryset = Task.objects.order_by("region_id", "deadline", "code")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    def get_serializer_context(self):
        context = super().get_serializer_context()
        tasks = getattr(self, "_page", None)
        if tasks is None:
            tasks = list(self.filter_queryset(self.get_queryset()))
        parts: dict[int, list] = {}
        for a in (
            selectors.assignments_in_scope(self.request.user)
            .filter(task__in=[t.pk for t in tasks])
            .select_related("task", "department")
            .order_by("position")
        ):
            parts.setdefault(a.task_id, []).append(a)
        context["parts"] = parts
        context["warnings"] = selectors.document_warnings({t.pack for t in tasks}, timezone.localdate())
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page
