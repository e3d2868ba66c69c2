"""Write operations of the services app: each one transaction, checking permission and scope."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import conditions
from core.scope import in_scope, require
from elders.models import Elder
from policies.models import PolicySection
from policies.services import bureau_source, own_section, save_section

from . import catalogue as catalogues
from . import rules
from .choices import CatalogueStatus, FollowUpStatus, ItemCategory
from .models import Catalogue, CatalogueItem, FollowUp, Provider, Visit, VisitStatus
from .policy import CATALOGUE_SECTION, VisitSettings, apply_catalogue, visit_settings
from .policy import SECTION as VISITS_SECTION


@transaction.atomic
def record_visit(
    *,
    acting_user,
    elder: Elder,
    visited_at: datetime,
    method: str,
    outcome: str,
    problems: list[str] | None = None,
    notes: str = "",
    follow_up_by: date | None = None,
    follow_up_assignee=None,
) -> Visit:
    """Record a visit; each problem found opens a follow-up for the street, due by the date
    given (or the pack's default number of days) and assigned to someone if named."""
    if not acting_user.has_perm("services.add_visit"):
        raise PermissionDenied(_("You may not record visits."))
    require(acting_user, region=elder.residence_id)
    problems = list(dict.fromkeys(problems or []))
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    errors = rules.visit_errors(
        visit_day=timezone.localtime(visited_at).date(),
        today=timezone.localdate(),
        registered_on=elder.registered_on,
        death_date=elder.death_date,
        outcome=outcome,
        problems=problems,
    )
    if follow_up_by is not None and follow_up_by < timezone.localtime(visited_at).date():
        errors["follow_up_by"] = _("The follow-up date is before the visit.")
    if follow_up_assignee is not None and not in_scope(follow_up_assignee, elder.residence_id):
        errors["follow_up_assignee"] = _(
            "The person named for the follow-up does not cover this elder's region."
        )
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        elder=elder,
        visitor=acting_user,
        visited_at=visited_at,
        method=method,
        outcome=outcome,
        problems=problems,
        notes=notes,
    )
    visit.full_clean()
    visit._history_user = acting_user
    visit.save()
    _note_visit(visit, city_visit_settings(elder.residence_id))
    if problems:
        due = follow_up_by or (
            timezone.localtime(visited_at).date()
            + timedelta(days=visit_settings(elder.residence_id).follow_up_days)
        )
        # One open follow-up per elder and problem: a problem still being followed up is not
        # opened twice (the partial unique index settles two visits saved at the same moment).
        FollowUp.objects.bulk_create(
            [
                FollowUp(visit=visit, elder=elder, problem=p, due_on=due, assigned_to=follow_up_assignee)
                for p in problems
            ],
            ignore_conflicts=True,
        )
    return visit


def visit_follow_ups(visit: Visit) -> tuple[list[FollowUp], list[FollowUp]]:
    """What a recorded visit did about its problems: the follow-ups it opened, and those of
    its problems that were already open from an earlier visit (kept, not opened again)."""
    if not visit.problems:
        return [], []
    rows = list(
        FollowUp.objects.filter(elder_id=visit.elder_id, problem__in=visit.problems).filter(
            models.Q(visit_id=visit.pk) | models.Q(status=FollowUpStatus.OPEN)
        )
    )
    opened = [f for f in rows if f.visit_id == visit.pk]
    kept = [f for f in rows if f.visit_id != visit.pk]
    return opened, kept


# --- the stored visit status of each elder (the due list reads it) ------------------------------


def city_visit_settings(region_code: str) -> VisitSettings:
    """The visit rule of the elder's city, as the monthly roster uses it."""
    return visit_settings(region_code[:4].ljust(12, "0"))


def _note_visit(visit: Visit, settings: VisitSettings) -> None:
    """Keep the elder's last visit and last counted visit current as a visit is recorded."""
    status, _created = VisitStatus.objects.select_for_update().get_or_create(elder_id=visit.elder_id)
    changed = []
    if status.last_visit_at is None or visit.visited_at >= status.last_visit_at:
        status.last_visit_at, status.last_outcome = visit.visited_at, visit.outcome
        changed += ["last_visit_at", "last_outcome"]
    counted = visit.method in settings.counted_methods and visit.outcome in settings.counted_outcomes
    if counted and (status.last_counted_at is None or visit.visited_at > status.last_counted_at):
        status.last_counted_at = visit.visited_at
        changed.append("last_counted_at")
    if changed:
        status.save(update_fields=changed)


def note_target_group(elder: Elder, on: date | None = None) -> bool:
    """Re-check whether one elder is in the visit target group, after their facts changed."""
    from .selectors import target_group

    on = on or timezone.localdate()
    member = target_group(
        Elder.objects.filter(pk=elder.pk), city_visit_settings(elder.residence_id), on
    ).exists()
    VisitStatus.objects.bulk_create(
        [VisitStatus(elder_id=elder.pk, in_target_group=member)],
        update_conflicts=True,
        unique_fields=["elder"],
        update_fields=["in_target_group"],
    )
    return member


def note_target_groups(elders: models.QuerySet[Elder], on: date | None = None) -> dict[str, int]:
    """note_target_group for many files at once (a bulk load, an accepted list), as the nightly
    refresh_visit_status stores it: members get a row in the group, a file that left has its row
    taken out, a file never in the group needs none. Two statements per city whatever the number of
    files; only rows that change are written."""
    from .selectors import target_group

    on = on or timezone.localdate()
    cities = sorted(
        elders.annotate(city=models.functions.Substr("residence_id", 1, 4))
        .order_by()
        .values_list("city", flat=True)
        .distinct()
    )
    names = {"status": VisitStatus._meta.db_table, "elder": Elder._meta.db_table}
    out = {"joined": 0, "left": 0}
    with connection.cursor() as cursor:
        for city in cities:
            of_city = elders.filter(residence__code__startswith=city).order_by()
            members = target_group(of_city, city_visit_settings(city), on).order_by()
            member_sql, params = (
                members.annotate(member=models.F("pk")).values("member").query.sql_with_params()
            )
            cursor.execute(
                _JOIN_TARGET_GROUP.format(members=member_sql, **names),  # noqa: S608 - our own tables
                [True, *params],
            )
            out["joined"] += cursor.rowcount
            out["left"] += (
                VisitStatus.objects.filter(in_target_group=True, elder__in=of_city.values("pk"))
                .exclude(elder__in=members.values("pk"))
                .update(in_target_group=False)
            )
    return out


def _cities(under: str = "") -> list[str]:
    """The 4-digit codes of the cities that have files, those under a region's prefix alone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT substr(residence_id, 1, 4) FROM elders_elder")
        return sorted(r[0] for r in cursor.fetchall() if r[0].startswith(under[:4]))


_LAST_VISITS = """
INSERT INTO {status} (elder_id, in_target_group, last_visit_at, last_outcome, last_counted_at)
SELECT l.elder_id, %s, l.visited_at, l.outcome, l.counted_at FROM (
    SELECT v.elder_id, v.visited_at, v.outcome,
           max(CASE WHEN v.method IN ({methods}) AND v.outcome IN ({outcomes}) THEN v.visited_at END)
               OVER (PARTITION BY v.elder_id) AS counted_at,
           row_number() OVER (PARTITION BY v.elder_id ORDER BY v.visited_at DESC, v.id DESC) AS n
    FROM {visit} v JOIN {elder} e ON e.id = v.elder_id
    WHERE e.residence_id LIKE %s
) l WHERE l.n = 1
ON CONFLICT (elder_id) DO UPDATE SET
    last_visit_at = excluded.last_visit_at, last_outcome = excluded.last_outcome,
    last_counted_at = excluded.last_counted_at
WHERE {status}.last_visit_at {ne} excluded.last_visit_at OR {status}.last_outcome {ne} excluded.last_outcome
   OR {status}.last_counted_at {ne} excluded.last_counted_at
"""

_JOIN_TARGET_GROUP = """
INSERT INTO {status} (elder_id, in_target_group, last_outcome)
SELECT q.member, %s, '' FROM ({members}) q WHERE TRUE
ON CONFLICT (elder_id) DO UPDATE SET in_target_group = excluded.in_target_group
WHERE NOT {status}.in_target_group
"""


def refresh_visit_status(*, on: date | None = None, visits: bool = True, under: str = "") -> dict[str, int]:
    """Re-derive every elder's stored visit status, set-based, one city at a time: membership of
    the target group as of `on` (which moves with ages, assessments expiring and pack changes), and
    (with `visits`) the last and last counted visit from the visits themselves, so a bulk load or a
    changed counting rule is caught up. Only rows that change are written. `under` (a region's
    code prefix) limits it to the cities of that region.

    The nightly job runs it, and a changed pack or visit rule once committed (services.signals);
    the visit service and the registry keep it current in between."""
    from .selectors import target_group

    on = on or timezone.localdate()
    names = {
        "status": VisitStatus._meta.db_table,
        "visit": Visit._meta.db_table,
        "elder": Elder._meta.db_table,
        "ne": "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT",
    }
    out = {"joined": 0, "left": 0, "visits": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        for city in _cities(under):
            settings = city_visit_settings(city)
            if visits:
                methods, outcomes = settings.counted_methods or ("",), settings.counted_outcomes or ("",)
                sql = _LAST_VISITS.format(
                    methods=", ".join(["%s"] * len(methods)),
                    outcomes=", ".join(["%s"] * len(outcomes)),
                    **names,
                )
                cursor.execute(sql, [False, *methods, *outcomes, f"{city}%"])
                out["visits"] += cursor.rowcount
            members = target_group(Elder.objects.filter(residence__code__startswith=city), settings, on)
            member_sql, params = (
                members.annotate(member=models.F("pk")).values("member").query.sql_with_params()
            )
            cursor.execute(
                _JOIN_TARGET_GROUP.format(members=member_sql, **names),  # noqa: S608 - our own tables
                [True, *params],
            )
            out["joined"] += cursor.rowcount
            out["left"] += (
                VisitStatus.objects.filter(in_target_group=True, elder__residence__code__startswith=city)
                .exclude(elder__in=members.values("pk"))
                .update(in_target_group=False)
            )
    return out


@transaction.atomic
def close_follow_up(*, acting_user, follow_up: FollowUp, resolution: str) -> FollowUp:
    if not acting_user.has_perm("services.change_followup"):
        raise PermissionDenied(_("You may not close follow-ups."))
    follow_up = FollowUp.objects.select_for_update().select_related("elder").get(pk=follow_up.pk)
    require(acting_user, region=follow_up.elder.residence_id)
    if follow_up.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("This follow-up is already closed."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what was done.")})
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.resolution = resolution.strip()
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = acting_user
    follow_up._history_user = acting_user
    follow_up.save()
    return follow_up


# --- providers, caregivers, service records ---------------------------------------------------


def provider_of(user):
    """The provider a provider_staff account works for, or None."""
    from .models import ProviderStaff

    link = ProviderStaff.objects.select_related("provider").filter(user_id=user.pk).first()
    return link.provider if link else None


@transaction.atomic
def save_provider(*, acting_user, provider):
    """File a provider or change its file: the admin and the API write through here. The region it
    serves must lie in the account's region; its credit code is checked (GB 32100) by the model."""
    action = "change" if provider.pk else "add"
    require(acting_user, f"services.{action}_provider", region=provider.region_id)
    if provider.pk:
        # Moving a provider out of the account's region is as much a change as editing it there.
        require(acting_user, region=Provider.objects.values_list("region_id", flat=True).get(pk=provider.pk))
    own = provider_of(acting_user)
    if own is not None and own.pk != provider.pk:
        raise PermissionDenied(_("You change your own provider's file only."))
    provider.full_clean()
    provider.save()
    return provider


@transaction.atomic
def save_caregiver(*, acting_user, caregiver):
    """File a caregiver with a provider or change the file: the admin and the API write through
    here. The provider must be in the account's region, and a provider's staff file their own."""
    action = "change" if caregiver.pk else "add"
    require(acting_user, f"services.{action}_caregiver", region=caregiver.provider.region_id)
    own = provider_of(acting_user)
    if own is not None and own.pk != caregiver.provider_id:
        raise ValidationError({"provider": _("You file caregivers of your own provider only.")})
    caregiver.full_clean()
    caregiver.save()
    return caregiver


@transaction.atomic
def record_blacklisting(
    *, acting_user, provider, reason: str, starts_on, ends_on=None, warning_only: bool = False
):
    from .choices import CreditKind
    from .models import CreditRecord

    if not acting_user.has_perm("services.add_creditrecord"):
        raise PermissionDenied(_("You may not record credit events."))
    require(acting_user, region=provider.region_id)
    record = CreditRecord(
        provider=provider,
        kind=CreditKind.WARNING if warning_only else CreditKind.BLACKLIST,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=acting_user,
    )
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record


@transaction.atomic
def lift_credit_record(*, acting_user, record, ends_on: date, reason: str = ""):
    """End a warning or blacklisting on a day; the record and its reason stay on file."""
    from .models import CreditRecord

    if not acting_user.has_perm("services.change_creditrecord"):
        raise PermissionDenied(_("You may not change credit records."))
    record = CreditRecord.objects.select_for_update().select_related("provider").get(pk=record.pk)
    require(acting_user, region=record.provider.region_id)
    if ends_on < record.starts_on:
        raise ValidationError(
            {"ends_on": _("A record cannot end before it starts (%(d)s).") % {"d": record.starts_on}}
        )
    if record.ends_on is not None and record.ends_on <= ends_on:
        raise ValidationError({"ends_on": _("This record already ended on %(d)s.") % {"d": record.ends_on}})
    record.ends_on = ends_on
    if reason.strip():
        record.reason = f"{record.reason}\n{reason.strip()}"
    record._history_user = acting_user
    record.save(update_fields=["ends_on", "reason"])
    return record


@transaction.atomic
def record_service(
    *,
    acting_user,
    elder: Elder,
    kind: str,
    provider,
    started_at,
    duration_minutes: int,
    funding: str,
    amount,
    item=None,
    caregiver=None,
    notes: str = "",
):
    """Record a delivered service. Provider staff record only their own provider's services;
    a blacklisted provider gets no new records; the same service is not recorded twice."""
    from .models import ServiceRecord
    from .selectors import is_blacklisted

    if not acting_user.has_perm("services.add_servicerecord"):
        raise PermissionDenied(_("You may not record services."))
    require(acting_user, region=elder.residence_id)
    own = provider_of(acting_user)
    if own is not None and own.pk != provider.pk:
        raise ValidationError({"provider": _("You record services of your own provider only.")})
    if is_blacklisted(provider, timezone.localtime(started_at).date()):
        raise ValidationError(
            {"provider": _("%(p)s is blacklisted and cannot be given new service records.") % {"p": provider}}
        )
    if caregiver is not None and caregiver.provider_id != provider.pk:
        raise ValidationError({"caregiver": _("This caregiver does not work for %(p)s.") % {"p": provider}})
    if started_at > timezone.now():
        raise ValidationError({"started_at": _("A service cannot start in the future.")})
    if elder.death_date and timezone.localtime(started_at).date() > elder.death_date:
        # A service after death is how falsified records usually show: refuse it outright.
        raise ValidationError(
            {"started_at": _("The service is after the elder's death (%(d)s).") % {"d": elder.death_date}}
        )
    # The unique constraint cannot see duplicates whose item or caregiver is empty (NULLs differ
    # in SQL), so the same question is asked here with empty values compared as equal.
    if ServiceRecord.objects.filter(
        elder=elder, item=item, caregiver=caregiver, started_at=started_at
    ).exists():
        raise ValidationError(_("This service is already recorded (same elder, item, caregiver and start)."))
    record = ServiceRecord(
        elder=elder,
        item=item,
        kind=kind,
        provider=provider,
        caregiver=caregiver,
        started_at=started_at,
        duration_minutes=duration_minutes,
        funding=funding,
        amount=amount,
        notes=notes,
        recorded_by=acting_user,
    )
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record


# --- the visit rule a bureau sets (the pack's visits section at its region) ---------------------

VISIT_RULE_KEYS = ("target_group", "counted_methods", "counted_outcomes", "target_rate", "follow_up_days")


@transaction.atomic
def set_visit_rule(
    *,
    acting_user,
    region,
    target_group: dict,
    counted_methods: list[str],
    counted_outcomes: list[str],
    target_rate: int,
    follow_up_days: int,
) -> PolicySection:
    """The bureau's visit rule for its region: whom to visit, which visits count, the target rate
    and the days a problem's follow-up is due. Written as the region's own visits section (a copy
    of the one in force when it has none), through the policies' save (validated by the section's
    parser, with its history). A value the bureau changes is sourced as its reading, with who set
    it and when; the unchanged ones keep their documents' clauses."""
    require(acting_user, "policies.change_policysection", region=region.code)
    errors: dict[str, list[str]] = {}
    if not counted_methods:
        errors["counted_methods"] = [_("Visits counted: tick one way of visiting at least.")]
    if not counted_outcomes:
        errors["counted_outcomes"] = [_("Visits counted: tick one outcome at least.")]
    if not 1 <= target_rate <= 100:
        errors["target_rate"] = [_("Target rate: a percentage from 1 to 100.")]
    if not 1 <= follow_up_days <= 90:
        errors["follow_up_days"] = [_("Follow-up days: from 1 to 90.")]
    if errors:
        raise ValidationError(errors)
    row = own_section(region, VISITS_SECTION, missing=_("No visits section is loaded: load the national pack first."))
    data = json.loads(json.dumps(row.data))  # a deep copy: the stored row changes only on save
    new = {
        "target_group": target_group,
        "counted_methods": list(counted_methods),
        "counted_outcomes": list(counted_outcomes),
        "target_rate": target_rate,
        "follow_up_days": follow_up_days,
    }
    source = bureau_source(acting_user, "visit-rule page")
    for key, value in new.items():
        entry = data.get(key)
        old = entry.get("value") if isinstance(entry, dict) and "value" in entry else entry
        if old != value:
            data[key] = {"value": value, "source": source}
    row.data = data
    try:
        return save_section(row=row, acting_user=acting_user)
    except ValidationError as exc:
        messages_ = exc.message_dict.get("data", exc.messages) if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError({"target_group": messages_}) from exc


# --- the basic-service list a bureau edits (the pack's catalogue section at its region) ----------

ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
ITEM_TEXTS = {  # field -> longest text (the model's)
    "name": 200,
    "content": None,
    "standard": None,
    "standard_unit": 30,
    "department": 200,
    "application_path": None,
}
MAX_STANDARD_LEVEL = Decimal("9999999999.99")


def _listed(entry):
    return entry.get("value") if isinstance(entry, dict) and "value" in entry else entry


def _own_catalogue_section(region) -> PolicySection:
    """The region's own catalogue section, locked; a copy of the one in force above when it has
    none yet (titled for the region: the list of this level, covering the one above)."""
    row = own_section(region, CATALOGUE_SECTION, missing=_("No service list is loaded: load the national pack first."))
    if row.pk is None:  # a copy of the list above: this level's list from now on
        row.data["title"] = {
            "value": _("%(region)s basic elderly-care service list") % {"region": region.name},
            "source": {"basis": "reading", "note": "The list of this level, first written on the list page."},
        }
    return row


def _write_catalogue(row: PolicySection, region, acting_user) -> Catalogue:
    """Saved through the policies (the section's parser validates it, with its history), then the
    region's list rows written from it; refused while the list falls short of the one above."""
    try:
        save_section(row=row, acting_user=acting_user)
    except ValidationError as exc:
        messages_ = exc.message_dict.get("data", exc.messages) if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError({"target_group": messages_}) from exc
    written = apply_catalogue(region=region, data=row.data, acting_user=acting_user)
    if written.status != CatalogueStatus.PUBLISHED:
        gaps = catalogues.gaps(written)
        raise ValidationError(
            {
                "target_group": [
                    _("%(code)s %(name)s: %(gap)s")
                    % {"code": g["code"], "name": g["name"], "gap": rules.GAP_LABELS[g["kind"]]}
                    for g in gaps
                ]
                or [_("The list could not be published.")]
            }
        )
    return written


def _item_errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values.get("category") not in ItemCategory.values:
        errors["category"] = [_("Category: choose material help, care or caring services.")]
    if not (values.get("name") or "").strip():
        errors["name"] = [_("Name: give the service its name.")]
    for field, longest in ITEM_TEXTS.items():
        if longest and len(values.get(field) or "") > longest:
            errors[field] = [
                _("%(field)s: at most %(n)d characters.") % {"field": _field_label(field), "n": longest}
            ]
    level = values.get("standard_level")
    if level is not None and not Decimal(0) <= level <= MAX_STANDARD_LEVEL:
        errors["standard_level"] = [_("Standard level: a number of 0 or more.")]
    target = values.get("target_group")
    if not target:
        errors["target_group"] = [_("Whom the service is for: set one condition at least.")]
    else:
        try:
            conditions.validate(target, path=str(_("Whom the service is for")))
        except ValidationError as exc:
            errors["target_group"] = exc.messages
    return errors


def _field_label(field: str) -> str:
    return str(CatalogueItem._meta.get_field(field).verbose_name)


@transaction.atomic
def save_catalogue_item(*, acting_user, region, code: str, values: dict, new: bool) -> Catalogue:
    """Add an item to the list in force at the bureau's region, or change one: its category, name,
    target group (a condition), content, standard and level, department and how to apply. Written
    into the region's own catalogue section (a copy of the list above when it has none), the item
    sourced as the bureau's setting with who set it and when; the list is published again at once,
    and refused (nothing written) where it would fall short of the list above."""
    require(acting_user, "services.change_catalogue", region=region.code)
    code = (code or "").strip()
    errors = _item_errors(values)
    if not ITEM_CODE.match(code):
        errors["code"] = [
            _("Code: up to 20 letters, digits, '-', '_' or '.', as the list numbers its items.")
        ]
    if errors:
        raise ValidationError(errors)
    row = _own_catalogue_section(region)
    data = json.loads(json.dumps(row.data))
    entry = data.get("items")
    items = list(_listed(entry) or [])
    at = next((i for i, item in enumerate(items) if item.get("code") == code), None)
    if new and at is not None:
        raise ValidationError({"code": [_("The list already has an item %(code)s.") % {"code": code}]})
    if not new and at is None:
        raise ValidationError({"code": [_("The list has no item %(code)s.") % {"code": code}]})
    item = {"code": code, "category": values["category"], "name": values["name"].strip()}
    item["target_group"] = values["target_group"]
    for field in ("content", "standard", "standard_unit", "department", "application_path"):
        if (values.get(field) or "").strip():
            item[field] = values[field].strip()
    level = values.get("standard_level")
    if level is not None:
        item["standard_level"] = int(level) if level == level.to_integral_value() else str(level)
    item["source"] = bureau_source(acting_user, "service-list page")
    if at is None:
        items.append(item)
    else:
        items[at] = item
    source = entry.get("source") if isinstance(entry, dict) and "source" in entry else item["source"]
    data["items"] = {"value": items, "source": source}
    row.data = data
    return _write_catalogue(row, region, acting_user)


@transaction.atomic
def retire_catalogue_item(*, acting_user, region, code: str) -> Catalogue:
    """Take an item off the list in force at the bureau's region. An item the list above holds is
    refused (a lower level's list covers it); one that service records point at stays as a retired
    row, so the records keep it, and no elder is entitled to it any longer."""
    require(acting_user, "services.change_catalogue", region=region.code)
    above = catalogues.parent_catalogue(region.code)
    kept = above.items.filter(code=code, retired_on__isnull=True).first() if above else None
    if kept is not None:
        raise ValidationError(
            {
                "code": [
                    _("%(code)s %(name)s is on %(list)s: the list of this level must keep it.")
                    % {"code": code, "name": kept.name, "list": above.title}
                ]
            }
        )
    row = _own_catalogue_section(region)
    data = json.loads(json.dumps(row.data))
    entry = data.get("items")
    items = list(_listed(entry) or [])
    left = [item for item in items if item.get("code") != code]
    if len(left) == len(items):
        raise ValidationError({"code": [_("The list has no item %(code)s.") % {"code": code}]})
    source = (
        entry.get("source")
        if isinstance(entry, dict) and "source" in entry
        else {"basis": "reading", "note": ""}
    )
    data["items"] = {"value": left, "source": source}
    row.data = data
    return _write_catalogue(row, region, acting_user)
