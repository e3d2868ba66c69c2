"""Admin screens of supervision. Checklists are pack data: read here, changed by loading the pack."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from policies.documents import loaded_documents, titles
from policies.sources import source_text

from .models import Checklist, ChecklistItem


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
