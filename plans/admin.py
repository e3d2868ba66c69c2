"""Admin screens of plan targets and tasks: read-only (they come from the packs; units report on
the task pages), except the base-month figure of an increase target, set through the service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin

from . import services
from .models import Target, TargetStep, TargetUnit, Task, TaskAssignment, TaskUpdate


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = TargetStep
    fields = ("deadline", "value")
    readonly_fields = fields


class TargetUnitInline(ReadOnlyInline):
    model = TargetUnit
    fields = ("position", "department")
    readonly_fields = fields


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = (
        "code",
        "region",
        "metric",
        "comparison",
        "target_value",
        "deadline",
        "each_level",
        "clause",
    )
    list_filter = ("pack", "metric", "deadline")
    search_fields = ("code", "text", "units_text")
    list_select_related = ("region",)
    inlines = [StepInline, TargetUnitInline]
    fields = (
        "pack",
        "region",
        "code",
        "text",
        "document",
        "clause",
        "metric",
        "comparison",
        "target_value",
        "deadline",
        "each_level",
        "measure",
        "base_period",
        "base_value",
        "units_text",
        "note",
        "task",
        "source",
    )

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.fields if f != "base_value"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.set_base_value(acting_user=request.user, target=obj, value=form.cleaned_data["base_value"])


class AssignmentInline(ReadOnlyInline):
    model = TaskAssignment
    fields = ("position", "department", "status", "completed_on", "reported_value", "last_report_at")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ("code", "region", "short_text", "deadline", "deadline_text", "clause")
    list_filter = ("pack", "deadline")
    search_fields = ("code", "text", "units_text")
    list_select_related = ("region",)
    inlines = [AssignmentInline]

    @admin.display(description=_("task"))
    def short_text(self, obj):
        return obj.text[:60]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Task._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ScopedAdmin):
    list_display = ("assignment", "status", "reported_by", "reported_at")
    list_filter = ("status",)
    list_select_related = ("assignment__task", "assignment__department", "reported_by")
    search_fields = ("note", "assignment__task__code")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in TaskUpdate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
