from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from .documents import STATUSES, from_json, loaded_documents, warnings_for
from .models import PolicyPack, PolicySection
from .services import save_section
from .sources import document_keys


def warning_list(warnings: list[str]):
    """Warnings as a visible list (empty when there are none)."""
    if not warnings:
        return "-"
    return format_html(
        '<ul class="messagelist" style="margin:0">{}</ul>',
        format_html_join("", '<li class="warning">{}</li>', ((w,) for w in warnings)),
    )


@admin.register(PolicyPack)
class PolicyPackAdmin(ScopedAdmin):
    list_display = ("name", "title", "document_status", "loaded_at")
    readonly_fields = ("name", "title", "document_table", "loaded_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("documents"))
    def document_status(self, obj):
        docs = from_json(obj.documents).values()
        return ", ".join(f"{d.short or d.title} ({STATUSES[d.status]})" for d in docs) or "-"

    @admin.display(description=_("source documents"))
    def document_table(self, obj):
        today = timezone.localdate()
        rows = (
            (
                d.title,
                d.number or "-",
                d.issuer or "-",
                d.issued_on.isoformat() if d.issued_on else "-",
                STATUSES[d.status],
                f"{d.period_from or '…'} – {d.period_to or '…'}",
                _("held in the repository") if d.text else _("no text in the repository"),
                warning_list(d.warnings(today)),
            )
            for d in from_json(obj.documents).values()
        )
        head = (
            _("title"),
            _("document number"),
            _("issuer"),
            _("issued on"),
            _("status"),
            _("period of validity"),
            _("full text"),
            _("warnings"),
        )
        return format_html(
            "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<th>{}</th>", ((h,) for h in head)),
            format_html_join("", "<tr>" + "<td>{}</td>" * len(head) + "</tr>", rows),
        )


@admin.register(PolicySection)
class PolicySectionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("section", "region", "pack", "updated_at")
    list_filter = ("section", "pack")
    list_select_related = ("region", "pack")
    raw_id_fields = ("region",)
    readonly_fields = ("pack", "region", "section", "document_warnings")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("document warnings"))
    def document_warnings(self, obj):
        return warning_list(
            warnings_for(document_keys(obj.data or {}), on=timezone.localdate(), documents=loaded_documents())
        )

    def save_model(self, request, obj, form, change):
        # The model's clean() has parsed the data with the section's own parser already; the
        # service writes again what depends on it (a changed grade mapping reaches the schemes).
        save_section(row=obj, acting_user=request.user)
