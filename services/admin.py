from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from eldercare.admin_utils import ScopedAdminMixin

from .models import FollowUp, Visit


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ("problem", "status", "due_on", "resolution", "closed_by", "closed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Visits are recorded by workers on their pages; the admin reads them."""

    list_display = ("elder", "visited_at", "method", "outcome", "visitor")
    list_filter = ("method", "outcome")
    list_select_related = ("elder", "visitor")
    search_fields = ("elder__name", "=elder__id_number")
    date_hierarchy = "visited_at"
    raw_id_fields = ("elder", "visitor")
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("elder", "problem", "status", "due_on", "closed_by")
    list_filter = ("status", "problem")
    list_select_related = ("elder", "closed_by")
    raw_id_fields = ("elder", "visit", "assigned_to", "closed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
