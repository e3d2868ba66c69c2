from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Message


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    """The record of every reminder (sent or only recorded): read-only, written by the service."""

    list_display = ("day", "kind", "recipient", "channel", "status", "sent_at")
    list_filter = ("kind", "channel", "status")
    date_hierarchy = "day"
    readonly_fields = (
        "recipient",
        "kind",
        "day",
        "channel",
        "phone",
        "text",
        "link",
        "status",
        "sent_at",
        "error",
    )
    exclude = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
