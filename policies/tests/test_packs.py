"""The packs as their documents say: periods end payments, drafts warn, one grade mapping is read
by every consumer, and elders at the boundaries qualify exactly as each document says."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from core.periods import period_of
from facilities.policy import facility_settings
from policies.models import PolicySection
from policies.services import load_policy_pack, save_section
from reports.metrics import village_figures
from services.policy import visit_settings
from services.selectors import target_group
from subsidies.disbursement import run_disbursement
from subsidies.models import Entitlement, Payment, Scheme
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import LUCHENG, WUMA_GULOU, ElderFactory, api_client, make_staff

pytestmark = pytest.mark.django_db


def _graded(elder, grade: int, by) -> None:
    today = timezone.localdate()
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=today - timedelta(days=2),
        grade=grade,
        valid_until=today + timedelta(days=300),
        recorded_by=by,
    )


def _born(age: int) -> date:
    """A birth date that makes the elder exactly `age` today (the birthday was yesterday)."""
    today = timezone.localdate()
    return (today - timedelta(days=1)).replace(year=today.year - age)


def _eligibility(user, elder) -> dict[str, dict]:
    c = api_client(user)
    return {row["scheme"]: row for row in c.get(f"/api/v1/elders/{elder.pk}/eligibility/").json()}


RURAL_VILLAGE = "330302023200"  # 老涂村委会, 鹿城区


def _elder(**fields):
    return ElderFactory(residence_id=WUMA_GULOU, **fields)


# --- one grade mapping -----------------------------------------------------------------------


def test_every_consumer_follows_a_changed_grade_mapping(staff, django_capture_on_commit_callbacks):
    """Subsidies, facility staffing, the visit target group and the report all read assessment.yaml's
    `grades`: calling 轻度失能 失能 instead of 半失能 moves the same elder in all four."""
    load_policy_pack(name="national")
    load_pack_for_today("nanyang", LUCHENG)
    elder = _elder(economic_status="dibao", living_arrangement="with_children")
    _graded(elder, 1, staff["community_worker"])
    today = timezone.localdate()

    def observed():
        return (
            _eligibility(staff["city_admin"], elder)["NY-HOME-SERVICE"]["amount"],
            facility_settings(LUCHENG).staffing.grade_groups[1],
            target_group(type(elder).objects.filter(pk=elder.pk), visit_settings(WUMA_GULOU), today).exists(),
            village_figures(period_of(today))["level_disabled"].get(WUMA_GULOU, (0, None))[0],
        )

    assert observed() == ("200.00", "semi_disabled", False, 0)
    row = PolicySection.objects.get(region_id=LUCHENG, section="assessment")
    grades = row.data["grades"]["value"]
    grades["1"]["level"] = grades["2"]["level"] = "disabled"  # JSON keys are strings
    row.data = {**row.data, "grades": {"value": grades, "source": {"basis": "reading", "note": "test"}}}
    with django_capture_on_commit_callbacks(execute=True):  # the cache is invalidated on commit
        save_section(row=row, acting_user=staff["city_admin"])
    # Saving re-applied the schemes with the plan's end (2023); lift it again for today's check.
    Scheme.objects.filter(code="NY-HOME-SERVICE").update(effective_to=None)
    assert observed() == ("300.00", "disabled", True, 1)


# --- periods and drafts ------------------------------------------------------------------------


def test_a_scheme_past_its_end_pays_nothing_after_its_end_month(wenzhou):
    """吉林's home-care subsidy ends with the 十三五 plan (2020-12-31): a roll run later pays the
    months up to December 2020 and none after."""
    load_policy_pack(name="jilin", region_code="3303")  # any loaded region will do for the pack
    scheme = Scheme.objects.get(code="JL-HOME-CARE")
    assert scheme.effective_to == date(2020, 12, 31)
    elder = _elder(economic_status="dibao", living_arrangement="with_children")
    entitlement = Entitlement.objects.create(
        elder=elder, scheme=scheme, first_period="2020-10", amount=Decimal("100")
    )
    run_disbursement(period="2021-03")
    paid = sorted(Payment.objects.filter(entitlement=entitlement).values_list("period", flat=True))
    assert paid == ["2020-10", "2020-11", "2020-12"]


def test_a_draft_based_scheme_and_an_ended_period_show_their_warning_in_the_admin(client, wenzhou):
    load_policy_pack(name="jilin", region_code="3303")
    admin = make_staff("root", "city_admin", "330300000000")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    page = client.get("/admin/subsidies/scheme/").content.decode()
    assert "征求意见稿" in page and "2020-12-31" in page
    pack = client.get("/admin/policies/policypack/").content.decode()
    assert "吉林" in pack and "征求意见稿" in pack


# --- elders at the boundaries, per city, through the API -------------------------------------


def _activate(code: str, rule: dict) -> None:
    """As the bureau does for a scheme whose amount the document leaves open."""
    Scheme.objects.filter(code=code).update(amount_rule=rule, active=True)


def test_xianning_boundaries(staff):
    load_pack_for_today("xianning", LUCHENG)
    _activate("XN-HIGH-AGE", {"kind": "by_age_band", "bands": [{"min": 80, "max": None, "amount": "50"}]})
    _activate("XN-DIFFICULT-ALLOWANCE", {"kind": "fixed", "amount": "60"})
    who = staff["city_admin"]
    at79 = _elder(born=_born(79), economic_status="dibao", living_arrangement="with_children")
    at80 = _elder(born=_born(80), economic_status="dibao", living_arrangement="with_children")
    rich80 = _elder(born=_born(80), economic_status="ordinary", living_arrangement="with_children")
    poor_disabled_70 = _elder(born=_born(70), economic_status="near_dibao", living_arrangement="alone")
    _graded(poor_disabled_70, 3, staff["community_worker"])
    poor_disabled_85 = _elder(born=_born(85), economic_status="extreme_poverty", living_arrangement="alone")
    _graded(poor_disabled_85, 4, staff["community_worker"])
    semi_85 = _elder(born=_born(85), economic_status="dibao", living_arrangement="alone")
    _graded(semi_85, 2, staff["community_worker"])
    rows = {
        e.pk: _eligibility(who, e) for e in (at79, at80, rich80, poor_disabled_70, poor_disabled_85, semi_85)
    }
    # 高龄津贴: 80 and over, whatever the economic status.
    assert [rows[e.pk]["XN-HIGH-AGE"]["eligible"] for e in (at79, at80, rich80)] == [False, True, True]
    # 困难高龄、失能: economically difficult and (80+ or 失能).
    assert [
        rows[e.pk]["XN-DIFFICULT-ALLOWANCE"]["eligible"] for e in (at79, at80, rich80, poor_disabled_70)
    ] == [
        False,
        True,
        False,
        True,
    ]
    # 经济困难高龄失能老人家庭 adaptation: both 80+ and 失能 (半失能 is not enough).
    assert [
        rows[e.pk]["XN-HOME-ADAPTATION"]["eligible"]
        for e in (at80, poor_disabled_70, poor_disabled_85, semi_85)
    ] == [False, False, True, False]


def test_jilin_boundaries(staff):
    load_pack_for_today("jilin", LUCHENG)
    who, worker = staff["city_admin"], staff["community_worker"]
    home_disabled = _elder(economic_status="dibao", living_arrangement="alone")
    _graded(home_disabled, 3, worker)
    home_semi = _elder(economic_status="dibao", living_arrangement="alone")
    _graded(home_semi, 2, worker)
    near_poor_disabled = _elder(economic_status="near_dibao", living_arrangement="alone")
    _graded(near_poor_disabled, 4, worker)
    in_home_self_care = _elder(economic_status="extreme_poverty", living_arrangement="institution")
    _graded(in_home_self_care, 0, worker)
    in_home_semi = _elder(economic_status="dibao", living_arrangement="institution")
    _graded(in_home_semi, 1, worker)
    rows = {
        e.pk: _eligibility(who, e)
        for e in (home_disabled, home_semi, near_poor_disabled, in_home_self_care, in_home_semi)
    }
    # 贫困居家失能老人护理补贴: 低保/特困, 失能, at home.
    assert [
        rows[e.pk]["JL-HOME-CARE"]["eligible"]
        for e in (home_disabled, home_semi, near_poor_disabled, in_home_semi)
    ] == [True, False, False, False]
    # 贫困老人入住机构补贴 by 自理程度: 1200 / 2400 / 3600 a year, paid monthly.
    assert rows[in_home_self_care.pk]["JL-INSTITUTION-STAY"]["amount"] == "100.00"
    assert rows[in_home_semi.pk]["JL-INSTITUTION-STAY"]["amount"] == "200.00"
    assert not rows[home_disabled.pk]["JL-INSTITUTION-STAY"]["eligible"]


def test_nanyang_boundaries(staff):
    """The home service is for 城市特殊困难家庭 (低保、高龄、独居、失能、计划生育特殊困难), not only the poor,
    and pays for their 失能 (300) and 半失能 (200) elders."""
    load_pack_for_today("nanyang", LUCHENG)
    who, worker = staff["city_admin"], staff["community_worker"]
    alone_semi = _elder(economic_status="ordinary", living_arrangement="alone", born=_born(70))
    _graded(alone_semi, 1, worker)
    old_disabled = _elder(economic_status="ordinary", living_arrangement="with_children", born=_born(80))
    _graded(old_disabled, 4, worker)
    young_semi = _elder(economic_status="ordinary", living_arrangement="with_children", born=_born(79))
    _graded(young_semi, 2, worker)
    poor_intact = _elder(economic_status="dibao", living_arrangement="alone")
    _graded(poor_intact, 0, worker)
    # 城市: the same elder as alone_semi in a villagers' committee (村委会) is not in the scheme.
    rural = ElderFactory(
        residence_id=RURAL_VILLAGE, economic_status="ordinary", living_arrangement="alone", born=_born(70)
    )
    _graded(rural, 1, worker)
    rows = {e.pk: _eligibility(who, e) for e in (alone_semi, old_disabled, young_semi, poor_intact, rural)}
    assert (
        rows[alone_semi.pk]["NY-HOME-SERVICE"]["eligible"]
        and rows[alone_semi.pk]["NY-HOME-SERVICE"]["amount"] == "200.00"
    )
    assert (
        rows[old_disabled.pk]["NY-HOME-SERVICE"]["eligible"]
        and rows[old_disabled.pk]["NY-HOME-SERVICE"]["amount"] == "300.00"
    )
    assert not rows[young_semi.pk]["NY-HOME-SERVICE"]["eligible"]  # 79, with children, not poor
    assert not rows[poor_intact.pk]["NY-HOME-SERVICE"]["eligible"]  # 能力完好: neither 失能 nor 半失能
    assert not rows[rural.pk]["NY-HOME-SERVICE"]["eligible"]


def test_wenzhou_boundaries(staff):
    load_pack_for_today("wenzhou", "3303")
    _activate("WZ-FREE-HOME-CARE", {"kind": "fixed", "amount": "0"})
    who = staff["city_admin"]
    local_alone = _elder(living_arrangement="alone", economic_status="ordinary", hukou_region_id=WUMA_GULOU)
    incomer_alone = _elder(living_arrangement="alone", economic_status="ordinary", hukou_region_id=None)
    local_79 = _elder(
        living_arrangement="with_children",
        economic_status="ordinary",
        hukou_region_id=WUMA_GULOU,
        born=_born(79),
    )
    local_80 = _elder(
        living_arrangement="with_children",
        economic_status="ordinary",
        hukou_region_id=WUMA_GULOU,
        born=_born(80),
    )
    rows = {e.pk: _eligibility(who, e) for e in (local_alone, incomer_alone, local_79, local_80)}
    assert [
        rows[e.pk]["WZ-FREE-HOME-CARE"]["eligible"] for e in (local_alone, incomer_alone, local_79, local_80)
    ] == [
        True,
        False,
        False,
        True,
    ]


def test_dongguan_boundaries(staff):
    load_pack_for_today("dongguan", LUCHENG)
    _activate("DG-HOME-ADAPTATION", {"kind": "fixed", "amount": "500"})
    who = staff["city_admin"]
    poor_80 = _elder(
        economic_status="expenditure_hardship", living_arrangement="with_children", born=_born(80)
    )
    poor_79 = _elder(
        economic_status="expenditure_hardship", living_arrangement="with_children", born=_born(79)
    )
    rich_alone = _elder(economic_status="ordinary", living_arrangement="alone", born=_born(85))
    rows = {e.pk: _eligibility(who, e) for e in (poor_80, poor_79, rich_alone)}
    assert [rows[e.pk]["DG-HOME-ADAPTATION"]["eligible"] for e in (poor_80, poor_79, rich_alone)] == [
        True,
        False,
        False,
    ]
