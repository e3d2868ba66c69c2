"""The admin's sidebar: the same list of apps and models for every account with the same
permissions, so rendered once per process for each set, language and current model
(core.permission_memo). For a superuser it is every model of the portal, and rendering it was
about 18 of the 58 ms of the admin's elder list at 200,000 elders."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from core.permission_memo import per_permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_sidebar_apps(context) -> SafeString:
    request, apps = context["request"], context.get("available_apps") or []
    # Django's app_list.html marks every app and model whose URL is part of the page's path (its
    # `url in request.path|urlencode`): the marked ones are part of the key.
    path = urlencode(request.path)
    current = tuple(
        url
        for app in apps
        for url in (app["app_url"], *(m.get("admin_url") for m in app["models"]))
        if url and url in path
    )
    return mark_safe(  # noqa: S308 - rendered by Django's own autoescaping template
        per_permissions(
            f"admin sidebar {current}",
            request.user,
            lambda: get_template("admin/app_list.html").render(
                {"app_list": apps, "show_changelinks": False, "request": request}
            ),
        )
    )
