"""Who is asking, as the region tree sees it: an account's role and region of responsibility.

The scoping itself (each model's declaration and the one `restrict`) is `core.scope`; this
module tells core who an account is (`resolve` is its principal resolver) and answers the
questions pages and exports ask about the account (its prefix, role, whether it sees personal
data).
"""

from __future__ import annotations

from django.core.cache import cache

from core import versions
from core.scope import Principal, forget, principal, principal_resolver

from .choices import Role
from .roles import PERSONAL_DATA_ROLES
from .rules import candidate_ancestor_codes

__all__ = [
    "forget",
    "has_role",
    "account_prefix",
    "sees_personal_data",
    "staff_profile",
    "user_region_code",
    "user_role",
]


# Who an account is changes when its profile or a region is saved (each bumps this version:
# regions.signals), so the answer is kept in the cache between requests instead of a query on every
# page. SECONDS bounds how long an answer is kept even without a save, so that a write made behind
# the ORM's back (raw SQL, a queryset update elsewhere) is seen within it.
VERSION = "principals"
SECONDS = 300


@principal_resolver
def resolve(user) -> Principal:
    key = f"principal:{versions.current(VERSION)}:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = _load(user.pk)
        cache.set(key, found, SECONDS)
    prefix, role, region_code, profile, ancestors = found
    # A new Principal per request: what it learns during one (its bindings) stays in that request.
    return Principal(prefix=prefix, role=role, region_code=region_code, profile=profile, ancestors=ancestors)


def _load(user_id: int) -> tuple:
    from .models import StaffProfile

    profile = StaffProfile.objects.select_related("region").filter(user_id=user_id).first()
    if profile is None:
        return (None, None, None, None, ())
    code = profile.region.code
    return (profile.region.prefix, profile.role, code, profile, tuple(candidate_ancestor_codes(code)))


def principals_changed(**kwargs) -> None:
    """A profile or a region was saved or deleted: every account's scope is read afresh."""
    versions.bump(VERSION)


def account_prefix(user) -> str | None:
    """The code prefix a user may see: '' for everything, None for nothing."""
    return principal(user).prefix


def staff_profile(user):
    """The account's StaffProfile (with its region), loaded once per request with the scope."""
    return principal(user).profile


def user_role(user) -> str | None:
    return principal(user).role


def user_region_code(user) -> str | None:
    return principal(user).region_code


def has_role(user, *roles: Role) -> bool:
    return principal(user).role in {str(r) for r in roles}


def sees_personal_data(user) -> bool:
    """Whether lists and exports may show this user full ID numbers and phones."""
    who = principal(user)
    if who.everything:
        return True
    return who.role in {str(r) for r in PERSONAL_DATA_ROLES}
