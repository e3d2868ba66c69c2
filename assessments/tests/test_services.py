"""Assessment services and selectors: signatures, immutability, pack settings, scope, due list."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import policy, rules, selectors, services
from assessments.instrument import ITEMS
from assessments.models import Assessment
from policies.models import PolicyPack, PolicySection
from policies.selectors import invalidate
from regions.models import StaffProfile
from tests.factories import CITY, LONGWAN, SONGTAI, WUMA, WUMA_MOCHI, ElderFactory, make_staff

pytestmark = pytest.mark.django_db
FULL = {item.code: item.max_score for item in ITEMS}
TODAY = timezone.localdate()


@pytest.fixture
def team(staff):
    return staff["assessor"], make_staff("assessor2", "assessor", WUMA)


def assess(first, second, elder, *, days_ago=1, items=None, confirm=True, **extra):
    made = services.create_assessment(
        acting_user=first,
        elder=elder,
        assessed_on=TODAY - timedelta(days=days_ago),
        reason=extra.pop("reason", "first"),
        items=FULL if items is None else items,
        assessors=[first, second],
        **extra,
    )
    if confirm:
        made = services.confirm_assessment(acting_user=second, assessment=made)
    return made


@pytest.fixture
def use_section():
    """Put an assessment section in force for a region (national when None) for one test.

    The parsed settings are cached outside the database, so the rollback alone would leave
    them in force for the next test: the cache is invalidated again afterwards.
    """
    yield _use_section
    invalidate()


def _use_section(region_code: str | None, **overrides):
    data = yaml.safe_load(
        (Path(django_settings.BASE_DIR) / "policy_packs/national/assessment.yaml").read_text()
    )
    data.update({k: {"value": v, "source": "test"} for k, v in overrides.items()})
    pack, _ = PolicyPack.objects.get_or_create(name="test", defaults={"title": "test"})
    PolicySection.objects.create(pack=pack, region_id=region_code, section="assessment", data=data)
    invalidate()


# --- creating, submitting, confirming ---------------------------------------------------


def test_all_items_submit_and_partial_items_stay_a_draft(team):
    first, second = team
    full = assess(first, second, ElderFactory(), confirm=False)
    assert full.status == "submitted" and full.grade == 0 and full.total_score == 90
    assert full.valid_until == rules.valid_until(full.assessed_on, 12)
    partial = {k: v for k, v in FULL.items() if not k.startswith("B.4")}
    draft = assess(first, second, ElderFactory(), items=partial, confirm=False)
    assert draft.status == "draft" and draft.grade is None and draft.valid_until is None
    assert draft.subtotals == {"B.1": 32, "B.2": 15, "B.3": 28, "B.4": 0}
    with pytest.raises(ValidationError) as err:
        assess(first, second, ElderFactory(), items=partial, confirm=False, submit=True)
    assert "B.4.5" in str(err.value)


def test_draft_is_finished_and_submitted_by_its_author(team):
    first, second = team
    draft = assess(first, second, ElderFactory(), items={"B.1.1": 4}, confirm=False)
    with pytest.raises(PermissionDenied):
        services.update_draft(acting_user=second, assessment=draft, items=FULL, submit=True)
    done = services.update_draft(acting_user=first, assessment=draft, items=FULL, submit=True)
    assert done.status == "submitted" and done.grade == 0


def test_confirmed_assessment_is_immutable(team):
    first, second = team
    confirmed = assess(first, second, ElderFactory())
    assert confirmed.status == "confirmed" and confirmed.confirmed_by == second
    confirmed.items = {**FULL, "B.1.1": 0}
    with pytest.raises(ValidationError):
        confirmed.save()
    with pytest.raises(ValidationError):
        services.update_draft(acting_user=first, assessment=confirmed, items=FULL)
    with pytest.raises(ValidationError):
        services.confirm_assessment(acting_user=second, assessment=confirmed)
    assert Assessment.objects.get(pk=confirmed.pk).items == FULL


def test_a_correction_is_a_new_review_assessment_and_takes_over(team):
    first, second = team
    elder = ElderFactory()
    assess(first, second, elder, days_ago=10)
    review = assess(first, second, elder, days_ago=2, items={**FULL, "B.1.1": 0}, reason="review")
    assert review.reason == "review" and Assessment.objects.filter(elder=elder).count() == 2
    assert selectors.current_grade(elder, TODAY).assessment_id == review.pk
    assert selectors.current_grade(elder, TODAY).grade == 1


def test_confirm_by_the_creator_or_an_unlisted_assessor_is_refused(team):
    first, second = team
    third = make_staff("assessor3", "assessor", WUMA)
    made = assess(first, second, ElderFactory(), confirm=False)
    with pytest.raises(PermissionDenied):
        services.confirm_assessment(acting_user=first, assessment=made)
    with pytest.raises(PermissionDenied):
        services.confirm_assessment(acting_user=third, assessment=made)
    assert Assessment.objects.get(pk=made.pk).status == "submitted"


def test_assessors_need_the_role_and_a_certificate(team, staff):
    first, _second = team
    uncertified = make_staff("nocert", "assessor", WUMA)
    StaffProfile.objects.filter(user=uncertified).update(certificate_number="")
    for other in (uncertified, staff["community_worker"]):
        with pytest.raises(ValidationError) as err:
            assess(first, other, ElderFactory(), confirm=False)
        assert "assessors" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        assess(staff["community_worker"], first, ElderFactory(), confirm=False)


def test_assessor_outside_the_elders_region_cannot_create_or_read(team):
    first, second = team
    far = make_staff("far", "assessor", LONGWAN)
    far2 = make_staff("far2", "assessor", LONGWAN)
    elder = ElderFactory()
    with pytest.raises(PermissionDenied):
        assess(far, far2, elder, confirm=False)
    with pytest.raises(ValidationError):  # a far assessor cannot co-sign either
        assess(first, far, elder, confirm=False)
    made = assess(first, second, elder)
    assert not selectors.assessments_in_scope(far).filter(pk=made.pk).exists()
    assert selectors.assessments_in_scope(first).filter(pk=made.pk).exists()
    with pytest.raises(PermissionDenied):
        services.confirm_assessment(acting_user=far, assessment=made)


def test_client_scores_cannot_reach_the_record(team):
    first, second = team
    made = assess(first, second, ElderFactory(), items={**FULL, "B.1.1": 0, "B.1.2": 0}, confirm=False)
    assert (made.total_score, made.preliminary_grade, made.grade) == (82, 1, 1)
    with pytest.raises(ValidationError) as err:
        assess(first, second, ElderFactory(), items={**FULL, "B.3.9": 3}, confirm=False)
    assert "B.3.9" in str(err.value)


def test_risk_events_are_counted_by_kind(team):
    first, second = team
    made = assess(first, second, ElderFactory(), risk_events={"fall": 1, "wandering": 1}, confirm=False)
    assert made.grade == 1 and made.adjustments  # 90 intact, raised once by two events
    with pytest.raises(ValidationError):
        assess(first, second, ElderFactory(), risk_events={"earthquake": 2}, confirm=False)


# --- pack settings ------------------------------------------------------------------------


def test_no_pack_means_the_national_defaults():
    found = policy.assessment_settings(WUMA_MOCHI)
    assert (found.interval_months, found.two_assessors, found.stack_raises) == (12, True, False)
    assert found.care_levels[4] == "完全失能"


@pytest.mark.parametrize("pack", ["national", "dongguan", "xianning", "jilin", "nanyang", "wenzhou"])
def test_every_packs_section_parses_with_a_source_for_each_value(pack):
    data = yaml.safe_load(
        (Path(django_settings.BASE_DIR) / f"policy_packs/{pack}/assessment.yaml").read_text()
    )
    parsed = policy.parse(data)
    assert parsed.interval_months == 12 and parsed.two_assessors and not parsed.stack_raises
    assert sorted(parsed.care_levels) == [0, 1, 2, 3, 4]
    assert all(entry.get("source") for entry in data.values())
    if pack == "jilin":
        assert parsed.required_for == ("institution_residents", "subsidy_recipients")
    if pack == "dongguan":
        assert parsed.on_request_min_age == 65 and parsed.mutual_recognition


def test_bad_pack_values_are_named():
    data = yaml.safe_load(
        (Path(django_settings.BASE_DIR) / "policy_packs/national/assessment.yaml").read_text()
    )
    for key, value in (("interval_months", 0), ("required_for", ["everyone"]), ("two_assessors", "yes")):
        with pytest.raises(ValidationError) as err:
            policy.parse({**data, key: {"value": value, "source": "x"}})
        assert key in str(err.value)


def test_pack_interval_stacking_and_single_assessor_apply_in_its_region(team, use_section):
    first, second = team
    use_section(WUMA, interval_months=6, stack_raises=True, two_assessors=False)
    elder = ElderFactory()
    made = services.create_assessment(
        acting_user=first,
        elder=elder,
        assessed_on=date(2025, 8, 31),
        reason="first",
        items={**FULL, "B.1.1": 0, "B.1.2": 0},  # 82: mild
        assessors=[first],
        dementia=True,
        risk_events={"fall": 2},
    )
    assert made.preliminary_grade == 1 and made.grade == 3  # two raises stack here
    assert made.valid_until == date(2026, 2, 27)
    assert services.confirm_assessment(acting_user=first, assessment=made).status == "confirmed"
    # Next street: still the national rules.
    other = ElderFactory(residence_id=next_village(SONGTAI))
    songtai = make_staff("st1", "assessor", SONGTAI)
    songtai2 = make_staff("st2", "assessor", SONGTAI)
    made = services.create_assessment(
        acting_user=songtai,
        elder=other,
        assessed_on=date(2025, 8, 31),
        reason="first",
        items={**FULL, "B.1.1": 0, "B.1.2": 0},
        assessors=[songtai, songtai2],
        dementia=True,
        risk_events={"fall": 2},
    )
    assert made.grade == 2 and made.valid_until == date(2026, 8, 30)


def next_village(prefix: str) -> str:
    from tests.factories import first_village_of

    return first_village_of(prefix[:9])


# --- current grade and recognised results ---------------------------------------------------


def test_current_grade_single_and_set_based_agree(team, staff, django_assert_num_queries):
    from elders.models import Elder

    first, second = team
    street = staff["street_officer"]
    own_valid, expired, recognised_newer, none = (ElderFactory() for _ in range(4))
    assess(first, second, own_valid, items={**FULL, "B.1.1": 0})  # 86: grade 1
    assess(first, second, expired, days_ago=400)
    assess(first, second, recognised_newer, days_ago=100)
    services.record_recognised_result(
        acting_user=street,
        elder=recognised_newer,
        source="disability",
        assessed_on=TODAY - timedelta(days=5),
        grade=3,
        valid_until=TODAY + timedelta(days=360),
        document="残联 2026-17",
    )
    expected = {own_valid.pk: 1, expired.pk: None, recognised_newer.pk: 3, none.pk: None}
    for elder in (own_valid, expired, recognised_newer, none):
        found = selectors.current_grade(elder, TODAY)
        assert (found.grade if found else None) == expected[elder.pk]
    assert selectors.current_grade(recognised_newer, TODAY).source == "disability"
    with django_assert_num_queries(1):
        annotated = dict(
            selectors.annotate_grade(Elder.objects.filter(pk__in=expected), TODAY).values_list(
                "pk", "ability_grade"
            )
        )
    assert annotated == expected


def test_recognised_results_are_recorded_in_scope_only(staff):
    elder = ElderFactory()
    far = make_staff("far_street", "street_officer", SONGTAI)
    kwargs = dict(
        elder=elder, source="ltc_insurance", assessed_on=TODAY, grade=2, valid_until=TODAY + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        services.record_recognised_result(acting_user=far, **kwargs)
    with pytest.raises(PermissionDenied):
        services.record_recognised_result(acting_user=staff["assessor"], **kwargs)
    with pytest.raises(ValidationError):
        services.record_recognised_result(
            acting_user=staff["street_officer"], **{**kwargs, "valid_until": TODAY - timedelta(days=1)}
        )
    made = services.record_recognised_result(acting_user=staff["street_officer"], **kwargs)
    assert made.recorded_by == staff["street_officer"]


# --- due list -----------------------------------------------------------------------------------


def test_due_list_has_expiring_and_expired_once_each_in_one_query(team, staff, django_assert_num_queries):
    first, second = team
    expiring, expired, fresh, reassessed = (ElderFactory() for _ in range(4))
    assess(first, second, expiring, days_ago=350)
    assess(first, second, expired, days_ago=500)
    assess(first, second, fresh, days_ago=10)
    assess(first, second, reassessed, days_ago=500)
    assess(first, second, reassessed, days_ago=5)
    with django_assert_num_queries(1):
        due = [(a.elder_id, a.elder.residence.name) for a in selectors.due_list(first, TODAY)]
    assert sorted(e for e, _ in due) == sorted([expiring.pk, expired.pk])
    assert [a.elder_id for a in selectors.due_list(first, TODAY, within_days=0)] == [expired.pk]
    # Scope: the city sees them, another district does not.
    assert selectors.due_list(make_staff("lw", "district_officer", LONGWAN), TODAY).count() == 0
    assert selectors.due_list(make_staff("city2", "city_admin", CITY), TODAY).count() == 2


def test_the_current_grade_is_read_once_per_elder_and_again_after_a_new_result(
    team, staff, django_assert_num_queries
):
    first, second = team
    elder = ElderFactory(residence_id=WUMA_MOCHI)
    assess(first, second, elder, items={**FULL, "B.1.1": 0})  # 86: grade 1
    assert selectors.current_grade(elder, TODAY).grade == 1
    with django_assert_num_queries(0):  # the file's other sections ask again: no query
        assert selectors.current_grade(elder, TODAY).grade == 1
    services.record_recognised_result(
        acting_user=staff["street_officer"],
        elder=elder,
        source="disability",
        assessed_on=TODAY,
        grade=3,
        valid_until=TODAY + timedelta(days=360),
        document="残联 2026-18",
    )
    found = selectors.current_grade(elder, TODAY)  # the same instance: the new result counts
    assert (found.grade, found.source) == (3, "disability")
