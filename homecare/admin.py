"""Admin screens of home services: prices and duties are data; every state change is a service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin

from .models import AllowanceMonth, ContractPrice, Duty, EmergencyCall, Flag, Order, Statement, StatementLine
from .settlement import approve_statement


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContractPrice)
class ContractPriceAdmin(ScopedAdmin):
    list_display = (
        "item",
        "provider",
        "region",
        "unit",
        "price",
        "min_minutes",
        "max_minutes",
        "effective_from",
    )
    list_filter = ("unit", "requires_certificate")
    list_select_related = ("item", "provider", "region")
    autocomplete_fields = ()
    raw_id_fields = ("provider", "item")


@admin.register(Duty)
class DutyAdmin(ScopedAdmin):
    list_display = ("region", "provider", "starts_at", "ends_at")
    list_select_related = ("region", "provider")
    raw_id_fields = ("provider",)


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ("kind", "detail", "decision", "decision_note", "decided_by", "decided_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("elder", "item", "provider", "caregiver", "wanted_at", "status", "amount")
    list_filter = ("status", "channel")
    list_select_related = ("elder", "item", "provider", "caregiver")
    search_fields = ("elder__name",)
    inlines = (FlagInline,)
    exclude = ("checkin_latitude", "checkin_longitude", "checkout_latitude", "checkout_longitude")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("order", "kind", "decision", "decided_by", "created_at")
    list_filter = ("kind", "decision")
    list_select_related = ("order__elder", "order__item", "decided_by")


@admin.register(AllowanceMonth)
class AllowanceMonthAdmin(ReadOnlyAdmin):
    list_display = ("elder", "period", "unit", "granted", "carried_in", "used", "unused_rule")
    list_filter = ("period", "unit")
    list_select_related = ("elder",)
    search_fields = ("elder__name",)


class LineInline(admin.TabularInline):
    model = StatementLine
    fields = ("order", "elder", "claimed", "paid", "status", "dispute_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("provider", "period", "region", "status", "claimed", "payable", "approved_by")
    list_filter = ("status", "period")
    list_select_related = ("provider", "region", "approved_by")
    inlines = (LineInline,)
    actions = ("approve",)

    @admin.action(description=_("Approve the selected statements"), permissions=["approve"])
    def approve(self, request, queryset):
        for statement in queryset:
            try:
                approve_statement(acting_user=request.user, statement=statement)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{statement}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                messages.success(request, _("%(s)s approved.") % {"s": statement})

    def has_approve_permission(self, request):
        return request.user.has_perm("homecare.change_statement")


@admin.register(EmergencyCall)
class EmergencyCallAdmin(ReadOnlyAdmin):
    list_display = ("elder", "time", "kind", "status", "assigned_provider", "deadline", "responded_at")
    list_filter = ("status", "kind", "channel")
    list_select_related = ("elder", "assigned_provider")
    search_fields = ("elder__name",)
