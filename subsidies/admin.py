from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from eldercare.admin_utils import ScopedAdminMixin

from .models import RegionalParameter, Scheme


@admin.register(Scheme)
class SchemeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Bureau staff set the amounts a document leaves open, then activate the scheme."""

    list_display = ("code", "name", "region", "beneficiary", "frequency", "exclusivity_group", "active")
    list_filter = ("active", "beneficiary", "frequency")
    search_fields = ("code", "name")
    raw_id_fields = ("region",)


@admin.register(RegionalParameter)
class RegionalParameterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("region", "name", "value", "effective_from")
    raw_id_fields = ("region",)
