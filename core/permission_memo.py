"""What is the same for every account holding the same permissions, computed once per process.

The portal's menu and the admin's list of apps show an entry wherever the account may open it,
so each depends on nothing but the account's permissions (and whether it is a superuser) and the
language. Every page carries one of them, and building it (a permission check and a URL per
entry) cost a tenth of a signed-in page or more. It is kept in the process, not the shared cache:
a new release starts new processes and never serves an entry that is gone, and an account whose
permissions change meets its new set's entries on its next page (the set is the key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.utils import translation

T = TypeVar("T")

_STORE: dict[tuple, object] = {}
_LIMIT = 1024  # distinct (what, permission set, language): a handful of roles, two languages


def per_permissions(what: str, user, build: Callable[[], T]) -> T:
    """`build()` for this account's permission set and the current language, built once."""
    held = ("*",) if user.is_superuser else tuple(sorted(user.get_all_permissions()))
    key = (what, translation.get_language(), user.is_staff, held)
    try:
        return _STORE[key]  # type: ignore[return-value]
    except KeyError:
        value = build()
        if len(_STORE) >= _LIMIT:
            _STORE.clear()
        _STORE[key] = value
        return value
