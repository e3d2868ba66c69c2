"""The accounts' permissions, read from the cache instead of two joins on every request.

Django's ModelBackend reads a signed-in account's user and group permissions from the database on
the first permission check of each request; every page checks some (the menu alone asks for
sixteen), so those two joins were a quarter of what a signed-in page cost before its own work.
Here the set is cached under the "permissions" version: any change to who holds what (a group's
permissions, an account's groups or own permissions, a group or permission deleted) bumps it, so
a revoked right is refused on the next request, never served from the cache. Whether the account
is active and whether it is a superuser are still read from its row on each request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete

from core import versions

VERSION = "permissions"
# A bound on how long a set is kept even without a change, so that a write made behind the ORM's
# back (raw SQL on the auth tables) is seen within this many seconds.
SECONDS = 300


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"perms:{versions.current(VERSION)}:{user_obj.pk}"
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


def _changed(**kwargs) -> None:
    versions.bump(VERSION)


def connect() -> None:
    """Every way the ORM changes who holds which permission bumps the version."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for through in (Group.permissions.through, User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"eldercare.auth.{through.__name__}")
    for model in (Group, Permission):
        post_delete.connect(_changed, sender=model, dispatch_uid=f"eldercare.auth.delete.{model.__name__}")
