"""Reads of the exchanges: the log, an exchange's rows, what a proposal says, the report after it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import Grade, RecognisedSource
from core.scope import restrict
from elders.choices import EconomicStatus
from elders.rules import mask_id_number
from regions.models import Region
from regions.scope import sees_personal_data

from .choices import Change, Decision
from .models import Exchange, ExchangeRow

ROWS_ON_PAGE = 1_000


def exchanges_in_scope(user) -> QuerySet[Exchange]:
    return restrict(Exchange.objects.select_related("region", "received_by"), user)


def rows_in_scope(user, exchange: Exchange) -> QuerySet[ExchangeRow]:
    return restrict(ExchangeRow.objects.filter(exchange=exchange), user).order_by("line")


def shown_id_number(user, number: str) -> str:
    return number if sees_personal_data(user) else mask_id_number(number)


def describe(row: ExchangeRow) -> str:
    """The proposed change in words."""
    p = row.proposal
    if row.change == Change.DECEASED:
        return _("Deceased on %(d)s") % {"d": p["on"]}
    if row.change == Change.MOVED_AWAY:
        return _("Moved away on %(d)s") % {"d": p["on"]}
    if row.change == Change.ECONOMIC_STATUS:
        return _("Economic status %(s)s from %(d)s") % {
            "s": EconomicStatus(p["status"]).label,
            "d": p["since"],
        }
    if row.change == Change.DISABILITY_GRADE:
        return _("Disability grade %(g)s (certificate %(c)s, %(k)s)") % {
            "g": p["grade"],
            "c": p["certificate"],
            "k": p["kind"],
        }
    if row.change == Change.RESIDENCE:
        return _("Moved into %(c)s on %(d)s") % {"c": p.get("community_name", p["community"]), "d": p["on"]}
    if row.change == Change.RECOGNISED_RESULT:
        return _("Ability result %(g)s of %(s)s, assessed %(a)s, valid until %(v)s") % {
            "g": Grade(int(p["grade"])).label,
            "s": RecognisedSource(p["source"]).label,
            "a": p["assessed_on"],
            "v": p["valid_until"],
        }
    if row.change == Change.REGISTER:
        text = _("New file in %(c)s") % {"c": p.get("community_name", p["community"])}
        if p.get("economic_status"):
            text += " · " + str(EconomicStatus(p["economic_status"]).label)
        if p.get("disability_grade"):
            text += " · " + _("disability grade %(g)s") % {"g": p["disability_grade"]}
        return text
    return ""


def row_view(user, row: ExchangeRow) -> dict:
    """One row as pages and the API show it: the ID number masked for roles without the right."""
    return {
        "id": row.pk,
        "line": row.line,
        "id_number": shown_id_number(user, row.id_number) if len(row.id_number) == 18 else row.id_number,
        "name": row.name,
        "outcome": row.outcome,
        "outcome_display": row.get_outcome_display(),
        "reason": row.reason,
        "errors": row.errors,
        "elder": row.elder_id,
        "region": row.region_id,
        "change": row.change,
        "change_display": describe(row),
        "decision": row.decision,
        "decision_display": row.get_decision_display() if row.decision else "",
        "comment": row.comment,
        "apply_error": row.apply_error,
    }


def report(user, exchange: Exchange) -> dict:
    """After an exchange: of the elders its accepted rows touched, who now qualifies for a scheme
    without an entitlement (应享未享) and who is still paid but should no longer be, per street.
    One query per scheme in force, whatever the size of the list."""
    from subsidies.choices import EntitlementStatus
    from subsidies.models import Entitlement, Scheme
    from subsidies.selectors import no_longer_eligible, unclaimed

    today = timezone.localdate()
    touched = restrict(
        ExchangeRow.objects.filter(exchange=exchange, decision=Decision.ACCEPTED, elder__isnull=False), user
    ).values("elder_id")
    unmasked = sees_personal_data(user)
    eligible: list[dict] = []
    stop: list[dict] = []
    schemes = Scheme.objects.filter(active=True, beneficiary="elder").select_related("region")
    for scheme in schemes:
        for elder in unclaimed(scheme, today).filter(pk__in=touched).select_related("residence"):
            eligible.append(_person(elder, scheme, unmasked))
        for ent in (
            no_longer_eligible(scheme, today).filter(elder_id__in=touched).select_related("elder__residence")
        ):
            stop.append(_person(ent.elder, scheme, unmasked))
    # Reported dead or gone but not yet stopped (the next roll stops them): still paid until then.
    for ent in (
        Entitlement.objects.filter(elder_id__in=touched, elder__status__in=("deceased", "moved"))
        .exclude(status=EntitlementStatus.STOPPED)
        .select_related("elder__residence", "scheme")
    ):
        stop.append(_person(ent.elder, ent.scheme, unmasked))
    towns = {r.code: r.name for r in Region.objects.filter(code__in={p["town"] for p in eligible + stop})}
    by_town: dict[str, dict] = {}
    for key, rows in (("eligible", eligible), ("stop", stop)):
        seen = set()
        for p in rows:
            if (p["elder"], p["scheme"]) in seen:
                continue
            seen.add((p["elder"], p["scheme"]))
            town = by_town.setdefault(
                p["town"],
                {"region": p["town"], "name": towns.get(p["town"], p["town"]), "eligible": [], "stop": []},
            )
            town[key].append(p)
    return {"regions": [by_town[k] for k in sorted(by_town)], "eligible": len(eligible), "stop": len(stop)}


def _person(elder, scheme, unmasked: bool) -> dict:
    return {
        "elder": elder.pk,
        "name": elder.name,
        "id_number": elder.id_number if unmasked else mask_id_number(elder.id_number),
        "community": elder.residence.name,
        "town": elder.residence_id[:9] + "000",
        "scheme": scheme.code,
        "scheme_name": scheme.name,
    }


def loads_in_scope(user):
    from .models import BulkLoad

    return restrict(BulkLoad.objects.select_related("region", "created_by"), user)
