"""Admin screens of supervision. Checklists are pack data: read here, changed by loading the pack."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from eldercare.admin_utils import ScopedAdminMixin
from policies.documents import loaded_documents, titles
from policies.sources import source_text

from .models import Checklist, ChecklistItem, Inspection, InspectionPlan, RectificationOrder


class ReadOnlyPackData:
    """Rows a policy pack writes: nobody adds, changes or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistItemInline(ReadOnlyPackData, admin.TabularInline):
    model = ChecklistItem
    fields = ("code", "area", "risk", "text", "standard", "clause", "severity", "source_shown", "active")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("source"))
    def source_shown(self, obj):
        return source_text(obj.source, titles(loaded_documents()))


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyPackData, admin.ModelAdmin):
    list_display = ("code", "title", "pack", "region", "active")
    list_filter = ("pack", "active")
    search_fields = ("code", "title")
    list_select_related = ("region",)
    fields = ("code", "title", "pack", "region", "facility_kinds", "service_kinds", "ownerships", "active")
    readonly_fields = fields
    inlines = [ChecklistItemInline]


class ReadOnlyScoped(ScopedAdminMixin, SimpleHistoryAdmin):
    """Supervision records change through the pages and services only (each change is checked
    and attributed there); the admin lists and shows them within the user's region."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyScoped):
    list_display = ("year", "title", "region", "share_percent", "drawn_at", "seed")
    list_filter = ("year",)
    list_select_related = ("region",)
    search_fields = ("title",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScoped):
    list_display = ("facility", "kind", "plan", "month", "status", "inspected_on")
    list_filter = ("kind", "status")
    list_select_related = ("facility", "plan")
    search_fields = ("facility__name",)


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyScoped):
    list_display = ("facility", "operator", "issued_on", "deadline", "status", "overdue_since")
    list_filter = ("status",)
    list_select_related = ("facility", "operator")
    search_fields = ("facility__name", "operator__name")
