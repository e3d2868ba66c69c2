"""The one region-scoping helper. Admin, pages, API, exports and reports all call it.

Every scoped model names, in `scope_field`, the path to the region it belongs to; because
a region's key is its 12-digit code, "everything under this street" is one indexed
`startswith` on that code.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .choices import Role
from .roles import PERSONAL_DATA_ROLES

_CACHE_ATTR = "_eldercare_scope"


class _Scope:
    __slots__ = ("prefix", "role", "region_code", "profile")

    def __init__(self, prefix: str | None, role: str | None, region_code: str | None, profile=None):
        self.prefix = prefix
        self.role = role
        self.region_code = region_code
        self.profile = profile


_NOTHING = _Scope(prefix=None, role=None, region_code=None)
_EVERYTHING = _Scope(prefix="", role=None, region_code=None)


def _scope(user) -> _Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = _EVERYTHING
    else:
        from .models import StaffProfile

        profile = StaffProfile.objects.select_related("region").filter(user_id=user.pk).first()
        scope = (
            _Scope(profile.region.prefix, profile.role, profile.region.code, profile) if profile else _NOTHING
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def scope_prefix(user) -> str | None:
    """The code prefix a user may see: '' for everything, None for nothing."""
    return _scope(user).prefix


def staff_profile(user):
    """The account's StaffProfile (with its region), loaded once per request with the scope."""
    return _scope(user).profile


def user_role(user) -> str | None:
    return _scope(user).role


def user_region_code(user) -> str | None:
    return _scope(user).region_code


def has_role(user, *roles: Role) -> bool:
    return _scope(user).role in {str(r) for r in roles}


def restrict(queryset: QuerySet, user) -> QuerySet:
    """Only the rows under the user's region of responsibility."""
    prefix = scope_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    lookup = getattr(queryset.model, "scope_lookup", None)
    if lookup is not None:
        return queryset.filter(**{lookup: prefix})
    # A model whose rows belong to one of several kinds of owner (a subsidy entitlement of an
    # elder, a facility or a caregiver) names each path in `scope_fields`: a row is in scope when
    # the path it has is.
    fields = getattr(queryset.model, "scope_fields", None) or (queryset.model.scope_field,)
    q = Q()
    for field in fields:
        q |= Q(**{"code__startswith" if field == "code" else f"{field}__code__startswith": prefix})
    return queryset.filter(q)


def in_scope(user, region_code: str) -> bool:
    prefix = scope_prefix(user)
    return prefix is not None and region_code.startswith(prefix)


def sees_personal_data(user) -> bool:
    """Whether lists and exports may show this user full ID numbers and phones."""
    scope = _scope(user)
    if scope is _EVERYTHING:
        return True
    return scope.role in {str(r) for r in PERSONAL_DATA_ROLES}


def forget(user) -> None:
    """Drop the cached scope (after the user's profile changed in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
