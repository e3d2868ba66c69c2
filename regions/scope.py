"""Who is asking, as the region tree sees it: an account's role and region of responsibility.

The scoping itself (each model's declaration and the one `restrict`) is `core.scope`; this
module tells core who an account is (`resolve` is its principal resolver) and answers the
questions pages and exports ask about the account (its prefix, role, whether it sees personal
data).
"""

from __future__ import annotations

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


@principal_resolver
def resolve(user) -> Principal:
    from .models import StaffProfile

    profile = StaffProfile.objects.select_related("region").filter(user_id=user.pk).first()
    if profile is None:
        return Principal(prefix=None)
    return Principal(
        prefix=profile.region.prefix,
        role=profile.role,
        region_code=profile.region.code,
        profile=profile,
        ancestors=tuple(candidate_ancestor_codes(profile.region.code)),
    )


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
