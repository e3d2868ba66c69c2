"""The demo city's supervision (综合监管): a year of 双随机 inspections in each demo district with
their stored-seed draws, findings, rectification orders at every stage (open, answered, overdue,
re-inspected and closed, escalated) with a 约谈 and a referral, credit warnings and a blacklisting
through the credit service, complaints at every state, service ratings with one provider below the
pack's threshold (so the district has a supervision task), estates' room checks, 公建民营 reviews
and star applications (one being evaluated, one published).

The year's routine inspections are written in bulk (their item results and general findings are
most of the rows); the few cases the pages show step by step go through the services, as a user
would make them. Deterministic for a seed; the dates are relative to today.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.periods import closed_periods, period_bounds
from elders.demo import DEMO_PASSWORD, demo_seeder
from facilities.choices import FacilityStatus
from facilities.models import Facility
from regions.models import Region
from regions.services import create_staff
from services.models import Caregiver, Provider, ServiceRecord, Visit

from . import services
from .choices import (
    CaseActionKind,
    Channel,
    InspectionKind,
    InspectionStatus,
    Outcome,
    Purpose,
    Rater,
    RatingReason,
    Satisfaction,
    Severity,
    Subject,
)
from .models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionResult,
    RectificationOrder,
    ResidentialEstate,
    ServiceRating,
)
from .selectors import checklists_for_facility, items_of, scoring_checklist

DEMO_DISTRICTS = (
    # district, its officer's account (鹿城's is the demo's own "district"), the office's name
    ("330302000000", "district", "鹿城区民政局"),
    ("330303000000", "longwan", "龙湾区民政局"),
    ("330304000000", "ouhai", "瓯海区民政局"),
)
SHARE_PERCENT = 30
LOW_RATED = "温州颐乐护理服务中心"  # the provider whose ratings fall below the pack's threshold
CANTEENS = "鹿城区松台街道老年食堂"  # warned twice, so blacklisted by the pack's rule
HOME_CARE = "温州安康居家养老服务有限公司"  # the demo provider account's own organisation

_NOTES = (
    "记录不全，未见近三个月的检查台账。",
    "现场未见应急预案张贴。",
    "部分工作人员未按规定佩戴工牌。",
    "消防通道有杂物堆放。",
    "药品柜未上锁。",
    "地面湿滑处未放置警示标识。",
)


def _reset(elder_filter: dict) -> None:
    # Ratings hang on the demo elders' service records and visits, which their builders delete.
    ServiceRating.objects.filter(**{f"elder__{k}": v for k, v in elder_filter.items()}).delete()


def _users() -> dict:
    User = get_user_model()
    for code, username, office in DEMO_DISTRICTS[1:]:
        if not User.objects.filter(username=username).exists():
            create_staff(
                username=username,
                role="district_officer",
                region_code=code,
                password=DEMO_PASSWORD,
                full_name=f"{office}监管员",
            )
    names = ["city", "district", "street", "worker", "provider", *(u for _c, u, _o in DEMO_DISTRICTS[1:])]
    return {u.username: u for u in User.objects.filter(username__in=names)}


@demo_seeder("supervision", order=60, reset=_reset)
@transaction.atomic
def seed_supervision(*, seed: int, elder_filter: dict) -> int:
    """Idempotent: the year's supervision is built once; ratings whenever the demo elders have none."""
    rng = random.Random(seed + 61)
    today = timezone.localdate()
    latest = closed_periods(today, 1)[0]
    first, last = period_bounds(latest)[:2]
    users = _users()
    if not {"city", "district", "street", "worker", "provider"} <= set(users):
        return 0
    providers = {p.name: p for p in Provider.objects.filter(name__in=(LOW_RATED, CANTEENS, HOME_CARE))}
    made = 0
    if not InspectionPlan.objects.filter(region_id=DEMO_DISTRICTS[0][0], year=last.year).exists():
        made += _plans(rng, users, year=last.year, latest=last)
        made += _cases(users, providers, today=today, latest=(first, last))
        made += _complaints(users, providers, today=today, latest=(first, last))
        made += _estates(rng, users, checked_on=first + timedelta(days=9), year=last.year)
        made += _reviews_and_stars(users, year=last.year, reviewed_on=first + timedelta(days=14), today=today)
    if not ServiceRating.objects.filter(**{f"elder__{k}": v for k, v in elder_filter.items()}).exists():
        made += _ratings(rng, users, providers, elder_filter, today=today)
    return made


# --- the year's plans and their draws, the routine inspections in bulk ------------------------------


def _plans(rng: random.Random, users: dict, *, year: int, latest: date) -> int:
    city = users["city"]
    kinds = sorted({k for c in _inspection_checklists() for k in c.facility_kinds})
    inspections: list[Inspection] = []
    for code, username, office in DEMO_DISTRICTS:
        region = Region.objects.get(code=code)
        pool = [city, users[username]] + ([users["street"]] if username == "district" else [])
        plan = services.create_plan(
            acting_user=city,
            region=region,
            year=year,
            title=f"{year}年{region.name}养老服务机构“双随机、一公开”监督检查计划（{office}）",
            facility_kinds=kinds,
            share_percent=SHARE_PERCENT,
            months=list(range(1, 13)),
            inspectors=pool,
            # 鹿城 publishes each item not met with its rectification, the others their results.
            publication="findings" if username == "district" else "results",
        )
        # The seed is stored with the plan: anyone can draw again and get the same list.
        inspections += services.draw_plan(acting_user=city, plan=plan, seed=f"demo-{year}-{code}")
    done = [i for i in inspections if i.month is not None and date(year, i.month, 1) <= latest]
    facilities = Facility.objects.in_bulk([i.facility_id for i in done])
    inspectors = _inspectors_of(done)
    items_by_facility = _items_by_facility(facilities.values())
    results: list[InspectionResult] = []
    found: list[tuple[InspectionResult, date]] = []
    for inspection in done:
        day = min(date(year, inspection.month, rng.randrange(3, 27)), latest)
        inspection.status, inspection.inspected_on = InspectionStatus.DONE, day
        inspection.recorded_by_id = inspectors[inspection.pk][0]
        inspection.summary = "现场检查完成，已当场反馈。"
        for item in items_by_facility[inspection.facility_id]:
            r = rng.random()
            outcome = Outcome.NOT_MET if r < 0.05 else Outcome.NOT_APPLICABLE if r < 0.09 else Outcome.MET
            result = InspectionResult(
                inspection=inspection,
                item=item,
                outcome=outcome,
                note=rng.choice(_NOTES) if outcome == Outcome.NOT_MET else "",
            )
            results.append(result)
            if outcome == Outcome.NOT_MET:
                found.append((result, day))
    Inspection.objects.bulk_update(done, ["status", "inspected_on", "recorded_by", "summary"])
    InspectionResult.objects.bulk_create(results, batch_size=5000)
    # The inspectors judged the routine shortfalls minor (一般): no order; the serious cases follow.
    Finding.objects.bulk_create(
        [
            Finding(
                inspection=r.inspection,
                result=r,
                severity=Severity.GENERAL,
                risk=r.item.risk,
                description=r.note,
                found_on=day,
            )
            for r, day in found
        ],
        batch_size=5000,
    )
    return len(inspections) + len(results)


def _inspection_checklists():
    from .models import Checklist

    return Checklist.objects.filter(active=True, purpose=Purpose.INSPECTION)


def _items_by_facility(facilities) -> dict[int, list]:
    """The checklist items of each facility, looked up once per kind and ownership (the demo city
    has one pack above every facility)."""
    by_key: dict[tuple[str, str], list] = {}
    out = {}
    for f in facilities:
        key = (f.kind, f.ownership)
        if key not in by_key:
            by_key[key] = list(items_of(checklists_for_facility(f)))
        out[f.pk] = by_key[key]
    return out


def _inspectors_of(inspections: list[Inspection]) -> dict[int, list[int]]:
    through = Inspection.inspectors.through.objects.filter(inspection__in=inspections).order_by("pk")
    out: dict[int, list[int]] = {}
    for inspection_id, user_id in through.values_list("inspection_id", "user_id"):
        out.setdefault(inspection_id, []).append(user_id)
    return out


# --- the serious cases, through the services ---------------------------------------------------------


def _serious_inspection(users: dict, facility: Facility, *, on: date, kind: str, note: str) -> RectificationOrder:
    """An inspection outside the draw (a task or a complaint) in which one serious item was not met."""
    district = users["district"]
    inspection = Inspection.objects.create(facility=facility, kind=kind)
    inspection.inspectors.set([district, users["street"]])
    items = list(items_of(checklists_for_facility(facility)))
    serious = next(i for i in items if i.severity == Severity.SERIOUS)
    results = {i.pk: {"outcome": Outcome.MET} for i in items}
    results[serious.pk] = {"outcome": Outcome.NOT_MET, "note": note}
    services.record_inspection(
        acting_user=district, inspection=inspection, results=results, inspected_on=on, summary=note
    )
    return RectificationOrder.objects.get(finding__inspection=inspection)


def _cases(users: dict, providers: dict, *, today: date, latest: tuple[date, date]) -> int:
    district = users["district"]
    lucheng = Facility.objects.filter(region__code__startswith="330302", status=FacilityStatus.OPERATING)
    canteens = list(lucheng.filter(operator=providers.get(CANTEENS)).order_by("pk")[:2])
    home_care = list(lucheng.filter(operator=providers.get(HOME_CARE), kind="day_care").order_by("pk")[:3])
    public = lucheng.filter(operator__isnull=True, kind="station").order_by("pk").first()
    if len(canteens) < 2 or len(home_care) < 3 or public is None:
        return 0
    orders = []
    # Escalated: not rectified at the re-inspection, a credit warning, and a referral for penalty.
    escalated = _serious_inspection(
        users, canteens[0], on=today - timedelta(days=100), kind=InspectionKind.TASK, note="后厨生熟不分，食品留样缺失。"
    )
    services.reinspect(
        acting_user=district, order=escalated, rectified=False, note="复查仍未整改到位。", on=today - timedelta(days=60)
    )
    services.record_case_action(
        acting_user=district,
        order=escalated,
        kind=CaseActionKind.PENALTY_REFERRAL,
        on=today - timedelta(days=58),
        counterpart="鹿城区市场监督管理局",
        note="整改不到位，移送市场监管部门依法处理。",
    )
    # Overdue and never answered: the nightly flag warns again, and two warnings blacklist (the pack).
    overdue = _serious_inspection(
        users, canteens[1], on=today - timedelta(days=75), kind=InspectionKind.TASK, note="燃气管道老化，无报警装置。"
    )
    services.record_case_action(
        acting_user=district,
        order=overdue,
        kind=CaseActionKind.INTERVIEW,
        on=today - timedelta(days=55),
        counterpart="鹿城区松台街道老年食堂负责人",
        note="约谈负责人，责令立即整改燃气安全隐患。",
    )
    # Overdue at the demo provider's day-care centre: its account sees the order and its warning.
    orders.append(
        _serious_inspection(
            users, home_care[0], on=today - timedelta(days=50), kind=InspectionKind.TASK, note="跌倒风险评估未开展。"
        )
    )
    # Answered by the operator's account with evidence, re-inspected and closed.
    closed = _serious_inspection(
        users, home_care[1], on=today - timedelta(days=40), kind=InspectionKind.TASK, note="浴室无扶手、无防滑垫。"
    )
    services.answer_order(acting_user=users["provider"], order=closed, answer="已加装扶手并铺设防滑垫。")
    services.reinspect(
        acting_user=district, order=closed, rectified=True, note="扶手、防滑垫已安装到位。", on=today - timedelta(days=28)
    )
    # Open: at a public station early last month (its deadline passed: overdue, no operator to warn),
    # and one found last week, still within its deadline.
    orders.append(
        _serious_inspection(users, public, on=latest[0] + timedelta(days=4), kind=InspectionKind.TASK, note="无应急预案。")
    )
    orders.append(
        _serious_inspection(
            users, home_care[2], on=today - timedelta(days=5), kind=InspectionKind.TASK, note="药品与消毒剂混放。"
        )
    )
    # Orders past their deadline by the end of last month are flagged then (their warnings in force
    # at the month's end), the rest today, as the nightly job would have.
    services.flag_overdue(today=latest[1])
    services.flag_overdue(today=today)
    return 6 + len(orders)


# --- complaints ------------------------------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _complaints(users: dict, providers: dict, *, today: date, latest: tuple[date, date]) -> int:
    from .models import Complaint

    # Complaints belong to their subject's region: the district's and the city's offices take them in.
    district, city = users["district"], users["city"]
    canteens = providers.get(CANTEENS)
    home_care = providers.get(HOME_CARE)
    carer = Caregiver.objects.filter(provider=home_care).order_by("pk").first()
    centre = Facility.objects.filter(name="鹿城区养老服务中心").first()
    if canteens is None or home_care is None or carer is None or centre is None:
        return 0
    first, last = latest
    specs = (
        # (who takes it in, channel, subject, what, received on, handling: open / replied / a satisfaction)
        (city, Channel.HOTLINE, Subject.PROVIDER, {"provider": canteens}, first + timedelta(days=2), "satisfied"),
        (district, Channel.WORKER_PAGE, Subject.PROVIDER, {"provider": canteens}, first + timedelta(days=8), "basically"),
        (city, Channel.HOTLINE, Subject.PROVIDER, {"provider": canteens}, first + timedelta(days=15), "unsatisfied"),
        (district, Channel.WORKER_PAGE, Subject.CAREGIVER, {"caregiver": carer}, first + timedelta(days=5), "replied"),
        (city, Channel.HOTLINE, Subject.FACILITY, {"facility": centre}, first - timedelta(days=5), "late"),
        (district, Channel.ADMIN, Subject.PROVIDER, {"provider": home_care}, today - timedelta(days=45), "open"),
        (city, Channel.HOTLINE, Subject.FACILITY, {"facility": centre}, today - timedelta(days=3), "open"),
        (district, Channel.WORKER_PAGE, Subject.CAREGIVER, {"caregiver": carer}, today - timedelta(days=1), "open"),
    )
    names = "王李张刘陈杨黄赵"
    contents = (
        "送餐迟到一个多小时，饭菜已凉。",
        "饭菜偏咸，老人吃不下。",
        "收费与公示价格不一致。",
        "护理员上门时间比约定晚，服务时间不足。",
        "中心夜间值班人员不足，呼叫无人应答。",
        "服务人员态度生硬。",
        "房间暖气不热，反映多次未处理。",
        "护理员未按约定上门。",
    )
    made = []
    for i, (who, channel, subject, what, day, handling) in enumerate(specs):
        complaint = services.file_complaint(
            acting_user=who,
            channel=channel,
            subject=subject,
            complainant=f"{names[i]}先生" if i % 2 else f"{names[i]}女士",
            complainant_phone=f"1385770{1000 + i * 37:04d}",
            content=contents[i],
            received_at=_at(day, 9 + i % 6),
            **what,
        )
        if handling != "open":
            services.reply_complaint(
                acting_user=district,
                complaint=complaint,
                reply="经核实情况属实，已责成服务方整改并向投诉人反馈。",
            )
            # Replied some days later (late: after the deadline), as the handling was.
            replied_on = complaint.deadline + timedelta(days=4) if handling == "late" else day + timedelta(days=4)
            Complaint.objects.filter(pk=complaint.pk).update(replied_at=_at(min(replied_on, today), 16))
        if handling in Satisfaction.values:
            services.record_satisfaction(acting_user=district, complaint=complaint, satisfaction=handling)
        made.append(complaint)
    # The complaint about the centre's night duty opens an inspection of it (done last week).
    inspection = services.inspect_on_complaint(acting_user=district, complaint=made[6], inspectors=[district])
    items = list(items_of(checklists_for_facility(centre)))
    results = {i.pk: {"outcome": Outcome.MET} for i in items}
    services.record_inspection(
        acting_user=district,
        inspection=inspection,
        results=results,
        inspected_on=today,
        summary="夜间值班已按排班落实，投诉反映问题已当场整改。",
    )
    services.flag_overdue_complaints(today=today)
    return len(made) + 1


# --- estates' rooms, 公建民营 reviews, star ratings ---------------------------------------------------


def _estates(rng: random.Random, users: dict, *, checked_on: date, year: int) -> int:
    district = users["district"]
    communities = list(
        Region.objects.filter(code__startswith="330302006", level="village").order_by("code")[:4]
    ) + list(Region.objects.filter(code__startswith="330302026", level="village").order_by("code")[:4])
    specs = (
        ("new", 1200, "in_use", Decimal(420)),
        ("new", 900, "in_use", Decimal(180)),
        ("old", 600, "in_use", Decimal(260)),
        ("new", 1500, "handed_over", Decimal(480)),
        ("new", 800, "built", Decimal(300)),
        ("new", 1000, "planned", None),
        ("old", 700, "not_provided", None),
        ("new", 1100, "diverted", Decimal(350)),
    )
    names = ("锦绣华庭", "江滨花园", "府前小区", "松台雅苑", "信河新村", "滨江名苑", "百里东苑", "学院公寓")
    made = 0
    for community, name, (kind, households, status, area) in zip(communities, names, specs, strict=False):
        if ResidentialEstate.objects.filter(region=community, name=name).exists():
            continue
        estate = services.register_estate(
            acting_user=district,
            region=community,
            name=name,
            kind=kind,
            households=households,
            developer=rng.choice(("温州城建集团", "鹿城置业", "瓯江地产")),
        )
        services.record_room_check(
            acting_user=district,
            estate=estate,
            year=year,
            status=status,
            area_m2=area,
            checked_on=checked_on,
            note="" if status == "in_use" else "已告知开发建设单位限期整改。",
        )
        made += 1
    return made


def _full(checklist, **points) -> dict:
    return {i.code: points.get(i.code, i.points) for i in checklist.items.filter(active=True)}


def _reviews_and_stars(users: dict, *, year: int, reviewed_on: date, today: date) -> int:
    district, street, provider = users["district"], users["street"], users["provider"]
    home_care = Provider.objects.filter(name=HOME_CARE).first()
    ppp = list(
        Facility.objects.filter(
            ownership="public_private",
            operator=home_care,
            region__code__startswith="330302",
            status=FacilityStatus.OPERATING,
        ).order_by("pk")
    )
    if len(ppp) < 3:
        return 0
    made = 0
    centre = next((f for f in ppp if f.kind == "county_centre"), ppp[0])
    others = [f for f in ppp if f != centre]
    checklist = scoring_checklist(centre, Purpose.OPERATOR_REVIEW)
    if checklist is not None:
        codes = [i.code for i in checklist.items.order_by("position")]
        passed = services.review_operator(
            acting_user=district,
            facility=centre,
            year=year,
            scores=_full(checklist, **{codes[-1]: 0}),
            reviewed_on=reviewed_on,
            summary="运营规范，服务质量较好。",
        )
        services.decide_contract(acting_user=district, review=passed, decision=passed.recommendation)
        weak = scoring_checklist(others[0], Purpose.OPERATOR_REVIEW)
        services.review_operator(
            acting_user=district,
            facility=others[0],
            year=year,
            scores={code: 0 if n % 2 else points for n, (code, points) in enumerate(_full(weak).items())},
            reviewed_on=reviewed_on,
            summary="服务台账不全，满意度偏低，需限期整改。",
        )
        made += 2
    # A star application being evaluated (one evaluator of two has scored) and one published.
    evaluating = services.apply_for_star(
        acting_user=provider, facility=others[1], star=3, statement="设施设备齐全，服务项目完善，申请三星级。"
    )
    services.assign_evaluators(acting_user=district, application=evaluating, evaluators=[street, district])
    evaluating.refresh_from_db()
    services.score_star(
        acting_user=street, application=evaluating, scores=_full(evaluating.checklist), evaluated_on=today
    )
    published = services.apply_for_star(
        acting_user=provider, facility=others[-1] if len(others) > 2 else centre, star=4, statement="申请四星级。"
    )
    services.assign_evaluators(acting_user=district, application=published, evaluators=[street])
    published.refresh_from_db()
    star_items = list(published.checklist.items.order_by("position"))
    services.score_star(
        acting_user=street,
        application=published,
        scores=_full(published.checklist, **{star_items[0].code: max(star_items[0].points - 3, 0)}),
        evaluated_on=today,
    )
    services.decide_star(acting_user=district, application=published)
    published.refresh_from_db()
    if published.status == "rated":
        services.publish_star(acting_user=district, application=published)
    return made + 2


# --- ratings -----------------------------------------------------------------------------------------


def _ratings(rng: random.Random, users: dict, providers: dict, elder_filter: dict, *, today: date) -> int:
    """About a third of the service records and a tenth of last months' visits are rated, in bulk;
    then each provider's month is judged once against the pack's threshold."""
    low = providers.get(LOW_RATED)
    on_elder = {f"elder__{k}": v for k, v in elder_filter.items()}
    records = ServiceRecord.objects.filter(**on_elder).order_by("pk").values_list(
        "pk", "elder_id", "provider_id", "started_at"
    )
    # The worker records on the elder's behalf; the provider account only for its own services.
    worker, own = users["worker"].pk, users["provider"].pk
    own_provider = providers.get(HOME_CARE)
    reasons = RatingReason.values
    rows = []
    for pk, elder_id, provider_id, started in records:
        if rng.random() > 0.35:
            continue
        if low is not None and provider_id == low.pk:
            score = rng.choice((1, 2, 2, 3, 3, 4))
        else:
            score = rng.choice((3, 4, 4, 5, 5, 5))
        rows.append(
            ServiceRating(
                elder_id=elder_id,
                service_record_id=pk,
                provider_id=provider_id,
                score=score,
                reasons=rng.sample(reasons, 2) if score <= 3 else [],
                comment="" if score > 2 else "服务不到位。",
                rater=rng.choice((Rater.ELDER, Rater.FAMILY)),
                rated_on=min(timezone.localtime(started).date() + timedelta(days=rng.randrange(0, 3)), today),
                recorded_by_id=own if own_provider and provider_id == own_provider.pk and rng.random() < 0.3 else worker,
            )
        )
    since = datetime.combine(today - timedelta(days=120), time(0), tzinfo=timezone.get_current_timezone())
    visits = Visit.objects.filter(**on_elder, visited_at__gte=since).order_by("pk")
    for pk, elder_id, visited_at in visits.values_list("pk", "elder_id", "visited_at"):
        if rng.random() > 0.1:
            continue
        rows.append(
            ServiceRating(
                elder_id=elder_id,
                visit_id=pk,
                score=rng.choice((4, 5, 5)),
                rater=Rater.ELDER,
                rated_on=timezone.localtime(visited_at).date(),
                recorded_by_id=worker,
            )
        )
    ServiceRating.objects.bulk_create(rows, batch_size=5000)
    for period in sorted({r.rated_on.strftime("%Y-%m") for r in rows if r.provider_id}):
        services.open_low_rating_tasks(period=period)
    return len(rows)
