"""The deterministic demo city: Wenzhou (3303) with its real divisions, elders and staff.

Everything is derived from one seed, so two runs build the same city. Elders are written
with bulk inserts (COPY on PostgreSQL), never one save per row, so a million takes minutes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core.registry import registry
from policies.services import load_policy_pack
from regions.models import Region
from regions.services import create_staff, load_regions

from .choices import EconomicStatus, LivingArrangement, Relation, Sex, Status
from .models import Elder, ElderContact
from .rules import check_character, name_initials

DEMO_PASSWORD = "Wenzhou-demo-2026"
DEMO_TAG = "[demo]"  # marks demo files in notes, so a re-run knows what it made

# Real streets of 鹿城区 / 龙湾区 / 瓯海区 whose communities receive the demo elders,
# plus 藤桥镇, a rural town whose villages have left-behind elders.
DEMO_TOWNS = (
    "330302006",  # 五马街道
    "330302026",  # 松台街道
    "330302023",  # 七都街道
    "330302024",  # 滨江街道
    "330302102",  # 藤桥镇 (rural)
    "330303001",  # 龙湾区 永中街道
    "330304",  # 瓯海区: every street and town
)

STAFF = (
    # username, role, region, extra
    ("city", "city_admin", "330300000000", {"department": "市民政局"}),
    ("district", "district_officer", "330302000000", {"department": "鹿城区人民政府"}),
    ("street", "street_officer", "330302006000", {}),
    ("worker", "community_worker", "330302006044", {}),
    ("worker2", "community_worker", "330302006045", {}),
    ("assessor", "assessor", "330302000000", {"certificate_number": "WZ-PG-2024-0001"}),
    ("assessor2", "assessor", "330302000000", {"certificate_number": "WZ-PG-2024-0002"}),
    ("leader", "leader", "330300000000", {}),
    ("provider", "provider_staff", "330302000000", {}),
    # The account of 市卫健委, a responsible unit of the pack's plan tasks (its region: the city).
    ("health", "department_staff", "330300000000", {"department": "市卫健委"}),
)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
_GIVEN_MALE = "国建华明伟德志文永福金海平兴荣忠宝庆春林成军强祥发新昌良正生顺清才富"
_GIVEN_FEMALE = "秀英兰珍桂芳玉凤梅琴丽花淑霞云华翠菊香月萍红艳燕素娟芬莲爱"
_COUNTY_CODES = ("330302", "330303", "330304", "330322", "330324", "330381", "330382", "330321")
_STREET_WORDS = (
    "解放街",
    "公园路",
    "信河街",
    "府前街",
    "墨池路",
    "百里路",
    "人民路",
    "学院路",
    "蝉街",
    "五马街",
)


@dataclass
class SeedResult:
    elders: int
    seconds: float
    staff: list[tuple[str, str, str]]


def _age(rng: random.Random) -> int:
    """Ages 60-105 skewed like a real registry: many young-old, few centenarians."""
    while True:
        age = 60 + int(rng.expovariate(1 / 11))
        if age <= 105:
            return age


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    acc = 0.0
    for value, weight in weighted:
        acc += weight
        if r < acc:
            return value
    return weighted[-1][0]


_LIVING = (
    (LivingArrangement.ALONE, 0.12),
    (LivingArrangement.EMPTY_NEST, 0.30),
    (LivingArrangement.WITH_CHILDREN, 0.48),
    (LivingArrangement.WITH_OTHERS, 0.07),
    (LivingArrangement.INSTITUTION, 0.03),
)
_ECONOMIC = (
    (EconomicStatus.EXTREME_POVERTY, 0.01),
    (EconomicStatus.DIBAO, 0.04),
    (EconomicStatus.NEAR_DIBAO, 0.03),
    (EconomicStatus.EXPENDITURE_HARDSHIP, 0.02),
    (EconomicStatus.ORDINARY, 0.90),
)


def _rows(n: int, seed: int, villages: list[Region], today: date) -> Iterator[dict]:
    rng = random.Random(seed)
    seq_by_key: dict[tuple[str, date], int] = {}
    now = timezone.now()
    for i in range(n):
        village = villages[i % len(villages)] if i < len(villages) else villages[rng.randrange(len(villages))]
        age = _age(rng)
        # Born between one and 364 days before their `age`-th birthday this year: aged exactly `age`.
        anniversary = (
            today.replace(year=today.year - age, day=28)
            if (today.month, today.day) == (2, 29)
            else (today.replace(year=today.year - age))
        )
        born = anniversary - timedelta(days=rng.randrange(0, 364))
        female = rng.random() < 0.54
        county = _COUNTY_CODES[rng.randrange(len(_COUNTY_CODES))]
        key = (county, born)
        # Sequence numbers per (address, birth date) keep every ID number unique by construction.
        seq = seq_by_key.get(key, 0)
        seq_by_key[key] = seq + 1
        code_seq = seq * 2 + (0 if female else 1)
        if code_seq > 999:
            county, code_seq = "330300", code_seq % 1000
        first17 = f"{county}{born:%Y%m%d}{code_seq:03d}"
        given = _GIVEN_FEMALE if female else _GIVEN_MALE
        name = _SURNAMES[rng.randrange(len(_SURNAMES))] + "".join(
            given[rng.randrange(len(given))] for _ in range(rng.choice((1, 2, 2)))
        )
        living = _pick(rng, _LIVING)
        economic = _pick(rng, _ECONOMIC)
        rural = village.kind == "rural"
        status = Status.REGISTERED
        death = None
        status_date = None
        r = rng.random()
        if r < 0.02:
            status, death = Status.DECEASED, today - timedelta(days=rng.randrange(1, 300))
            status_date = death
        elif r < 0.03:
            status, status_date = Status.MOVED, today - timedelta(days=rng.randrange(1, 300))
        disability = 0
        if rng.random() < 0.06 + max(0, age - 75) * 0.006:
            disability = rng.choice((1, 2, 2, 3, 3, 4, 4))
        registered = min(
            today, max(born + timedelta(days=60 * 366), today - timedelta(days=rng.randrange(30, 3650)))
        )
        yield {
            "id_number": first17 + check_character(first17),
            "name": name,
            "name_initials": name_initials(name),
            "sex": Sex.FEMALE if female else Sex.MALE,
            "birth_date": born,
            "residence_id": village.code,
            "hukou_region_id": village.code if rng.random() < 0.85 else None,
            "address": f"{village.name}{_STREET_WORDS[rng.randrange(len(_STREET_WORDS))]}{rng.randrange(1, 300)}号",
            "phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else "",
            "living_arrangement": living,
            "economic_status": economic,
            "disability_grade": disability,
            "is_left_behind": rural
            and living in (LivingArrangement.ALONE, LivingArrangement.EMPTY_NEST)
            and rng.random() < 0.5,
            "is_family_planning_special": rng.random() < 0.015,
            "is_childless_widowed": living == LivingArrangement.ALONE and rng.random() < 0.2,
            "is_veteran": rng.random() < 0.02,
            "is_special_contribution": rng.random() < 0.002,
            "status": status,
            "status_date": status_date,
            "death_date": death,
            "registered_on": registered,
            "notes": DEMO_TAG,
            "created_at": now,
            "updated_at": now,
        }


_COLUMNS = (
    "id_number",
    "name",
    "name_initials",
    "sex",
    "birth_date",
    "residence_id",
    "hukou_region_id",
    "address",
    "phone",
    "living_arrangement",
    "economic_status",
    "disability_grade",
    "is_left_behind",
    "is_family_planning_special",
    "is_childless_widowed",
    "is_veteran",
    "is_special_contribution",
    "status",
    "status_date",
    "death_date",
    "registered_on",
    "notes",
    "created_at",
    "updated_at",
)


def _insert(rows: Iterator[dict], batch: int = 20_000) -> int:
    """COPY on PostgreSQL (about 10x bulk_create); bulk_create elsewhere."""
    count = 0
    if connection.vendor == "postgresql":
        table = Elder._meta.db_table
        cols = ", ".join(_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in _COLUMNS])
                    count += 1
        return count
    chunk: list[Elder] = []
    for row in rows:
        chunk.append(Elder(**row))
        if len(chunk) >= batch:
            Elder.objects.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        Elder.objects.bulk_create(chunk)
        count += len(chunk)
    return count


def _contacts(seed: int) -> int:
    """A child or neighbour to call for about a third of the demo elders living alone or empty-nest."""
    rng = random.Random(seed + 1)
    ids = list(
        Elder.objects.filter(
            notes=DEMO_TAG, living_arrangement__in=(LivingArrangement.ALONE, LivingArrangement.EMPTY_NEST)
        )
        .order_by("pk")
        .values_list("pk", "name")[:200_000]
    )
    objs = [
        ElderContact(
            elder_id=pk,
            name=name[0]
            + _GIVEN_MALE[rng.randrange(len(_GIVEN_MALE))]
            + _GIVEN_FEMALE[rng.randrange(len(_GIVEN_FEMALE))],
            relation=Relation.CHILD if rng.random() < 0.8 else Relation.NEIGHBOUR,
            phone=f"13{rng.randrange(10**9):09d}",
            is_guardian=rng.random() < 0.3,
        )
        for pk, name in ids
        if rng.random() < 0.33
    ]
    ElderContact.objects.bulk_create(objs, batch_size=5_000)
    return len(objs)


def demo_villages() -> list[Region]:
    villages = []
    for town in DEMO_TOWNS:
        villages.extend(Region.objects.filter(code__startswith=town, level="village").order_by("code"))
    return villages


def ensure_reference_data() -> None:
    """Regions and policy packs the demo needs (idempotent)."""
    load_regions(prefix="3303")
    load_policy_pack(name="national", region_code=None)
    load_policy_pack(name="wenzhou", region_code="3303")


def ensure_staff() -> list[tuple[str, str, str]]:
    rows = []
    for username, role, region, extra in STAFF:
        profile, _created = create_staff(
            username=username, role=role, region_code=region, password=DEMO_PASSWORD, **extra
        )
        rows.append((username, role, profile.region.full_name()))
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    rows.append(("admin", "superuser", "*"))
    return rows


@dataclass(frozen=True)
class DemoSeeder:
    """One app's part of the demo city, registered where it is written (its `demo.py`).

    `seed(seed=, elder_filter=)` adds the app's rows for the demo elders; `reset(elder_filter)`
    deletes them before a rebuild. Parts run in `order` inside one transaction, then the ones
    marked `after_commit` (the month's figures read what the others wrote)."""

    name: str
    order: int
    seed: Callable[..., Any]
    reset: Callable[[dict], Any] | None = None
    after_commit: bool = False


def demo_seeder(
    name: str, *, order: int, reset: Callable[[dict], Any] | None = None, after_commit: bool = False
):
    """Register an app's demo builder (see DemoSeeder); elders' own part always runs first."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        registry["demo_seeders"].add(name, DemoSeeder(name, order, func, reset, after_commit))
        return func

    return register


def seed(*, elders: int, seed: int = 20231001, reset: bool = False) -> SeedResult:
    """Build the demo city: the registry's elders here, then every app's registered part.
    Re-running keeps an existing demo unless `reset` is given."""
    started = time.perf_counter()
    ensure_reference_data()
    staff = ensure_staff()
    parts = sorted(registry["demo_seeders"].values(), key=lambda part: (part.order, part.name))
    demo = {"notes": DEMO_TAG}
    with transaction.atomic():
        existing = Elder.objects.filter(notes=DEMO_TAG)
        if reset:
            for part in reversed(parts):
                if part.reset is not None:
                    part.reset(demo)
            ElderContact.objects.filter(elder__notes=DEMO_TAG).delete()
            Elder.history.filter(notes=DEMO_TAG).delete()
            existing.delete()
        elif existing.exists():
            return SeedResult(elders=0, seconds=time.perf_counter() - started, staff=staff)
        villages = demo_villages()
        made = _insert(_rows(elders, seed, villages, timezone.localdate()))
        _contacts(seed)
        for part in parts:
            if not part.after_commit:
                part.seed(seed=seed, elder_filter=demo)
    for part in parts:
        if part.after_commit:
            part.seed(seed=seed, elder_filter=demo)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Elder._meta.db_table}")
    return SeedResult(elders=made, seconds=time.perf_counter() - started, staff=staff)
