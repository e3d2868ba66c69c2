"""Reads of regions and staff accounts for the account pages, within the reader's scope."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core import versions
from core.scope import restrict

from . import scope
from .models import AccountEvent, Region
from .scope import account_prefix, user_region_code


def locked_out_q(username_ref) -> Exists:
    """Whether django-axes locks the username out now: as many failures as the limit within the
    cool-off period (axes counts per username and address; any such address locks the person out
    of their usual place of work, so any one counts)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return Exists(
        AccessAttempt.objects.filter(
            username=username_ref,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        )
    )


def staff_accounts(user, *, search: str = "", role: str = "") -> QuerySet:
    """Role accounts under the reader's region (never a superuser, never the reader's own), with
    their profile and whether they are locked out, in one query."""
    queryset = (
        restrict(get_user_model().objects.all(), user)
        .filter(is_superuser=False, staff_profile__isnull=False)
        .exclude(pk=user.pk)
        .select_related("staff_profile__region")
        .annotate(locked_out=locked_out_q(OuterRef("username")))
        .order_by("staff_profile__region_id", "username")
    )
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(staff_profile__certificate_number__icontains=search)
        )
    if role:
        queryset = queryset.filter(staff_profile__role=role)
    return queryset


def account_events(user, account) -> QuerySet[AccountEvent]:
    return restrict(AccountEvent.objects.filter(account=account), user).select_related("acted_by")[:50]


def region_children(user, parent: str | None) -> list[dict]:
    """The divisions directly under `parent` the reader may see (the picker's next list), or, with
    no parent, the top of the reader's own scope: its own region (a superuser: the provinces)."""
    regions = restrict(Region.objects.all(), user)
    if parent:
        regions = regions.filter(parent_id=parent)
    else:
        own = user_region_code(user)
        regions = regions.filter(code=own) if own else regions.filter(level="province")
    return [
        {"code": code, "name": name, "level": level}
        for code, name, level in regions.order_by("code").values_list("code", "name", "level")
    ]


def district_choices(user, chosen: str = "") -> list[tuple[str, str]]:
    """The districts in the user's scope, and the streets of the chosen region's district (all of
    them when the account is one district's or one street's): a city's two hundred streets are not
    all links on every admin page. Kept under the accounts' version, which every region save bumps,
    like who the account is: these are the same rows on every page of the admin's lists."""
    county = chosen[:6]  # a county's or a street's code starts with the county's six digits
    key = f"district-choices:{versions.current(scope.VERSION)}:{user.pk}:{county}"
    found = cache.get(key)
    if found is None:
        wanted = Q(level="county")
        if county:
            wanted |= Q(level="town", code__startswith=county)
        if len(account_prefix(user) or "") >= 6:
            wanted |= Q(level="town")  # one district's streets (or one street): few enough to list
        regions = (
            restrict(Region.objects.filter(wanted), user)
            .order_by("code")
            .values_list("code", "name", "level")
        )
        found = [(code, f"{'— ' if level == 'town' else ''}{name}") for code, name, level in regions]
        cache.set(key, found, scope.SECONDS)
    return found
