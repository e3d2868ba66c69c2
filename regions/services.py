"""Write operations on regions and staff accounts."""

from __future__ import annotations

import csv
import gzip
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from core.scope import in_scope
from eldercare.clients import client_address
from eldercare.models import revoke_tokens

from .choices import Level, Role
from .models import AccountAction, AccountEvent, Department, Region, StaffProfile
from .roles import ADMIN_ROLES, ROLE_LEVEL_ERROR, ROLE_LEVELS
from .rules import kind_of_town, kind_of_village, pad_code
from .scope import principals_changed

DATA_DIR = Path(settings.BASE_DIR) / "data" / "regions"

# (file stem, level, column holding the parent's significant code)
_FILES = (
    ("provinces", Level.PROVINCE, None),
    ("cities", Level.CITY, "provinceCode"),
    ("areas", Level.COUNTY, "cityCode"),
    ("streets", Level.TOWN, "areaCode"),
    ("villages", Level.VILLAGE, "streetCode"),
)


@dataclass
class LoadResult:
    created: int
    updated: int
    by_level: dict[str, int]


def _open_csv(source: Path, stem: str) -> Iterator[dict[str, str]] | None:
    for name, opener in ((f"{stem}.csv.gz", gzip.open), (f"{stem}.csv", open)):
        path = source / name
        if path.exists():
            with opener(path, "rt", encoding="utf-8", newline="") as fh:
                yield from csv.DictReader(io.StringIO(fh.read()))
            return
    return None


def _wanted(code: str, prefix: str) -> bool:
    # A row is wanted when it is under the prefix, or is one of the prefix's ancestors.
    return code.startswith(prefix) or prefix.startswith(code)


def load_regions(*, prefix: str = "", source: Path | None = None) -> LoadResult:
    """Load (create or update) the divisions under a code prefix, with their ancestors.

    Idempotent. Codes are stored padded to 12 digits. A record whose padded code equals its
    parent's (东莞 441900 under city 4419) is folded into the parent: its children hang
    directly under the city, as the statistics office publishes them.
    """
    if prefix and (not prefix.isdigit() or len(prefix) > 12):
        raise ValidationError(_("A region prefix is 1 to 12 digits."))
    source = source or DATA_DIR
    rows: dict[str, dict] = {}
    alias: dict[str, str] = {}  # folded padded code -> the padded code that replaces it
    for stem, level, parent_col in _FILES:
        for rec in _open_csv(source, stem) or ():
            significant = rec["code"].strip()
            if not _wanted(significant, prefix):
                continue
            code = pad_code(significant)
            parent = pad_code(rec[parent_col].strip()) if parent_col else None
            parent = alias.get(parent, parent)
            if parent == code or code in rows:
                alias[code] = parent or code
                continue
            kind = ""
            if level == Level.VILLAGE:
                kind = kind_of_village(code)
            elif level == Level.TOWN:
                kind = kind_of_town(code)
            rows[code] = {
                "code": code,
                "name": rec["name"].strip(),
                "level": level,
                "parent_id": parent,
                "kind": kind,
            }
    if not rows:
        raise ValidationError(
            _("No divisions under %(prefix)s in %(source)s.") % {"prefix": prefix, "source": source}
        )
    existing = set(Region.objects.filter(code__in=list(rows)).values_list("code", flat=True))
    order = list(Level.values)
    objs = [Region(**r) for r in sorted(rows.values(), key=lambda r: (order.index(r["level"]), r["code"]))]
    with transaction.atomic():
        Region.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent", "kind"],
        )
    by_level: dict[str, int] = {}
    for r in rows.values():
        by_level[r["level"]] = by_level.get(r["level"], 0) + 1
    return LoadResult(created=len(rows) - len(existing), updated=len(existing), by_level=by_level)


@dataclass
class StaffAccount:
    """A checked request to create or change a staff account (what create_staff will write)."""

    username: str
    role: str
    region: Region
    user: object | None  # the existing account, or None for a new one


def _may_manage(acting_user, *, user, region: Region) -> None:
    """Refuse an account change the acting user may not make.

    No role account can make or touch a superuser, manage accounts outside its own region,
    or change its own role and region (that would be self-escalation); staff status, groups
    and permissions always follow the role (regions/roles.py) and are never set by hand.
    """
    if acting_user is None or acting_user.is_superuser:
        return
    needed = "regions.change_staffprofile" if user is not None else "regions.add_staffprofile"
    if not acting_user.has_perm(needed):
        raise PermissionDenied(_("You may not manage staff accounts."))
    if user is not None:
        if user.is_superuser:
            raise PermissionDenied(_("A superuser's account can only be changed by a superuser."))
        if user.pk == acting_user.pk:
            raise PermissionDenied(_("You may not change your own role or region of responsibility."))
        current = StaffProfile.objects.filter(user=user).select_related("region").first()
        if current is None or not in_scope(acting_user, current.region_id):
            raise PermissionDenied(_("This account is outside your region of responsibility."))
    if not in_scope(acting_user, region.code):
        raise ValidationError({"region": _("This region is outside your region of responsibility.")})


def check_staff_account(
    *,
    username: str,
    role: str,
    region_code: str,
    password: str | None,
    certificate_number: str = "",
    acting_user=None,
) -> StaffAccount:
    """Validate an account request without writing anything (forms call it to show errors)."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    code = (
        region_code
        if len(region_code) == 12
        else (pad_code(region_code) if region_code.isdigit() else region_code)
    )
    region = Region.objects.filter(code=code).first()
    if region is None:
        parent = code[:9] if code.isdigit() else ""
        nearby = list(
            Region.objects.filter(code__startswith=parent[:6], level="village").values_list("code", "name")[
                :5
            ]
        )
        hint = "; ".join(f"{c} {n}" for c, n in nearby)
        raise ValidationError(
            {
                "region": _(
                    "Region %(code)s is not loaded (or is not a statistics division code); "
                    "load it with 'python manage.py load_regions'. Loaded codes nearby: %(hint)s"
                )
                % {"code": region_code, "hint": hint or "-"}
            }
        )
    levels = ROLE_LEVELS[Role(role)]
    if region.level not in levels:
        raise ValidationError(
            {
                "region": ROLE_LEVEL_ERROR
                % {"role": Role(role).label, "levels": ", ".join(str(Level(v).label) for v in levels)}
            }
        )
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    _may_manage(acting_user, user=user, region=region)
    if role == Role.ASSESSOR and not certificate_number:
        existing = (
            StaffProfile.objects.filter(user__username=username)
            .values_list("certificate_number", flat=True)
            .first()
        )
        if not existing:
            raise ValidationError(
                {"certificate_number": _("An assessor needs a certificate number (--certificate).")}
            )
    if user is None and not password:
        raise ValidationError({"password": _("A new account needs a password.")})
    if password:
        try:
            password_validation.validate_password(password, user or User(username=username))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    return StaffAccount(username=username, role=role, region=region, user=user)


@transaction.atomic
def create_staff(
    *,
    username: str,
    role: str,
    region_code: str,
    password: str | None,
    certificate_number: str = "",
    full_name: str = "",
    is_active: bool = True,
    department: str | None = None,
    acting_user=None,
    temporary_password: bool = False,
) -> tuple[StaffProfile, bool]:
    """Create a staff account (or update the existing one of that username).

    The one write path for accounts: the command, the user admin and the staff-profile admin
    call it. Staff status and the group follow the role. `department` names the responsible
    unit of the account's own division it reports for ('' removes it, None keeps it). Returns
    the profile and whether the account was created. With `temporary_password` the password
    set is one an administrator hands over: the next sign-in must change it.
    """
    account = check_staff_account(
        username=username,
        role=role,
        region_code=region_code,
        password=password,
        certificate_number=certificate_number,
        acting_user=acting_user,
    )
    unit = _department(account.region, department) if department else None
    User = get_user_model()
    user = account.user
    created = user is None
    if created:
        user = User(username=username)
    if full_name:
        user.first_name = full_name
    if password:
        user.set_password(password)
    user.is_staff = Role(role) in ADMIN_ROLES
    user.is_active = is_active
    user.save()
    profile = StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)
    profile.role = role
    profile.region = account.region
    if certificate_number:
        profile.certificate_number = certificate_number
    if department is not None:
        profile.department = unit
    if password:
        profile.must_change_password = temporary_password
    if acting_user is not None:
        profile._history_user = acting_user
    profile.full_clean()
    profile.save()
    user.groups.set(Group.objects.filter(name=role))
    if acting_user is not None:
        _record(
            user,
            account.region,
            AccountAction.CREATED if created else AccountAction.CHANGED,
            acting_user,
            detail=f"{Role(role).label} {account.region.name}",
        )
    if not created and (password or not is_active):
        # A reset password or a deactivated account ends the API tokens issued before.
        revoke_tokens(user=user)
    return profile, created


def _department(region: Region, name: str) -> Department:
    """The unit of this name in the division, or a message listing the division's units."""
    found = Department.objects.filter(region=region, name=name.strip()).first()
    if found is None:
        known = list(Department.objects.filter(region=region).values_list("name", flat=True)[:30])
        raise ValidationError(
            {
                "department": _("%(division)s has no unit named %(name)s; its units: %(known)s.")
                % {"division": region.name, "name": name, "known": "、".join(known) or "-"}
            }
        )
    return found


def check_may_manage(acting_user, *, user) -> None:
    """Refuse (PermissionDenied) when acting_user may not change this existing account."""
    if acting_user is None or acting_user.is_superuser:
        return
    profile = StaffProfile.objects.filter(user=user).select_related("region").first()
    if profile is None or user.is_superuser:
        raise PermissionDenied(_("A superuser's account can only be changed by a superuser."))
    _may_manage(acting_user, user=user, region=profile.region)


@transaction.atomic
def set_staff_password(*, user, password: str | None, acting_user=None) -> None:
    """Set (or, with None, disable) an account's password: an administrator's reset.

    The guard is the same as create_staff's; the caller's own password change goes
    through Django's password-change view, which asks for the old password.
    """
    if acting_user is not None and user.pk != acting_user.pk:
        check_may_manage(acting_user, user=user)
    if password is None:
        user.set_unusable_password()
    else:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    revoke_tokens(user=user)


# Letters and digits a person reads out or copies without mistaking one for another (no 0/O, 1/l/I).
_TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 12


def temporary_password() -> str:
    """A random password to hand over once; it has letters and digits, so the validators pass."""
    while True:
        value = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _i in range(TEMPORARY_LENGTH))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _record(user, region: Region, action: str, acting_user, *, detail: str = "") -> AccountEvent:
    """One entry of the account trail, with the address of the request being served (if any)."""
    request = getattr(HistoricalRecords.context, "request", None)
    acted_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return AccountEvent.objects.create(
        account=user,
        region=region,
        action=action,
        acted_by=acted_by,
        address=client_address(request) if request is not None else None,
        detail=str(detail)[:200],
    )


def _managed_profile(acting_user, user) -> StaffProfile:
    """The account's profile, once the acting user is shown to be allowed to manage it."""
    if acting_user is not None and user.pk == acting_user.pk:
        raise PermissionDenied(_("You may not reset your own account; change your password instead."))
    check_may_manage(acting_user, user=user)
    profile = StaffProfile.objects.select_related("region").filter(user=user).first()
    if profile is None:
        raise PermissionDenied(_("A superuser's account can only be changed by a superuser."))
    return profile


@transaction.atomic
def issue_temporary_password(*, user, acting_user) -> str:
    """An administrator's password reset as a bureau does it: a random temporary password, shown
    once to the administrator, that the owner must change at the next sign-in. The old password
    and every API token stop working at once; the reset is on the account's trail."""
    profile = _managed_profile(acting_user, user)
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    profile.must_change_password = True
    if acting_user is not None:
        profile._history_user = acting_user
    profile.save(update_fields=["must_change_password"])
    revoke_tokens(user=user)
    _record(user, profile.region, AccountAction.PASSWORD_RESET, acting_user)
    return password


@transaction.atomic
def reset_lockout(*, user, acting_user) -> int:
    """Lift the sign-in lock-out of an account (django-axes counts failures per username and
    address): every failed attempt recorded for the username is forgotten. How many records
    were dropped; the act is on the account's trail."""
    profile = _managed_profile(acting_user, user)
    dropped, _detail = AccessAttempt.objects.filter(username=user.get_username()).delete()
    _record(user, profile.region, AccountAction.LOCKOUT_RESET, acting_user)
    return dropped


def password_changed(*, user) -> None:
    """The owner chose a password of their own: a temporary one no longer has to be changed."""
    if StaffProfile.objects.filter(user=user, must_change_password=True).update(must_change_password=False):
        principals_changed()  # the cached profile carries the flag


def ensure_departments(units: list[tuple[str, str, str]]) -> dict[tuple[str, str], Department]:
    """Make sure every (division code, name, kind) unit exists; returns them by (code, name).

    Policy packs name their responsible units (市民政局, 咸安区人民政府); loading a pack creates
    the ones missing, in one insert, and leaves existing ones (and the accounts on them) alone.
    """
    wanted = {(code, name): kind for code, name, kind in units}
    codes = {code for code, _name in wanted}
    existing = {
        (d.region_id, d.name): d
        for d in Department.objects.filter(region_id__in=codes, name__in={n for _c, n in wanted})
    }
    missing = [
        Department(region_id=code, name=name, kind=kind)
        for (code, name), kind in wanted.items()
        if (code, name) not in existing
    ]
    for unit in missing:
        unit.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(missing, Department, ignore_conflicts=True)
    if missing:
        existing = {
            (d.region_id, d.name): d
            for d in Department.objects.filter(region_id__in=codes, name__in={n for _c, n in wanted})
        }
    return {key: existing[key] for key in wanted}
