from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from .models import Assessment, AssessmentRequest, RecognisedResult


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Read-only here: assessments are recorded and confirmed by assessors on their pages."""

    list_display = ("elder", "assessed_on", "reason", "total_score", "grade", "status", "valid_until")
    list_filter = ("status", "grade", "reason")
    list_select_related = ("elder",)
    search_fields = ("elder__name", "=elder__id_number")
    date_hierarchy = "assessed_on"
    raw_id_fields = ("elder",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecognisedResult)
class RecognisedResultAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("elder", "source", "assessed_on", "grade", "valid_until", "recorded_by")
    list_filter = ("source", "grade")
    list_select_related = ("elder", "recorded_by")
    raw_id_fields = ("elder",)
    readonly_fields = ("recorded_by",)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import record_recognised_result

        saved = record_recognised_result(
            acting_user=request.user,
            elder=obj.elder,
            source=obj.source,
            assessed_on=obj.assessed_on,
            grade=obj.grade,
            valid_until=obj.valid_until,
            document=obj.document,
        )
        obj.pk = saved.pk


@admin.register(AssessmentRequest)
class AssessmentRequestAdmin(ScopedAdmin):
    list_display = ("elder", "reason", "status", "requested_by", "requested_at")
    list_filter = ("status", "reason")
    list_select_related = ("elder", "requested_by")
    raw_id_fields = ("elder", "assessment")

    def has_add_permission(self, request):
        return False
