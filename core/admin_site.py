"""The portal's admin site: Django's, with its list of apps built once per set of permissions.

Every admin page shows the apps and models the account may open (the sidebar and the index);
Django builds that list on each request, asking every registered model admin for its
permissions and reversing two URLs per model. Those answers depend on nothing but the account's
permissions (no model admin here asks anything else without an object), so the list is kept per
permission set and language (core.permission_memo).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .permission_memo import per_permissions


class PortalAdminSite(admin.AdminSite):
    site_header = _("Basic elderly-care service portal")
    site_title = _("Elderly-care portal")
    index_title = _("Administration")

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        apps = per_permissions(
            "admin apps", request.user, lambda: super(PortalAdminSite, self).get_app_list(request)
        )
        # Copies of the dictionaries: a page may not change what the next page is given.
        return [{**app, "models": [dict(m) for m in app["models"]]} for app in apps]


class PortalAdminConfig(AdminConfig):
    default_site = "core.admin_site.PortalAdminSite"
