from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from . import catalogue as catalogue_ops
from . import rules
from .choices import CatalogueStatus
from .models import (
    Caregiver,
    Catalogue,
    CatalogueItem,
    CreditRecord,
    FollowUp,
    Provider,
    ProviderStaff,
    ServiceRecord,
    Visit,
)
from .services import lift_credit_record, record_blacklisting, save_caregiver, save_provider


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ("problem", "status", "due_on", "resolution", "closed_by", "closed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Visits are recorded by workers on their pages; the admin reads them."""

    list_display = ("elder", "visited_at", "method", "outcome", "visitor")
    list_filter = ("method", "outcome")
    list_select_related = ("elder", "visitor")
    search_fields = ("elder__name", "=elder__id_number")
    date_hierarchy = "visited_at"
    raw_id_fields = ("elder", "visitor")
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("elder", "problem", "status", "due_on", "closed_by")
    list_filter = ("status", "problem")
    list_select_related = ("elder", "closed_by")
    raw_id_fields = ("elder", "visit", "assigned_to", "closed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- catalogue, providers, caregivers, records ---------------------------------------------------


class CatalogueItemInline(admin.StackedInline):
    model = CatalogueItem
    extra = 0
    fields = (
        ("code", "category", "name"),
        "target_group",
        "content",
        "standard",
        ("standard_level", "standard_unit"),
        "department",
        "application_path",
        "legal_basis",
    )

    # A published list is what elders were told: it changes only by a new version (or by
    # reloading its pack, which re-runs the coverage check), never by editing it in place.
    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


def _is_draft(catalogue) -> bool:
    return catalogue is None or catalogue.status == CatalogueStatus.DRAFT


@admin.register(Catalogue)
class CatalogueAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "region", "version", "effective_from", "status", "parent")
    list_filter = ("status",)
    raw_id_fields = ("region", "parent")
    readonly_fields = ("status", "published_at", "published_by", "coverage_gaps")
    inlines = [CatalogueItemInline]
    actions = ["publish"]

    def get_queryset(self, request):
        # The national list has no region: every account may read it, only superusers edit it.
        from django.db.models import Q

        scoped = super().get_queryset(request).values("pk")
        return Catalogue.objects.filter(Q(pk__in=scoped) | Q(region__isnull=True))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("coverage of the list above"))
    def coverage_gaps(self, obj):
        above = catalogue_ops.covering_list(obj) if obj.pk is not None else None
        if above is None:
            return "—"
        gaps = catalogue_ops.gaps(obj, above)
        if not gaps:
            return _("Covers every item of %(parent)s.") % {"parent": above}
        return format_html_join(
            "\n", "<div>{} {}: {}</div>", ((g["code"], g["name"], rules.GAP_LABELS[g["kind"]]) for g in gaps)
        )

    @admin.action(description=_("Publish the selected lists"))
    def publish(self, request, queryset):
        for catalogue in queryset:
            try:
                catalogue_ops.publish_catalogue(catalogue=catalogue, acting_user=request.user)
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(c)s was not published: %(gaps)s")
                    % {"c": catalogue, "gaps": "; ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("%(c)s was published.") % {"c": catalogue})

    def get_urls(self):
        return [
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="services_catalogue_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, pk: int):
        """This list beside the list above it (or any other readable list, `?with=<id>`),
        item by item."""
        child = get_object_or_404(self.get_queryset(request), pk=pk)
        other = request.GET.get("with", "")
        if other.isdigit():
            parent = get_object_or_404(self.get_queryset(request), pk=int(other))
        else:
            parent = catalogue_ops.covering_list(child)
        ours = {i.code: i for i in child.items.all()}
        theirs = {i.code: i for i in parent.items.all()} if parent else {}
        gap_by_code: dict[str, list[str]] = {}
        for gap in catalogue_ops.gaps(child, parent):
            gap_by_code.setdefault(gap["code"], []).append(str(rules.GAP_LABELS[gap["kind"]]))
        rows = [
            {
                "code": code,
                "parent": theirs.get(code),
                "child": ours.get(code),
                "gaps": gap_by_code.get(code, []),
            }
            for code in sorted(set(ours) | set(theirs))
        ]
        context = {
            **self.admin_site.each_context(request),
            "child": child,
            "parent": parent,
            "rows": rows,
            "title": _("Compare lists"),
            "opts": self.model._meta,
        }
        return render(request, "admin/services/catalogue/compare.html", context)


class CreditRecordInline(admin.TabularInline):
    model = CreditRecord
    extra = 0
    fields = ("kind", "reason", "starts_on", "ends_on", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Provider)
class ProviderAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "kind", "region", "filing_status", "filed_on")
    list_filter = ("kind", "filing_status")
    search_fields = ("name", "=credit_code")
    raw_id_fields = ("region",)
    inlines = [CreditRecordInline]

    def save_model(self, request, obj, form, change):
        save_provider(acting_user=request.user, provider=obj)


@admin.register(CreditRecord)
class CreditRecordAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("provider", "kind", "starts_on", "ends_on", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("provider",)
    readonly_fields = ("recorded_by",)

    def get_readonly_fields(self, request, obj=None):
        # Once on file a record only gets an end date (lifting it), through the service.
        if obj is not None:
            return ("provider", "kind", "reason", "starts_on", "recorded_by")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            if "ends_on" in form.changed_data and obj.ends_on is not None:
                try:
                    lift_credit_record(acting_user=request.user, record=obj, ends_on=obj.ends_on)
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        saved = record_blacklisting(
            acting_user=request.user,
            provider=obj.provider,
            reason=obj.reason,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            warning_only=obj.kind == "warning",
        )
        obj.pk = saved.pk


@admin.register(Caregiver)
class CaregiverAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "provider", "skill_level", "certificate_number", "certificate_expires", "active")
    list_filter = ("skill_level", "active")
    search_fields = ("name", "=id_number", "certificate_number")
    raw_id_fields = ("provider",)

    def save_model(self, request, obj, form, change):
        save_caregiver(acting_user=request.user, caregiver=obj)


@admin.register(ProviderStaff)
class ProviderStaffAdmin(ScopedAdmin):
    list_display = ("user", "provider")
    raw_id_fields = ("user", "provider")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "elder",
        "kind",
        "provider",
        "caregiver",
        "started_at",
        "duration_minutes",
        "funding",
        "amount",
    )
    list_filter = ("kind", "funding")
    list_select_related = ("elder", "provider", "caregiver")
    date_hierarchy = "started_at"
    raw_id_fields = ("elder", "item", "provider", "caregiver")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
