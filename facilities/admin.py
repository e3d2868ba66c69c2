from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from . import selectors, services
from .choices import Equipment, Function
from .models import (
    CommunityProfile,
    Facility,
    FamilyCareBed,
    Residency,
    StarRating,
    StatusChange,
    WaitlistEntry,
    WaitlistEvent,
)


class FacilityForm(forms.ModelForm):
    functions = forms.MultipleChoiceField(
        label=_("functions offered"),
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status_on = forms.DateField(
        label=_("status date"), required=False, help_text=_("When the facility reached this status.")
    )

    class Meta:
        model = Facility
        fields = (
            "name",
            "kind",
            "ownership",
            "operator",
            "region",
            "address",
            "licence_number",
            "status",
            "land_area_mu",
            "floor_area_m2",
            "beds",
            "nursing_beds",
            "functions",
            "caregivers",
            "nurses",
            "doctors",
            "social_workers",
            "managers",
            "other_staff",
        )


class StarRatingInline(admin.TabularInline):
    model = StarRating
    extra = 0
    fields = ("star", "rated_on", "evaluator", "certificate", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("status", "on", "note", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = FacilityForm
    list_display = (
        "name",
        "kind",
        "ownership",
        "region",
        "status",
        "beds",
        "nursing_beds",
        "residents",
        "star",
        "page",
    )
    list_filter = ("kind", "ownership", "status", "star")
    search_fields = ("name", "=licence_number")
    raw_id_fields = ("region", "operator")
    readonly_fields = ("star", "status_since")
    inlines = [StatusChangeInline, StarRatingInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "ownership", "operator", "region", "address", "licence_number")}),
        (_("Status"), {"fields": ("status", "status_on", "status_since", "star")}),
        (_("Size"), {"fields": ("land_area_mu", "floor_area_m2", "beds", "nursing_beds", "functions")}),
        (
            _("Staff by role"),
            {"fields": ("caregivers", "nurses", "doctors", "social_workers", "managers", "other_staff")},
        ),
    )

    def get_queryset(self, request):
        return selectors.with_occupancy(super().get_queryset(request).select_related("region"))

    @admin.display(description=_("residents"), ordering="residents")
    def residents(self, obj):
        return obj.residents

    @admin.display(description=_("page"))
    def page(self, obj):
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("facilities:detail", args=[obj.pk]), _("standards"))

    def save_model(self, request, obj, form, change):
        services.save_facility(
            facility=obj, acting_user=request.user, status_on=form.cleaned_data.get("status_on")
        )


@admin.register(StarRating)
class StarRatingAdmin(ScopedAdmin):
    list_display = ("facility", "star", "rated_on", "evaluator", "recorded_by")
    list_filter = ("star",)
    raw_id_fields = ("facility",)
    readonly_fields = ("recorded_by",)

    def has_change_permission(self, request, obj=None):
        return False  # a rating is history: a new rating supersedes it

    def save_model(self, request, obj, form, change):
        saved = services.record_star_rating(
            acting_user=request.user,
            facility=obj.facility,
            star=obj.star,
            rated_on=obj.rated_on,
            evaluator=obj.evaluator,
            certificate=obj.certificate,
        )
        obj.pk = saved.pk


@admin.register(Residency)
class ResidencyAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("elder", "facility", "bed", "admitted_on", "discharged_on", "discharge_reason")
    list_filter = ("discharge_reason",)
    search_fields = ("=elder__id_number", "elder__name", "facility__name")
    list_select_related = ("elder", "facility")

    def has_add_permission(self, request):
        return False  # admissions go through the facility page (vacancy, wait-list, registry)

    def has_change_permission(self, request, obj=None):
        return False


class WaitlistEventInline(admin.TabularInline):
    model = WaitlistEvent
    extra = 0
    fields = ("at", "kind", "from_tier", "to_tier", "reason", "by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ScopedAdmin):
    list_display = ("elder", "facility", "tier_code", "applied_on", "status", "position")
    list_filter = ("status", "tier_code")
    search_fields = ("=elder__id_number", "elder__name", "facility__name")
    list_select_related = ("elder", "facility")
    inlines = [WaitlistEventInline]
    readonly_fields = (
        "facility",
        "elder",
        "applied_on",
        "tier",
        "tier_code",
        "tier_reason",
        "tier_fixed",
        "status",
        "closed_on",
        "created_by",
    )

    def get_queryset(self, request):
        return selectors.with_positions(super().get_queryset(request))

    @admin.display(description=_("position"), ordering="position")
    def position(self, obj):
        return obj.position

    def has_add_permission(self, request):
        return False  # applications go through the worker page or the API (tier from the pack)


class FamilyCareBedForm(forms.ModelForm):
    equipment = forms.MultipleChoiceField(
        label=_("equipment"), choices=Equipment.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FamilyCareBed
        fields = (
            "elder",
            "provider",
            "set_up_on",
            "equipment",
            "service_package",
            "monthly_hours",
            "status",
            "closed_on",
        )


@admin.register(FamilyCareBed)
class FamilyCareBedAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = FamilyCareBedForm
    list_display = ("elder", "provider", "set_up_on", "monthly_hours", "status")
    list_filter = ("status",)
    search_fields = ("=elder__id_number", "elder__name")
    raw_id_fields = ("elder", "provider")
    list_select_related = ("elder", "provider")

    def save_model(self, request, obj, form, change):
        if change:
            if obj.status == "closed" and "status" in form.changed_data:
                services.close_family_bed(
                    acting_user=request.user, bed=obj, on=obj.closed_on or obj.set_up_on
                )
            else:
                obj._history_user = request.user
                obj.save()
            return
        saved = services.set_up_family_bed(
            acting_user=request.user,
            elder=obj.elder,
            provider=obj.provider,
            set_up_on=obj.set_up_on,
            equipment=obj.equipment,
            service_package=obj.service_package,
            monthly_hours=obj.monthly_hours,
        )
        obj.pk = saved.pk


@admin.register(CommunityProfile)
class CommunityProfileAdmin(ScopedAdmin):
    list_display = ("region", "estate", "population")
    list_filter = ("estate",)
    raw_id_fields = ("region",)
