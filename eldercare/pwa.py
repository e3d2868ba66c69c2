"""The installable worker app: web app manifest, service worker and the offline page.

The service worker must be served from the site root to control every worker page, so it
is a small view that names the hashed assets (they change name with their content, which
also changes this script and makes browsers install the new version) and then imports the
static core (static/js/sw.js).
"""

from __future__ import annotations

import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

# Assets every cached worker page needs, kept on the device from installation on.
ASSETS = (
    "css/bootstrap-portal.min.css",
    "css/portal.css",
    "js/portal.js",
    "js/store.js",
    "js/offline.js",
    "js/visit-form.js",
    "js/scoring.js",
    "js/assessment.js",
    "js/sections.js",
    "django_htmx/htmx-2.min.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)

# The worker's pages kept on the device (URL name, example arguments). The home page is
# whatever LOGIN_REDIRECT_URL names; "stripped" pages are kept without ID numbers or phones.
PAGES = (
    ("elders:my-elders", (), True),
    ("services:due", (), False),
    ("services:new", (1,), False),
    ("assessments:due", (), False),
    ("assessments:new", (1,), False),
    ("elders:elder-create", (), False),
    ("pwa:offline", (), False),
)
# Forms without personal data, kept as soon as the worker signs in (URL name, the permission that
# opens it): each page tells the service worker which of them its account may open, so a role
# without the right never asks for one and meets a refusal.
BLANK_FORMS = (("elders:elder-create", "elders.add_elder"),)


def blank_forms_for(user) -> list[str]:
    """The blank forms this account may keep on the device."""
    return [reverse(name) for name, permission in BLANK_FORMS if user.has_perm(permission)]
# Forms a due list asks the worker to keep for its elders (data-precache-group="...").
GROUPS = {"visit-forms": ("services:new", (1,)), "assessment-forms": ("assessments:new", (1,))}


def _pattern(name: str, args: tuple) -> str:
    """The path of a URL name as a regular expression (numeric arguments become \\d+)."""
    example = reverse(name, args=args)
    return "^" + re.sub(r"/1/", r"/\\d+/", re.escape(example).replace("\\/", "/")) + "$"


def _config() -> dict:
    assets = [static(a) for a in ASSETS]
    digest = hashlib.sha256("\n".join(assets).encode())
    if settings.DEBUG:
        # Unhashed names in development: the content itself must change the version.
        for asset in ASSETS:
            found = finders.find(asset)
            if found:
                with open(found, "rb") as handle:
                    digest.update(handle.read())
    home = resolve_url(settings.LOGIN_REDIRECT_URL)
    pages = [{"pattern": "^" + re.escape(home) + "$", "stripped": True}]
    pages += [{"pattern": _pattern(name, args), "stripped": stripped} for name, args, stripped in PAGES]
    return {
        "version": digest.hexdigest()[:16],
        "assets": assets,
        "staticUrl": static(""),
        "offline": reverse("pwa:offline"),
        "pages": pages,
        "blankForms": [reverse(name) for name, _permission in BLANK_FORMS],
        "groups": {group: _pattern(name, args) for group, (name, args) in GROUPS.items()},
    }


@cache_control(no_cache=True)
def service_worker(request):
    script = f"self.ELDERCARE = {json.dumps(_config())};\nimportScripts({json.dumps(static('js/sw.js'))});\n"
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": _("Basic elderly-care services"),
        "short_name": _("Elderly care"),
        "description": _("Visits, assessments and registrations, also without a network."),
        "start_url": resolve_url(settings.LOGIN_REDIRECT_URL),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f8f9fa",
        "theme_color": "#0d6efd",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@login_required
def offline(request):
    return render(request, "pwa/offline.html")


class LogoutView(auth_views.LogoutView):
    """Logout also tells the browser to drop what the worker app kept on the device (saved
    pages, the outbox, drafts, the service worker). offline.js clears them first as well,
    for browsers without Clear-Site-Data."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


urlpatterns = [
    path("sw.js", service_worker, name="service-worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("offline/", offline, name="offline"),
]
