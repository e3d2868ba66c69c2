"""Admin screens of supervision. Checklists are pack data: read here, changed by loading the pack."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin
from policies.documents import loaded_documents, titles
from policies.sources import source_text

from . import services
from .choices import Channel
from .models import (
    Checklist,
    ChecklistItem,
    Complaint,
    EstateRoomCheck,
    Inspection,
    InspectionPlan,
    OperatorReview,
    RectificationOrder,
    ResidentialEstate,
    StarApplication,
    StarScoreSheet,
    SupervisionTask,
)


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
    fields = ("code", "area", "risk", "text", "standard", "clause", "severity", "points", "source_shown", "active")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("source"))
    def source_shown(self, obj):
        return source_text(obj.source, titles(loaded_documents()))


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyPackData, ScopedAdmin):
    list_display = ("code", "title", "purpose", "pack", "region", "active")
    list_filter = ("purpose", "pack", "active")
    search_fields = ("code", "title")
    list_select_related = ("region",)
    fields = (
        "code",
        "title",
        "purpose",
        "pack",
        "region",
        "facility_kinds",
        "service_kinds",
        "ownerships",
        "active",
    )
    readonly_fields = fields
    inlines = [ChecklistItemInline]


class ReadOnlyScoped(ScopedAdmin, SimpleHistoryAdmin):
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


class ComplaintAdminForm(forms.ModelForm):
    """Taking a complaint in at the admin: the service checks it and sets the region and deadline."""

    acting_user = None

    class Meta:
        model = Complaint
        fields = (
            "subject",
            "service_record",
            "provider",
            "caregiver",
            "facility",
            "complainant",
            "complainant_phone",
            "content",
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            with transaction.atomic():
                self.filed = services.file_complaint(
                    acting_user=self.acting_user, channel=Channel.ADMIN, **data
                )
                transaction.set_rollback(True)  # checked here, written in save_model
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return data


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "received_at",
        "subject",
        "provider",
        "facility",
        "region",
        "deadline",
        "status",
        "overdue_since",
        "satisfaction",
    )
    list_filter = ("status", "subject", "channel")
    list_select_related = ("provider", "facility", "region")
    search_fields = ("provider__name", "facility__name", "complainant")
    raw_id_fields = ("service_record", "provider", "caregiver", "facility")
    form = ComplaintAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return False  # replies and satisfaction go through the complaint page and the API

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in ComplaintAdminForm.Meta.fields}
        saved = services.file_complaint(acting_user=request.user, channel=Channel.ADMIN, **data)
        obj.pk = saved.pk


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(ReadOnlyScoped):
    list_display = ("provider", "reason", "period", "status", "created_at")
    list_filter = ("reason", "status")
    list_select_related = ("provider",)


@admin.register(ResidentialEstate)
class ResidentialEstateAdmin(ReadOnlyScoped):
    list_display = ("name", "region", "kind", "households", "residents", "developer")
    list_filter = ("kind",)
    list_select_related = ("region",)
    search_fields = ("name", "developer")


@admin.register(EstateRoomCheck)
class EstateRoomCheckAdmin(ReadOnlyScoped):
    list_display = ("estate", "year", "status", "area_m2", "required_m2", "meets_standard", "checked_on")
    list_filter = ("year", "status", "meets_standard")
    list_select_related = ("estate",)
    search_fields = ("estate__name",)


@admin.register(OperatorReview)
class OperatorReviewAdmin(ReadOnlyScoped):
    list_display = ("facility", "operator", "year", "percent", "passed", "recommendation", "decision")
    list_filter = ("year", "passed", "recommendation", "decision")
    list_select_related = ("facility", "operator")
    search_fields = ("facility__name", "operator__name")


class StarScoreSheetInline(admin.TabularInline):
    model = StarScoreSheet
    fields = ("evaluator", "points", "percent", "evaluated_on", "submitted_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StarApplication)
class StarApplicationAdmin(ReadOnlyScoped):
    list_display = ("facility", "operator", "star_applied", "applied_on", "status", "star_awarded", "published_on")
    list_filter = ("status", "star_awarded")
    list_select_related = ("facility", "operator")
    search_fields = ("facility__name", "operator__name")
    inlines = [StarScoreSheetInline]
