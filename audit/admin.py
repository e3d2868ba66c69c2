"""The audit log in the admin: read-only and scoped for the city, with a monthly summary."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin

from . import selectors
from .choices import AccessAction
from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ScopedAdmin):
    list_display = ("at", "user", "action", "what", "rows", "unmasked", "address")
    list_filter = ("action", "unmasked")
    search_fields = ("=user__username", "what", "=object_id", "=address")
    date_hierarchy = "at"
    list_select_related = ("user",)
    change_list_template = "admin/audit/accesslog/change_list.html"

    # The log is evidence: nobody adds, changes or deletes entries through the portal.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def get_urls(self):
        summary = path(
            "summary/", self.admin_site.admin_view(self.summary_view), name="audit_accesslog_summary"
        )
        return [summary, *super().get_urls()]

    def summary_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Monthly summary per account"),
            "rows": selectors.monthly_summary(request.user, queryset=self.get_queryset(request)),
            "actions": AccessAction,
        }
        return TemplateResponse(request, "admin/audit/accesslog/summary.html", context)
