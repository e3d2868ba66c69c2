"""Read queries on the registry that pages, admin, API and exports share."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.scope import restrict

from . import rules
from .choices import Category, EconomicStatus, LivingArrangement
from .models import Elder

# Age bands offered by list filters: (key, min age, max age or None).
AGE_BANDS = (
    ("60-69", 60, 69),
    ("70-79", 70, 79),
    ("80-89", 80, 89),
    ("90-99", 90, 99),
    ("100+", 100, None),
)


def elders_in_scope(user) -> QuerySet[Elder]:
    return restrict(Elder.objects.select_related("residence"), user)


def cities_with_elders() -> list[str]:
    """The 4-digit codes of the cities that have elders on file (one index-only scan)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT substr(residence_id, 1, 4) FROM {Elder._meta.db_table}")
        return sorted(r[0] for r in cursor.fetchall())


def search(queryset: QuerySet[Elder], q: str) -> QuerySet[Elder]:
    """Free text as a worker types it: a whole ID number, the leading digits of one, a phone or
    its last four digits, pinyin initials (ZSF for 张三丰), or any part of a name."""
    q = (q or "").strip()
    if not q:
        return queryset
    upper = q.upper()
    if len(upper) == 18:
        return queryset.filter(id_number=upper)
    if q.isdigit():
        found = Q(phone=q) | Q(id_number__startswith=q)
        if len(q) == 4:
            found |= Q(phone__endswith=q)
        return queryset.filter(found)
    if q.isascii() and q.isalpha():
        # Each reading of the surname is one space-separated spelling (see rules.name_initials).
        return queryset.filter(Q(name_initials__startswith=upper) | Q(name_initials__contains=f" {upper}"))
    return queryset.filter(name__contains=q)


def age_band_q(min_age: int | None, max_age: int | None, on: date) -> Q:
    earliest, latest = rules.birth_date_bounds_for_age(min_age, max_age, on)
    q = Q()
    if latest is not None:
        q &= Q(birth_date__lte=latest)
    if earliest is not None:
        q &= Q(birth_date__gte=earliest)
    return q


def high_age_q(on: date) -> Q:
    """Elders at or over the 高龄 age of the pack in force where they live (registry.high_age).

    One age everywhere (the usual case) is one birth-date test; where packs differ, each pack's
    region gets its own age, the nearest pack winning, and the national age everywhere else.
    """
    from .policy import defaults, registry_ages

    ages = registry_ages()
    default = ages.pop("", defaults().high_age)
    if all(age == default for age in ages.values()):
        return age_band_q(default, None, on)
    q = Q(pk__in=[])
    deeper: list[str] = []
    for prefix in sorted(ages, key=len, reverse=True):
        here = Q(residence__code__startswith=prefix)
        for inner in deeper:
            if inner.startswith(prefix):
                here &= ~Q(residence__code__startswith=inner)
        q |= here & age_band_q(ages[prefix], None, on)
        deeper.append(prefix)
    elsewhere = Q()
    for prefix in deeper:
        elsewhere &= ~Q(residence__code__startswith=prefix)
    return q | (elsewhere & age_band_q(default, None, on))


def category_q(category: str, on: date) -> Q:
    """The database form of Elder.categories(): the same facts, one filter."""
    match Category(category):
        case Category.HIGH_AGE:
            return high_age_q(on)
        case Category.ALONE:
            return Q(living_arrangement=LivingArrangement.ALONE)
        case Category.EMPTY_NEST:
            return Q(living_arrangement=LivingArrangement.EMPTY_NEST)
        case Category.LEFT_BEHIND:
            return Q(is_left_behind=True)
        case Category.FAMILY_PLANNING_SPECIAL:
            return Q(is_family_planning_special=True)
        case Category.EXTREME_POVERTY | Category.DIBAO | Category.NEAR_DIBAO | Category.EXPENDITURE_HARDSHIP:
            return Q(economic_status=EconomicStatus(category))
        case Category.SEVERE_DISABILITY:
            return Q(disability_grade__in=(1, 2))
        case Category.CHILDLESS_WIDOWED:
            return Q(is_childless_widowed=True)
        case Category.VETERAN:
            return Q(is_veteran=True)
        case Category.SPECIAL_CONTRIBUTION:
            return Q(is_special_contribution=True)
    raise ValueError(category)


def file_history(elder: Elder, limit: int = 50, *, masked: bool = False) -> list[dict]:
    """Who changed what on a file, newest first: one query, diffs computed in memory.

    `masked` hides old and new ID numbers and phones as the page hides the current ones,
    otherwise a corrected number would leak through the history to roles that may not see it.
    """
    maskers = {"id_number": rules.mask_id_number, "phone": rules.mask_phone} if masked else {}
    records = list(elder.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    labels = {f.name: f.verbose_name for f in Elder._meta.fields}
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            changes = [
                {
                    "field": labels.get(c.field, c.field),
                    "old": maskers[c.field](c.old or "") if c.field in maskers else c.old,
                    "new": maskers[c.field](c.new or "") if c.field in maskers else c.new,
                }
                for c in delta.changes
                if c.field not in {"updated_at"}
            ]
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user.get_username() if newer.history_user else "",
                "kind": kinds.get(newer.history_type, newer.history_type),
                "changes": changes,
                "reason": newer.history_change_reason or "",
            }
        )
    return entries


def id_number_warnings(id_number: str) -> list[str]:
    """Facts worth a second look that do not make a number invalid.

    An address code that is not among today's counties is normal on older cards (counties
    merge and are renamed), so it is reported, never refused.
    """
    from regions.models import Region
    from regions.rules import pad_code

    address = (id_number or "")[:6]
    if len(address) != 6 or not address.isdigit():
        return []
    known = Region.objects.filter(code__in=[pad_code(address), pad_code(address[:4])]).values_list(
        "code", flat=True
    )
    if pad_code(address) in known:
        return []
    if not Region.objects.filter(code__startswith=address[:2]).exists():
        return []  # that province is not loaded here: nothing to compare with
    return [
        _(
            "The address code %(code)s of this ID number is not a current county code; "
            "old codes are normal on elders' cards, please check the other digits."
        )
        % {"code": address}
    ]
