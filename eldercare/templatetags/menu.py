"""The main menu's links: the same for every account with the same permissions, so rendered once
per process for each set and language (core.permission_memo)."""

from __future__ import annotations

from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import get_template

from core.permission_memo import per_permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    user = context["user"]
    return per_permissions(
        "menu",
        user,
        lambda: get_template("_menu.html").render({"perms": PermWrapper(user), "is_staff": user.is_staff}),
    )
