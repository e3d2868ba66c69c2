from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from eldercare.admin_utils import ScopedAdminMixin

from .models import PolicyPack, PolicySection
from .selectors import invalidate


@admin.register(PolicyPack)
class PolicyPackAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "loaded_at")
    readonly_fields = ("name", "title", "documents", "loaded_at")

    def has_add_permission(self, request):
        return False


@admin.register(PolicySection)
class PolicySectionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("section", "region", "pack", "updated_at")
    list_filter = ("section", "pack")
    list_select_related = ("region", "pack")
    raw_id_fields = ("region",)
    readonly_fields = ("pack", "region", "section")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # The model's clean() has parsed the data with the section's own parser already.
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        invalidate()
