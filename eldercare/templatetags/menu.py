"""The main menu's links, rendered once per process for each set of permissions and language.

The menu shows a link wherever the account may open the page, so it is the same for every
account holding the same permissions, and every signed-in page carries it: its sixteen checks
and twenty links cost a tenth of what a signed-in page took before its own work. It is kept in
the process, not in the shared cache, so a new release (new processes) never serves an old menu;
an account whose permissions change gets its new set's menu on its next page.
"""

from __future__ import annotations

from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import get_template
from django.utils import translation

register = template.Library()

_MENUS: dict[tuple, str] = {}
_LIMIT = 512  # distinct (permission set, language) pairs: a handful of roles, two languages


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    user = context["user"]
    held = ("*",) if user.is_superuser else tuple(sorted(user.get_all_permissions()))
    key = (translation.get_language(), user.is_staff, held)
    html = _MENUS.get(key)
    if html is None:
        html = get_template("_menu.html").render({"perms": PermWrapper(user), "is_staff": user.is_staff})
        if len(_MENUS) >= _LIMIT:
            _MENUS.clear()
        _MENUS[key] = html
    return html
