from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin
from policies.admin import warning_list
from policies.documents import loaded_documents, warnings_for
from regions.scope import sees_personal_data

from .models import (
    Application,
    ApplicationDocument,
    Entitlement,
    Payment,
    RegionalParameter,
    ReviewStep,
    RollRun,
    Scheme,
    Suspension,
)
from .rules import mask_account
from .services import save_scheme


@admin.register(Scheme)
class SchemeAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Bureau staff set the amounts a document leaves open, then activate the scheme."""

    list_display = (
        "code",
        "name",
        "region",
        "beneficiary",
        "frequency",
        "exclusivity_group",
        "active",
        "document_warnings",
    )
    list_filter = ("active", "beneficiary", "frequency")
    search_fields = ("code", "name")
    raw_id_fields = ("region",)
    # Who qualifies, the amounts, review and activation are edited on the scheme's form page, in
    # boxes (subsidies:scheme), never as JSON here; the admin shows where.
    readonly_fields = (
        "document_warnings",
        "source_documents",
        "edit_on_form",
        "notice_days",
        "active",
        "inactive_reason",
    )

    exclude = ("eligibility", "amount_rule", "review_levels")

    def save_model(self, request, obj, form, change):
        save_scheme(scheme=obj, acting_user=request.user)

    def has_add_permission(self, request):
        # Schemes come from the policy packs (each with its document and clause).
        return request.user.is_superuser

    @admin.display(description=_("who qualifies, amounts, review, activation"))
    def edit_on_form(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("subsidies:scheme", args=[obj.pk]),
            _("Edit them on the scheme's form"),
        )

    def changelist_view(self, request, extra_context=None):
        self._documents = loaded_documents()  # one query for the whole list
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, *args, **kwargs):
        self._documents = loaded_documents()
        return super().changeform_view(request, *args, **kwargs)

    @admin.display(description=_("document warnings"))
    def document_warnings(self, obj):
        """A scheme resting on a draft, or on a document whose period has ended, says so."""
        docs = getattr(self, "_documents", None)
        found = warnings_for(obj.source_documents or [], on=timezone.localdate(), documents=docs)
        if obj.effective_to and obj.effective_to < timezone.localdate():
            found.append(
                _("The scheme ended on %(date)s: nothing is paid for a later month.")
                % {"date": obj.effective_to}
            )
        return warning_list(found)


@admin.register(RegionalParameter)
class RegionalParameterAdmin(ScopedAdmin):
    list_display = ("region", "name", "value", "effective_from")
    raw_id_fields = ("region",)


# --- applications and entitlements: read-only here; every change goes through the services ------


class ReadOnlyInline(admin.TabularInline):
    """Rows shown with their parent for whoever may view the parent; never edited here."""

    extra = 0
    can_delete = False
    parent_permission = ""

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_permission)


class SuspensionInline(ReadOnlyInline):
    model = Suspension
    parent_permission = "subsidies.view_entitlement"
    fields = (
        "from_period",
        "to_period",
        "started_on",
        "reason",
        "started_by",
        "ended_on",
        "end_reason",
        "ended_by",
    )


class PaymentInline(ReadOnlyInline):
    model = Payment
    parent_permission = "subsidies.view_entitlement"
    fields = ("period", "amount", "status", "return_reason", "batch")
    ordering = ("-period", "-id")


class ReviewStepInline(ReadOnlyInline):
    model = ReviewStep
    parent_permission = "subsidies.view_application"
    fields = ("level", "reviewer", "decision", "comment", "decided_at")


class ApplicationDocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    parent_permission = "subsidies.view_application"
    fields = ("kind", "original_name", "size", "uploaded_by", "uploaded_at", "download")

    @admin.display(description=_("download"))
    def download(self, obj):
        # The scoped API endpoint serves the file (never the storage path).
        return format_html(
            '<a href="/api/v1/subsidy-applications/{}/documents/{}/">{}</a>',
            obj.application_id,
            obj.pk,
            obj.original_name,
        )


class ReadOnlyAdmin(ScopedAdmin, SimpleHistoryAdmin):
    def get_fields(self, request, obj=None):
        # A bank account is personal data: its last four digits only for roles without the right.
        fields = super().get_fields(request, obj)
        if sees_personal_data(request.user):
            return fields
        return [("masked_payee_account" if f == "payee_account" else f) for f in fields]

    @admin.display(description=_("payee bank account"))
    def masked_payee_account(self, obj):
        return mask_account(obj.payee_account)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    """An entitlement with its suspensions (when, why, by whom) and its payments."""

    list_display = ("beneficiary", "scheme", "status", "first_period", "last_period", "amount", "payee_name")
    list_filter = ("status", "scheme__beneficiary")
    list_select_related = ("elder", "facility", "caregiver", "scheme")
    search_fields = ("elder__name", "facility__name", "caregiver__name", "scheme__code")
    inlines = (SuspensionInline, PaymentInline)
    fields = (
        "elder",
        "facility",
        "caregiver",
        "scheme",
        "application",
        "status",
        "first_period",
        "last_period",
        "amount",
        "payee_name",
        "payee_account",
    )

    @admin.display(description=_("beneficiary"))
    def beneficiary(self, obj):
        return obj.beneficiary


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """An application with its review steps and supporting documents."""

    list_display = ("beneficiary", "scheme", "status", "level", "claimed_cost", "submitted_at")
    list_filter = ("status", "level", "scheme__beneficiary")
    list_select_related = ("elder", "facility", "caregiver", "scheme")
    search_fields = ("elder__name", "facility__name", "caregiver__name", "scheme__code")
    inlines = (ReviewStepInline, ApplicationDocumentInline)
    fields = (
        "elder",
        "facility",
        "caregiver",
        "scheme",
        "claimed_cost",
        "status",
        "level",
        "submitted_by",
        "submitted_at",
        "notice_until",
        "decided_at",
        "payee_name",
        "payee_account",
    )

    @admin.display(description=_("beneficiary"))
    def beneficiary(self, obj):
        return obj.beneficiary


@admin.register(RollRun)
class RollRunAdmin(ReadOnlyAdmin):
    """Payment roll runs asked for from the pages, with what went wrong when one failed."""

    list_display = ("period", "region", "status", "requested_by", "requested_at", "payments", "checks")
    list_filter = ("status",)
    list_select_related = ("region", "requested_by")
    fields = (
        "period",
        "region",
        "status",
        "requested_by",
        "requested_at",
        "finished_at",
        "batches",
        "payments",
        "stopped",
        "checks",
        "error",
    )
