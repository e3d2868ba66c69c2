from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from . import selectors, services
from .choices import Equipment, Function
from .models import (
    Bed,
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


class BedForm(forms.ModelForm):
    """A bed as the admin edits it: the service's checks run in the form, so a refused change
    (an occupied bed taken out of use, more beds in use than approved) shows on its field."""

    class Meta:
        model = Bed
        fields = ("facility", "room", "label", "nursing", "active")

    def clean(self):
        cleaned = super().clean()
        if self.instance.facility_id is None and cleaned.get("facility") is None:
            return cleaned  # the facility's own error is shown
        errors = services.bed_errors(self.instance_with(cleaned))
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def instance_with(self, cleaned) -> Bed:
        bed = Bed(pk=self.instance.pk, facility_id=self.instance.facility_id)
        if cleaned.get("facility") is not None:
            bed.facility_id = cleaned["facility"].pk
        for name in ("room", "label", "nursing", "active"):
            setattr(bed, name, cleaned.get(name, getattr(self.instance, name)))
        return bed


class OccupiedFilter(admin.SimpleListFilter):
    title = _("occupied")
    parameter_name = "occupied"

    def lookups(self, request, model_admin):
        return (("yes", _("Occupied")), ("no", _("Free")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(occupied=self.value() == "yes")
        return queryset


def _occupancy(bed) -> str:
    if getattr(bed, "occupant_name", None):
        return _("Occupied: %(name)s") % {"name": bed.occupant_name}
    return _("Free")


@admin.register(Bed)
class BedAdmin(ScopedAdmin):
    """The bed inventory: rooms and beds of the facilities in the account's scope (an operator's
    staff: its own facilities), with who lives in each. Saved through facilities.services.save_bed;
    a bed is taken out of use rather than deleted (residencies keep pointing at it)."""

    form = BedForm
    list_display = ("facility", "room", "label", "nursing", "active", "occupancy")
    list_filter = (
        ("facility", admin.RelatedOnlyFieldListFilter),
        "room",
        "active",
        OccupiedFilter,
        "nursing",
    )
    search_fields = ("facility__name", "room", "label")
    list_select_related = ("facility",)
    raw_id_fields = ("facility",)

    def get_queryset(self, request):
        return selectors.with_bed_occupancy(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return ("facility",) if obj is not None else ()

    @admin.display(description=_("occupancy"), ordering="occupied")
    def occupancy(self, obj):
        return _occupancy(obj)

    def has_delete_permission(self, request, obj=None):
        return False  # out of use instead: past residencies name the bed

    def save_model(self, request, obj, form, change):
        services.save_bed(acting_user=request.user, bed=obj)


class BedInline(admin.TabularInline):
    model = Bed
    form = BedForm
    extra = 0
    fields = ("room", "label", "nursing", "active", "occupancy")
    readonly_fields = ("occupancy",)
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return selectors.with_bed_occupancy(super().get_queryset(request))

    @admin.display(description=_("occupancy"))
    def occupancy(self, obj):
        return _occupancy(obj) if obj.pk else ""


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
    inlines = [BedInline, StatusChangeInline, StarRatingInline]
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

    def get_inlines(self, request, obj):
        # Rooms and beds come once the facility exists (its approved beds bound them).
        inlines = super().get_inlines(request, obj)
        return inlines if obj is not None else [i for i in inlines if i is not BedInline]

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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Bed:
            return super().save_formset(request, form, formset, change)
        for bed in formset.save(commit=False):
            bed.facility = form.instance
            try:
                services.save_bed(acting_user=request.user, bed=bed)
            except ValidationError as exc:  # a change between the form's check and the save
                self.message_user(request, "; ".join(exc.messages), level="error")


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
