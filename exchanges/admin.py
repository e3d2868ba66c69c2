from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Exchange


@admin.register(Exchange)
class ExchangeAdmin(ScopedAdmin):
    """The log, read-only: lists are received and reviewed on the exchanges pages (the services)."""

    list_display = (
        "received_at",
        "kind",
        "source",
        "period",
        "region",
        "rows",
        "matched",
        "proposed",
        "accepted",
        "rejected",
        "status",
    )
    list_filter = ("kind", "status")
    search_fields = ("source", "filename")
    readonly_fields = [f.name for f in Exchange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
