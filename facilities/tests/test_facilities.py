"""Residents, occupancy, the wait-list, standards on real rows, family care beds."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from elders.services import change_status
from facilities import selectors, services
from facilities.models import Residency, WaitlistEntry, WaitlistEvent
from facilities.tests.helpers import give_grade, make_facility
from policies.services import load_policy_pack
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import LUCHENG, WUMA, WUMA_GULOU, ElderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def operator(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    return provider


@pytest.fixture
def home(operator):
    return make_facility(operator=operator, beds=2, nursing_beds=1)


def admit(staff, facility, elder, **extra):
    return services.admit(
        acting_user=staff["provider_staff"], facility=facility, elder=elder, admitted_on=TODAY(), **extra
    )


def test_admission_marks_the_file_and_fills_a_bed(staff, home):
    elder = ElderFactory(living_arrangement="alone")
    admit(staff, home, elder, bed="A-1")
    elder.refresh_from_db()
    assert elder.living_arrangement == "institution"
    facility = selectors.with_occupancy(selectors.facilities_in_scope(staff["city_admin"])).get(pk=home.pk)
    assert facility.residents == 1
    assert (
        elder.history.first().history_change_reason.startswith("Admitted")
        or elder.history.first().history_change_reason
    )


def test_going_home_restores_the_living_arrangement(staff, home):
    elder = ElderFactory(living_arrangement="empty_nest")
    residency = admit(staff, home, elder)
    services.discharge(acting_user=staff["provider_staff"], residency=residency, on=TODAY(), reason="home")
    elder.refresh_from_db()
    assert elder.living_arrangement == "empty_nest"


def test_death_in_the_facility_is_written_to_the_registry(staff, home):
    elder = ElderFactory()
    residency = admit(staff, home, elder)
    services.discharge(acting_user=staff["provider_staff"], residency=residency, on=TODAY(), reason="death")
    elder.refresh_from_db()
    assert elder.status == "deceased" and elder.death_date == TODAY()


def test_one_current_residency_per_elder_is_enforced_by_the_database(staff, home):
    elder = ElderFactory()
    admit(staff, home, elder)
    other = make_facility(beds=10, nursing_beds=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Residency.objects.create(facility=other, elder=elder, admitted_on=TODAY())


def test_the_service_refuses_a_second_residency_with_a_message(staff, home, english):
    elder = ElderFactory()
    admit(staff, home, elder)
    second = make_facility(operator=home.operator, beds=10, nursing_beds=5)
    with pytest.raises(ValidationError) as exc:
        admit(staff, second, elder)
    assert "already lives in" in str(exc.value)


def test_a_full_facility_admits_nobody(staff, home, english):
    admit(staff, home, ElderFactory())
    admit(staff, home, ElderFactory())
    with pytest.raises(ValidationError) as exc:
        admit(staff, home, ElderFactory())
    assert "no free bed" in str(exc.value)


def test_facility_staff_manage_only_their_own_facility(staff, operator):
    someone_elses = make_facility(operator=make_provider())
    with pytest.raises(PermissionDenied):
        admit(staff, someone_elses, ElderFactory())
    # ...and the street officer sees facilities but admits nobody.
    assert selectors.facilities_in_scope(staff["street_officer"]).filter(pk=someone_elses.pk).exists()
    assert not selectors.managed_facilities(staff["street_officer"]).exists()


def test_other_districts_do_not_see_the_facility(staff, home):
    from tests.factories import LONGWAN, make_staff

    longwan = make_staff("lw", "district_officer", LONGWAN)
    assert not selectors.facilities_in_scope(longwan).filter(pk=home.pk).exists()
    assert selectors.facilities_in_scope(staff["district_officer"]).filter(pk=home.pk).exists()


# --- the wait-list --------------------------------------------------------------------------


def apply(staff, facility, elder, days_ago):
    return services.apply_for_bed(
        acting_user=staff["community_worker"],
        facility=facility,
        elder=elder,
        applied_on=TODAY() - timedelta(days=days_ago),
    )


def positions(facility):
    return [(e.elder.name, e.position) for e in selectors.queue(facility)]


def test_queue_orders_by_tier_then_date(staff, home):
    early_ordinary = ElderFactory(name="早申请普通")
    late_tekun = ElderFactory(name="晚申请特困", economic_status="extreme_poverty")
    veteran = ElderFactory(name="优抚", is_veteran=True)
    poor_disabled = ElderFactory(name="低保失能", economic_status="dibao")
    give_grade(poor_disabled, 3, staff["community_worker"])
    apply(staff, home, early_ordinary, 30)
    apply(staff, home, late_tekun, 1)
    apply(staff, home, veteran, 20)
    apply(staff, home, poor_disabled, 2)
    assert positions(home) == [("晚申请特困", 1), ("低保失能", 2), ("优抚", 3), ("早申请普通", 4)]
    entry = WaitlistEntry.objects.get(elder=poor_disabled)
    assert selectors.position_of(entry) == 2
    assert entry.tier_code == "poor_vulnerable" and "ability grade" in entry.tier_reason or entry.tier_reason


def test_same_tier_is_first_come_first_served(staff, home):
    a, b = ElderFactory(name="甲"), ElderFactory(name="乙")
    apply(staff, home, b, 3)
    apply(staff, home, a, 10)
    assert positions(home) == [("甲", 1), ("乙", 2)]


def test_a_tier_change_moves_the_applicant_and_is_logged(staff, home):
    first, second = ElderFactory(name="先"), ElderFactory(name="后")
    apply(staff, home, first, 10)
    entry = apply(staff, home, second, 5)
    # The registry now says 特困: the daily recomputation moves the applicant up and logs why.
    second.economic_status = "extreme_poverty"
    second.save()
    assert services.recompute_tiers() == 1
    assert positions(home) == [("后", 1), ("先", 2)]
    event = WaitlistEvent.objects.filter(entry=entry, kind="tier_changed").get()
    assert event.from_tier == 5 and event.to_tier == 0 and event.reason


def test_an_officer_moves_an_applicant_only_with_a_reason(staff, home):
    first, second = ElderFactory(name="先"), ElderFactory(name="后")
    apply(staff, home, first, 10)
    entry = apply(staff, home, second, 5)
    with pytest.raises(ValidationError):
        services.change_tier(
            acting_user=staff["street_officer"], entry=entry, tier_code="veteran", reason=" "
        )
    services.change_tier(
        acting_user=staff["street_officer"], entry=entry, tier_code="veteran", reason="退役军人证明已核实"
    )
    assert positions(home) == [("后", 1), ("先", 2)]
    assert WaitlistEvent.objects.get(entry=entry, kind="tier_changed").by == staff["street_officer"]
    # A hand-set tier survives the nightly recomputation.
    services.recompute_tiers()
    assert positions(home)[0] == ("后", 1)


def test_a_community_worker_cannot_reorder(staff, home):
    entry = apply(staff, home, ElderFactory(), 1)
    with pytest.raises(PermissionDenied):
        services.change_tier(
            acting_user=staff["community_worker"], entry=entry, tier_code="veteran", reason="x"
        )


def test_admitted_and_deceased_applicants_leave_the_list(staff, home):
    dies, admitted, waits = ElderFactory(name="去世"), ElderFactory(name="入住"), ElderFactory(name="等待")
    for days, elder in ((30, dies), (20, admitted), (10, waits)):
        apply(staff, home, elder, days)
    change_status(elder=dies, status="deceased", on=TODAY(), acting_user=staff["community_worker"])
    assert positions(home) == [("入住", 1), ("等待", 2)]  # at once, before the nightly job
    admit(staff, home, admitted)
    assert positions(home) == [("等待", 1)]
    assert WaitlistEntry.objects.get(elder=admitted).status == "admitted"
    assert services.close_departed_entries() == 1
    assert WaitlistEntry.objects.get(elder=dies).status == "left"
    assert WaitlistEvent.objects.filter(entry__elder=dies, kind="left").exists()


def test_offer_goes_to_the_first_eligible_and_skipping_needs_a_reason(staff, home, english):
    first, second = ElderFactory(name="第一"), ElderFactory(name="第二")
    e1 = apply(staff, home, first, 10)
    apply(staff, home, second, 5)
    with pytest.raises(ValidationError) as exc:
        services.offer_vacancy(acting_user=staff["street_officer"], facility=home, skips={e1.pk: ""})
    assert "reason" in str(exc.value)
    offered = services.offer_vacancy(acting_user=staff["street_officer"], facility=home)
    assert offered.pk == e1.pk and WaitlistEntry.objects.get(pk=e1.pk).status == "offered"
    # A second bed, passing the next one over with a reason: nobody left to offer to.
    e2 = WaitlistEntry.objects.get(elder=second)
    with pytest.raises(ValidationError):
        services.offer_vacancy(acting_user=staff["street_officer"], facility=home, skips={e2.pk: "住院中"})
    assert WaitlistEvent.objects.filter(kind="skipped").count() == 0  # nothing half-written


def test_someone_already_in_a_facility_is_passed_over_with_the_reason_logged(staff, home):
    elsewhere = make_facility(operator=home.operator, beds=5, nursing_beds=2)
    first, second = ElderFactory(name="已入住别处"), ElderFactory(name="下一位")
    e1 = apply(staff, home, first, 10)
    apply(staff, home, second, 5)
    # Entered another facility directly (bypassing the list would close the entry; force the case).
    Residency.objects.create(facility=elsewhere, elder=first, admitted_on=TODAY())
    offered = services.offer_vacancy(acting_user=staff["street_officer"], facility=home)
    assert offered.elder == second
    assert WaitlistEvent.objects.get(entry=e1, kind="skipped").reason


def test_only_public_facilities_keep_a_wait_list(staff, operator):
    private = make_facility(ownership="private", operator=operator)
    with pytest.raises(ValidationError):
        apply(staff, private, ElderFactory(), 1)


def test_one_open_application_per_elder_and_facility(staff, home):
    elder = ElderFactory()
    apply(staff, home, elder, 3)
    with pytest.raises(ValidationError):
        apply(staff, home, elder, 1)


# --- standards on real rows -----------------------------------------------------------------


@pytest.fixture
def nanyang_rules(wenzhou):
    # The Nanyang numbers, loaded for a Wenzhou district so the tests can use its real divisions.
    load_policy_pack(name="nanyang", region_code=LUCHENG)


def test_staffing_check_uses_residents_current_grades(staff, operator, nanyang_rules):
    centre = make_facility(
        operator=operator, beds=60, nursing_beds=33, floor_area_m2=2000, land_area_mu=3, caregivers=2
    )
    elders = [ElderFactory() for _ in range(4)]
    for elder, grade in zip(elders, (4, 3, 3, 0), strict=True):
        give_grade(elder, grade, staff["community_worker"])
        admit(staff, centre, elder)
    report = selectors.facility_report(centre, TODAY())
    ratio = next(c for c in report.checks if c.metric == "caregiver_ratio")
    assert ratio.required == 3 and ratio.actual == 2 and not ratio.met  # 3/1.5 + 1/10 = 2.1
    # An expired assessment no longer counts: the resident falls back to the unassessed group.
    expired = elders[0].recognised_results.get()
    expired.valid_until = TODAY() - timedelta(days=1)
    expired.save()
    ratio = next(
        c for c in selectors.facility_report(centre, TODAY()).checks if c.metric == "caregiver_ratio"
    )
    assert ratio.met  # 2/1.5 + 2/10 = 1.53 ≤ 2


def test_city_list_shows_every_facility_that_falls_short(
    staff, operator, nanyang_rules, django_assert_max_num_queries
):
    good = make_facility(beds=50, nursing_beds=28, floor_area_m2=2000, land_area_mu=3)
    short = make_facility(beds=50, nursing_beds=27, floor_area_m2=2000, land_area_mu=3)  # 54 %
    day_care = make_facility(
        kind="day_care", region=WUMA_GULOU, beds=8, nursing_beds=0, floor_area_m2=320, managers=3
    )
    with django_assert_max_num_queries(6):
        reports = selectors.standards_report(staff["city_admin"], TODAY())
    names = {r.facility["name"] for r in reports}
    assert short.name in names and day_care.name in names and good.name not in names


def test_space_report_gives_the_shortfall(staff, wenzhou):
    from facilities.models import CommunityProfile
    from regions.models import Region

    load_policy_pack(name="wenzhou", region_code="3303")
    Region.objects.filter(code=WUMA_GULOU).update(households=2000)
    CommunityProfile.objects.create(region_id=WUMA_GULOU, estate="new")
    make_facility(kind="day_care", region=WUMA_GULOU, beds=10, nursing_beds=0, floor_area_m2=250)
    row = next(r for r in selectors.space_report(staff["city_admin"]) if r.region.code == WUMA_GULOU)
    # Wenzhou: 30 m² per 100 households → 600 m²; one 250 m² site, below the 300 m² minimum.
    assert (
        row.required_m2 == 600 and row.actual_m2 == 250 and row.shortfall_m2 == 350 and row.small_sites == 1
    )


# --- family care beds --------------------------------------------------------------------------


def test_family_care_bed_one_open_per_elder(staff, operator):
    elder = ElderFactory()
    values = {
        "acting_user": staff["street_officer"],
        "elder": elder,
        "provider": operator,
        "set_up_on": date(2026, 5, 1),
        "equipment": ["nursing_bed", "call_device"],
        "service_package": "失能照护包",
        "monthly_hours": 20,
    }
    services.set_up_family_bed(**values)
    with pytest.raises(ValidationError):
        services.set_up_family_bed(**values)
    with pytest.raises(ValidationError):
        services.set_up_family_bed(**{**values, "elder": ElderFactory(), "equipment": ["jetpack"]})


def test_star_rating_history_keeps_the_latest_on_the_facility(staff, home):
    services.record_star_rating(
        acting_user=staff["district_officer"],
        facility=home,
        star=3,
        rated_on=date(2024, 5, 1),
        evaluator="区民政局",
    )
    services.record_star_rating(
        acting_user=staff["district_officer"],
        facility=home,
        star=4,
        rated_on=date(2025, 6, 1),
        evaluator="市民政局",
    )
    home.refresh_from_db()
    assert home.star == 4 and home.star_ratings.count() == 2
    with pytest.raises(ValidationError):
        services.record_star_rating(
            acting_user=staff["district_officer"],
            facility=home,
            star=6,
            rated_on=date(2025, 7, 1),
            evaluator="x",
        )


def test_status_changes_are_dated(staff, wenzhou):
    from facilities.models import Facility

    facility = Facility(
        name="新建中心", kind="street_centre", ownership="public", region_id=WUMA, status="building"
    )
    services.save_facility(
        facility=facility, acting_user=staff["district_officer"], status_on=date(2025, 1, 10)
    )
    facility.status = "operating"
    services.save_facility(
        facility=facility, acting_user=staff["district_officer"], status_on=date(2026, 3, 1)
    )
    assert list(facility.status_changes.order_by("on").values_list("status", "on")) == [
        ("building", date(2025, 1, 10)),
        ("operating", date(2026, 3, 1)),
    ]


def test_daily_task_closes_departed_entries_and_moves_tiers(staff, home):
    from facilities.tasks import update_waitlists

    dies, rises = ElderFactory(name="去世"), ElderFactory(name="变特困")
    apply(staff, home, dies, 9)
    apply(staff, home, rises, 3)
    change_status(elder=dies, status="deceased", on=TODAY(), acting_user=staff["community_worker"])
    rises.economic_status = "extreme_poverty"
    rises.save()
    assert update_waitlists.delay().get() == {"left": 1, "moved": 1}
    assert update_waitlists.delay().get() == {"left": 0, "moved": 0}
