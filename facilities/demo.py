"""The demo city's facility network (温州 鹿城区 and the other demo streets).

One county centre run as 公建民营 with a wait-list, a comprehensive centre per demo street
(one still being built), day-care centres, stations and canteens in the communities,
mutual-aid points in the rural villages, private institutions holding the registry's
institution residents, star ratings, family care beds and household figures for the space
standard. Some fall short of Wenzhou's standards on purpose. Deterministic for a seed.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from elders.demo import demo_seeder, demo_villages
from elders.models import Elder
from regions.models import Region

from .models import (
    CommunityProfile,
    Facility,
    FamilyCareBed,
    Residency,
    StarRating,
    WaitlistEntry,
    WaitlistEvent,
)

COUNTY_CENTRE = "鹿城区养老服务中心"


def _facility(rng: random.Random, **values) -> Facility:
    opened = timezone.localdate() - timedelta(days=rng.randrange(200, 2500))
    values.setdefault("status", "operating")
    values.setdefault("status_since", opened)
    return Facility(**values)


def _reset(elder_filter: dict) -> None:
    on_elder = {f"elder__{k}": v for k, v in elder_filter.items()}
    WaitlistEvent.objects.filter(**{f"entry__elder__{k}": v for k, v in elder_filter.items()}).delete()
    WaitlistEntry.objects.filter(**on_elder).delete()
    Residency.objects.filter(**on_elder).delete()
    FamilyCareBed.objects.filter(**on_elder).delete()


@demo_seeder("facilities", order=40, reset=_reset)
@transaction.atomic
def seed_facilities(*, seed: int, elder_filter: dict) -> int:
    """Idempotent: the network is built once; residents, the wait-list and family care beds
    are added whenever the demo elders have none (after `seed_demo --reset`)."""

    from services.models import Provider

    from .policy import facility_settings
    from .services import tier_for

    rng = random.Random(seed + 29)
    today = timezone.localdate()
    operator = Provider.objects.filter(name="温州安康居家养老服务有限公司").first()
    canteen_operator = Provider.objects.filter(kind="canteen").first()
    villages = demo_villages()
    towns = sorted({v.code[:9] + "000" for v in villages})
    town_names = dict(Region.objects.filter(code__in=towns).values_list("code", "name"))
    existing = list(Facility.objects.filter(name=COUNTY_CENTRE))
    made: list[Facility] = (
        []
        if existing
        else [
            _facility(
                rng,
                name=COUNTY_CENTRE,
                kind="county_centre",
                ownership="public_private",
                operator=operator,
                region_id="330302023000",
                address="七都街道樟里路 88 号",
                land_area_mu=Decimal("16.5"),
                floor_area_m2=Decimal("9800"),
                beds=220,
                nursing_beds=140,
                caregivers=62,
                nurses=12,
                doctors=4,
                social_workers=3,
                managers=8,
                other_staff=15,
                functions=["full_time_care", "day_care", "meals", "rehab_nursing", "medical", "respite"],
                licence_number="330302-YL-2019-001",
                star=4,
            )
        ]
    )
    for i, town in enumerate(towns if made else ()):
        building = i == 3
        made.append(
            _facility(
                rng,
                name=f"{town_names.get(town, town)}综合养老服务中心",
                kind="street_centre",
                ownership=rng.choice(("public", "public_private", "public_private")),
                operator=operator if i % 2 == 0 else None,
                region_id=town,
                status="building" if building else "operating",
                land_area_mu=Decimal(rng.choice(("2.5", "3.2", "4.0"))),
                floor_area_m2=Decimal(rng.randrange(1500, 3200)),
                beds=rng.choice((40, 55, 60, 80)),
                nursing_beds=0 if building else rng.randrange(15, 40),
                caregivers=rng.randrange(6, 20),
                managers=2,
                other_staff=3,
                functions=["full_time_care", "day_care", "meals", "home_service"],
                star=None if building else rng.choice((2, 3, 3, 4)),
            )
        )
    for village in villages if made else ():
        rural = village.code[9:] >= "200" or village.code[6:9] >= "100"
        name = village.name
        if rural:
            if rng.random() < 0.6:
                made.append(
                    _facility(
                        rng,
                        name=f"{name}居家养老服务照料中心",
                        kind="mutual_aid",
                        ownership="public",
                        region_id=village.code,
                        floor_area_m2=Decimal(rng.choice((150, 220, 260, 320))),
                        beds=rng.choice((0, 4)),
                        managers=1,
                        functions=["meals", "activities"],
                    )
                )
            continue
        if rng.random() < 0.45:
            made.append(
                _facility(
                    rng,
                    name=f"{name}日间照料中心",
                    kind="day_care",
                    ownership=rng.choice(("public", "public_private")),
                    operator=operator if rng.random() < 0.5 else None,
                    region_id=village.code,
                    floor_area_m2=Decimal(rng.choice((250, 320, 380, 450))),
                    beds=rng.choice((8, 10, 12)),
                    caregivers=rng.randrange(1, 4),
                    managers=1,
                    functions=["day_care", "meals", "activities"],
                    star=rng.choice((None, 1, 2, 3)),
                )
            )
        if rng.random() < 0.5:
            made.append(
                _facility(
                    rng,
                    name=f"{name}居家养老服务站",
                    kind="station",
                    ownership="public",
                    region_id=village.code,
                    floor_area_m2=Decimal(rng.randrange(60, 200)),
                    other_staff=rng.choice((0, 1, 2)),
                    functions=["home_service", "activities"],
                )
            )
        if rng.random() < 0.3:
            made.append(
                _facility(
                    rng,
                    name=f"{name}老年食堂",
                    kind="canteen",
                    ownership="private",
                    operator=canteen_operator,
                    region_id=village.code,
                    floor_area_m2=Decimal(rng.randrange(80, 260)),
                    other_staff=3,
                    functions=["meals"],
                )
            )
    private = (("温州颐乐园养老院", "330302026000"), ("瓯海康宁护理院", "330304001000"))
    for i, (name, street) in enumerate(private if made else ()):
        made.append(
            _facility(
                rng,
                name=name,
                kind="nursing_home" if i == 0 else "medical_care",
                ownership="private",
                region_id=street,
                floor_area_m2=Decimal(rng.randrange(4000, 9000)),
                beds=rng.choice((120, 160)),
                nursing_beds=rng.randrange(50, 110),
                caregivers=rng.randrange(20, 40),
                nurses=6,
                doctors=2,
                managers=5,
                functions=["full_time_care", "rehab_nursing", "medical"],
                licence_number=f"330300-YL-202{i}-01{i}",
                star=rng.choice((3, 4, 5)),
            )
        )
    Facility.objects.bulk_create(made)
    _ratings(rng, made, today)
    if Residency.objects.filter(elder__in=Elder.objects.filter(**elder_filter)).exists():
        return len(made)
    made = list(Facility.objects.order_by("pk")) if not made else made
    _residents(rng, made, elder_filter, today)
    _waitlist(
        rng,
        next(f for f in made if f.name == COUNTY_CENTRE),
        elder_filter,
        today,
        tier_for,
        facility_settings,
    )
    _family_beds(rng, operator, elder_filter, today)
    _households(rng, villages)
    return len(made)


def _ratings(rng, facilities, today) -> None:
    StarRating.objects.bulk_create(
        StarRating(
            facility=f,
            star=f.star,
            rated_on=today - timedelta(days=rng.randrange(30, 700)),
            evaluator=rng.choice(("温州市民政局", "鹿城区民政局")),
            certificate=f"WZXJ-{f.pk:05d}",
        )
        for f in facilities
        if f.star
    )


def _residents(rng, facilities, elder_filter, today) -> None:
    """The registry's institution residents get a bed in a residential facility."""
    homes = [
        f
        for f in facilities
        if f.kind in ("county_centre", "nursing_home", "medical_care", "street_centre")
        and f.status == "operating"
    ]
    free = {f.pk: f.beds for f in homes}
    residents = Elder.objects.filter(status="registered", living_arrangement="institution", **elder_filter)
    rows = []
    for pk in residents.order_by("pk").values_list("pk", flat=True):
        options = [f for f in homes if free[f.pk] > 0]
        if not options:
            break
        home = rng.choice(options)
        free[home.pk] -= 1
        rows.append(
            Residency(
                facility=home,
                elder_id=pk,
                bed=f"{rng.randrange(1, 6)}{rng.randrange(1, 30):02d}-{rng.randrange(1, 3)}",
                admitted_on=today - timedelta(days=rng.randrange(10, 1500)),
            )
        )
    Residency.objects.bulk_create(rows)


def _waitlist(rng, centre, elder_filter, today, tier_for, facility_settings) -> None:
    settings = facility_settings("330302000000")
    pool = Elder.objects.filter(
        status="registered", residence__code__startswith="330302", **elder_filter
    ).exclude(living_arrangement="institution")
    # A queue that shows the tiers: 特困, poor families, entitled groups, everyone else.
    candidates = [
        *pool.filter(economic_status="extreme_poverty").order_by("pk")[:3],
        *pool.filter(economic_status__in=("dibao", "near_dibao"), disability_grade__gt=0).order_by("pk")[:3],
        *pool.filter(is_veteran=True).order_by("pk")[:2],
        *pool.filter(economic_status="ordinary").order_by("pk")[:10],
    ]
    candidates = list({e.pk: e for e in candidates}.values())  # an elder may be in two groups
    rng.shuffle(candidates)
    worker = get_user_model().objects.filter(username="worker").first()
    entries = []
    for elder in candidates[:18]:
        applied = today - timedelta(days=rng.randrange(5, 400))
        index, tier, why = tier_for(elder, applied, settings)
        entries.append(
            WaitlistEntry(
                facility=centre,
                elder=elder,
                applied_on=applied,
                tier=index,
                tier_code=tier.code,
                tier_reason=why,
                created_by=worker,
            )
        )
    WaitlistEntry.objects.bulk_create(entries)
    WaitlistEvent.objects.bulk_create(
        WaitlistEvent(entry=e, kind="applied", to_tier=e.tier, reason=e.tier_reason, by=worker)
        for e in entries
    )


def _family_beds(rng, operator, elder_filter, today) -> None:
    if operator is None:
        return
    elders = (
        Elder.objects.filter(status="registered", **elder_filter)
        .exclude(living_arrangement="institution")
        .filter(disability_grade__in=[1, 2])
        .order_by("pk")[:25]
    )
    FamilyCareBed.objects.bulk_create(
        FamilyCareBed(
            elder=e,
            provider=operator,
            set_up_on=today - timedelta(days=rng.randrange(20, 600)),
            equipment=rng.sample(
                ["nursing_bed", "handrails", "anti_slip", "call_device", "smart_monitor"], 3
            ),
            service_package=rng.choice(("失能照护包", "半失能照护包")),
            monthly_hours=Decimal(rng.choice((12, 16, 20))),
        )
        for e in elders
    )


def _households(rng, villages) -> None:
    """Households per community where the division data has none, and new/old estates."""
    missing = [v for v in villages if v.households is None]
    for v in missing:
        v.households = rng.randrange(600, 4000)
    Region.objects.bulk_update(missing, ["households"], batch_size=1000)
    CommunityProfile.objects.bulk_create(
        [
            CommunityProfile(region=v, estate=rng.choice(("new", "old", "old")), population=None)
            for v in villages
        ],
        ignore_conflicts=True,
    )
