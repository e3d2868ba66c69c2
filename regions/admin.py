from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from eldercare.admin_utils import ScopedAdminMixin

from .models import Region, StaffProfile
from .services import create_staff


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "households")
    list_filter = ("level", "kind")
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    ordering = ("code",)

    def get_readonly_fields(self, request, obj=None):
        # Division codes and names come from the statistics office; only local facts are edited.
        if request.user.is_superuser:
            return ()
        return ("code", "name", "level", "parent", "kind")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "full_name", "role", "region", "certificate_number", "is_active")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "certificate_number")
    list_select_related = ("user", "region")
    raw_id_fields = ("region",)
    readonly_fields = ("user",)

    @admin.display(description=_("name"))
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj):
        return obj.user.is_active

    def has_add_permission(self, request):
        # Accounts are created with their password by the create_staff command or the user admin.
        return False

    def save_model(self, request, obj, form, change):
        try:
            create_staff(
                username=obj.user.username,
                role=obj.role,
                region_code=obj.region_id,
                password=None,
                certificate_number=obj.certificate_number,
                acting_user=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level="error")
            raise
