"""Issue 16 items 5 and 6: the yearly check of estates' elder-care rooms against the space
standard, the yearly review of 公建民营 operators on the pack's checklist, and the star rating as
a process (apply, evaluate, result into the star history, publish)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from facilities.models import Facility, StarRating
from regions.models import Region
from supervision import rules, services
from supervision.choices import Purpose
from supervision.models import Checklist, ChecklistItem
from supervision.selectors import checklists_for_facility, published_stars, scoring_checklist
from tests.factories import WUMA_GULOU

from .helpers import supervision_world

pytestmark = pytest.mark.django_db


# --- pure rules -----------------------------------------------------------------------------------


def test_scores_are_checked_against_each_items_points():
    maxima = {"A": 10, "B": 20}
    assert rules.score_errors(maxima, {"A": "10", "B": 0}) == {}
    assert rules.score_errors(maxima, {"A": "11", "B": "x"}) == {"A": "range", "B": "missing"}
    assert rules.score_errors(maxima, {"A": -1}) == {"A": "range", "B": "missing"}
    assert rules.total(maxima, {"A": Decimal("7.5"), "B": Decimal(12)}) == (
        Decimal("19.5"),
        Decimal(30),
        Decimal("65.0"),
    )


def test_the_star_reached_is_capped_at_the_level_applied_for():
    levels = tuple(Decimal(x) for x in (60, 70, 80, 90, 95))
    assert rules.star_for(Decimal("85"), levels, applied=5) == 3
    assert rules.star_for(Decimal("96"), levels, applied=4) == 4
    assert rules.star_for(Decimal("59.9"), levels, applied=5) is None
    assert rules.mean_percent([Decimal("80.0"), Decimal("85.1")]) == Decimal("82.6")


def test_the_review_recommends_for_the_contract():
    assert rules.review_recommendation(Decimal(60), Decimal(60), serious_item_failed=False) == "renew"
    assert rules.review_recommendation(Decimal("59.9"), Decimal(60), serious_item_failed=False) == "rectify"
    assert rules.review_recommendation(Decimal(90), Decimal(60), serious_item_failed=True) == "terminate"


def test_a_room_counts_handed_over_in_use_and_large_enough():
    args = {"required_m2": Decimal(300), "min_site_m2": Decimal(300)}
    assert rules.room_verdict(status="in_use", area_m2=Decimal(320), **args) == (True, [])
    assert rules.room_verdict(status="in_use", area_m2=Decimal(250), **args) == (False, ["area_short", "site_small"])
    assert rules.room_verdict(status="built", area_m2=Decimal(320), **args) == (False, ["not_handed_over"])
    assert rules.room_verdict(status="not_provided", area_m2=None, **args) == (False, ["not_provided"])
    assert rules.room_verdict(status="diverted", area_m2=Decimal(400), **args) == (False, ["diverted"])
    assert rules.room_verdict(status="in_use", area_m2=Decimal(50), required_m2=None, min_site_m2=None) == (None, [])


# --- the packs ------------------------------------------------------------------------------------


def test_scored_checklists_load_from_the_packs_and_stay_out_of_inspections(wenzhou):
    from policies.services import load_policy_pack

    world = supervision_world()
    # Their supervision sections, on two other districts of the loaded city (the checklists' rows are
    # what is tested, not where the cities lie).
    load_policy_pack(name="dongguan", region_code="330303", only=["supervision"])
    load_policy_pack(name="jilin", region_code="330304", only=["supervision"])
    review = Checklist.objects.get(code="NAT-PPP-REVIEW")
    assert review.purpose == Purpose.OPERATOR_REVIEW
    assert sum(review.items.values_list("points", flat=True)) == 100
    assert sum(Checklist.objects.get(code="GBT37276-STAR").items.values_list("points", flat=True)) == 100
    for code in ("DG-12-PPP-REVIEW", "JL-33-PPP-REVIEW", "JL-311-STAR"):
        assert sum(Checklist.objects.get(code=code).items.values_list("points", flat=True)) == 100, code
    # The document's own words, each with its quote.
    item = ChecklistItem.objects.get(code="JL-33-R-BEDS")
    assert item.text == "闲置床位全部向失能或高龄社会老年人开放"
    assert item.source[0]["quote"] == "闲置床位全部向失能或高龄社会老年人开放"
    home = world["homes"][0]
    assert all(c.purpose == Purpose.INSPECTION for c in checklists_for_facility(home))
    assert scoring_checklist(home, Purpose.STAR_RATING).code == "GBT37276-STAR"


def test_a_scored_item_without_points_is_refused():
    from supervision.policy import parse

    data = {
        "checklists": {
            "value": [
                {
                    "code": "X",
                    "title": "x",
                    "purpose": "star_rating",
                    "facility_kinds": ["nursing_home"],
                    "items": [
                        {
                            "code": "X-1",
                            "area": "local",
                            "text": "t",
                            "standard": "s",
                            "clause": "c",
                            "source": {"basis": "reading", "note": "n"},
                        }
                    ],
                }
            ],
            "source": {"basis": "reading", "note": "n"},
        }
    }
    with pytest.raises(ValidationError, match="points"):
        parse(data)
    data["checklists"]["value"][0]["items"][0]["points"] = 10
    assert parse(data).checklists[0]["items"][0]["points"] == 10
    data["star_levels"] = {"value": [60, 50, 80, 90, 95], "source": {"basis": "reading", "note": "n"}}
    with pytest.raises(ValidationError, match="star"):
        parse(data)


# --- estates --------------------------------------------------------------------------------------


def test_the_yearly_room_check_against_wenzhous_space_standard(wenzhou):
    world = supervision_world()
    district = world["district"]
    community = Region.objects.get(code=WUMA_GULOU)
    today = timezone.localdate()
    new = services.register_estate(
        acting_user=district, region=community, name="鼓楼新苑", kind="new", households=1000, developer="某地产"
    )
    # 温州: new estates 30 m² per 100 households and sites of at least 300 m².
    check = services.record_room_check(
        acting_user=district, estate=new, year=today.year, status="in_use", area_m2=Decimal(250), checked_on=today
    )
    assert check.required_m2 == Decimal("300.00") and check.min_site_m2 == Decimal(300)
    assert check.meets_standard is False and check.problems == ["area_short", "site_small"]
    assert "三(二)5" in check.standard_source  # the standard is kept with the check
    with pytest.raises(ValidationError):  # once a year
        services.record_room_check(
            acting_user=district, estate=new, year=today.year, status="in_use", area_m2=Decimal(300), checked_on=today
        )
    old = services.register_estate(acting_user=district, region=community, name="鼓楼旧村", kind="old", households=500)
    built = services.record_room_check(
        acting_user=district, estate=old, year=today.year, status="built", area_m2=Decimal(220), checked_on=today
    )
    assert built.required_m2 is None and built.min_site_m2 == Decimal(200)
    assert built.meets_standard is False and built.problems == ["not_handed_over"]
    assert built.problem_labels() == ["未移交"]
    with pytest.raises(ValidationError) as refused:
        services.record_room_check(
            acting_user=district, estate=old, year=today.year - 1, status="in_use", area_m2=None, checked_on=today
        )
    assert set(refused.value.message_dict) == {"area_m2"}
    ok = services.record_room_check(
        acting_user=district, estate=old, year=today.year - 1, status="in_use", area_m2=Decimal(220), checked_on=today
    )
    assert ok.meets_standard is True and ok.problems == []


def test_only_the_district_records_estates_within_its_region(wenzhou, staff):
    community = Region.objects.get(code=WUMA_GULOU)
    with pytest.raises(PermissionDenied):
        services.register_estate(
            acting_user=staff["community_worker"], region=community, name="x", kind="new", households=10
        )
    supervision_world()
    elsewhere = Region.objects.filter(level="village").exclude(code__startswith="330302").first()
    with pytest.raises(PermissionDenied):
        services.register_estate(
            acting_user=staff["district_officer"], region=elsewhere, name="x", kind="new", households=10
        )


# --- operator reviews -----------------------------------------------------------------------------


def _ppp_home(world):
    return Facility.objects.create(
        name="鹿城公建民营颐养院",
        kind="nursing_home",
        ownership="public_private",
        operator=world["operator"],
        region_id=WUMA_GULOU,
        status="operating",
        beds=80,
    )


def _full(checklist, **overrides):
    return {i.code: overrides.get(i.code, i.points) for i in checklist.items.all()}


def test_a_yearly_review_scores_the_operator_and_feeds_the_contract_decision(wenzhou):
    world = supervision_world()
    home = _ppp_home(world)
    district = world["district"]
    today = timezone.localdate()
    checklist = scoring_checklist(home, Purpose.OPERATOR_REVIEW)
    assert checklist.code == "NAT-PPP-REVIEW"  # 温州 sets none: the national one
    with pytest.raises(ValidationError):
        services.review_operator(
            acting_user=district, facility=world["homes"][0], year=today.year, scores={}, reviewed_on=today
        )
    with pytest.raises(ValidationError, match="NAT-PPP-FEES"):
        services.review_operator(
            acting_user=district,
            facility=home,
            year=today.year,
            scores=_full(checklist, **{"NAT-PPP-FEES": 11}),
            reviewed_on=today,
        )
    review = services.review_operator(
        acting_user=district,
        facility=home,
        year=today.year - 1,
        scores=_full(checklist, **{"NAT-PPP-SERVICE": 5, "NAT-PPP-SATISFACTION": 0, "NAT-PPP-SAFETY": 0}),
        notes={"NAT-PPP-SAFETY": "年内发生一起烫伤事故"},
        reviewed_on=today,
    )
    assert (review.points, review.percent, review.pass_score) == (Decimal(55), Decimal("55.0"), Decimal(60))
    assert not review.passed and review.recommendation == "rectify"
    assert review.notes == {"NAT-PPP-SAFETY": "年内发生一起烫伤事故"}
    with pytest.raises(ValidationError):  # a different decision says why
        services.decide_contract(acting_user=district, review=review, decision="renew")
    services.decide_contract(acting_user=district, review=review, decision="renew", note="已完成整改")
    review.refresh_from_db()
    assert review.decision == "renew" and review.decided_by == district
    with pytest.raises(ValidationError):
        services.decide_contract(acting_user=district, review=review, decision="terminate", note="x")

    assets_lost = services.review_operator(
        acting_user=district,
        facility=home,
        year=today.year,
        scores=_full(checklist, **{"NAT-PPP-ASSETS": 0}),
        reviewed_on=today,
    )
    assert assets_lost.passed and assets_lost.recommendation == "terminate"
    with pytest.raises(PermissionDenied):
        services.review_operator(
            acting_user=world["operator_account"], facility=home, year=today.year - 2, scores={}, reviewed_on=today
        )


# --- star ratings ---------------------------------------------------------------------------------


def test_the_star_rating_process_from_application_to_publication(wenzhou):
    world = supervision_world()
    home = world["homes"][0]
    district, street, operator = world["district"], world["street"], world["operator_account"]
    application = services.apply_for_star(acting_user=operator, facility=home, star=4, statement="设施完善")
    with pytest.raises(ValidationError):  # one open application per facility
        services.apply_for_star(acting_user=operator, facility=home, star=3, statement="再次")
    with pytest.raises(PermissionDenied):  # the district does not apply for the operator
        services.apply_for_star(acting_user=district, facility=world["homes"][1], star=3, statement="x")
    with pytest.raises(PermissionDenied):
        services.assign_evaluators(acting_user=operator, application=application, evaluators=[street])
    services.assign_evaluators(acting_user=district, application=application, evaluators=[district, street])
    application.refresh_from_db()
    assert application.status == "evaluating" and application.checklist.code == "GBT37276-STAR"
    today = timezone.localdate()
    full = _full(application.checklist)
    with pytest.raises(PermissionDenied):
        services.score_star(acting_user=operator, application=application, scores=full, evaluated_on=today)
    services.score_star(acting_user=street, application=application, scores=full, evaluated_on=today)  # 100 %
    with pytest.raises(ValidationError, match="sv-district"):  # waiting for its scores
        services.decide_star(acting_user=district, application=application)
    services.score_star(
        acting_user=district,
        application=application,
        scores=_full(application.checklist, **{"GBT37276-SERVICE": 40}),  # 80 %
        evaluated_on=today,
    )
    with pytest.raises(ValidationError):  # one sheet each
        services.score_star(acting_user=street, application=application, scores=full, evaluated_on=today)
    decided = services.decide_star(acting_user=district, application=application)
    # The mean, 90 %, reaches 4 stars on the national levels (60/70/80/90/95): as applied for.
    assert decided.percent == Decimal("90.0") and decided.star_awarded == 4 and decided.status == "rated"
    rating = StarRating.objects.get(facility=home)
    assert decided.rating == rating and rating.star == 4 and rating.rated_on == today
    assert rating.evaluator == "sv-district、sv-street"
    home.refresh_from_db()
    assert home.star == 4
    assert not published_stars(district).exists()
    services.publish_star(acting_user=district, application=decided)
    assert list(published_stars(street)) == [decided]
    assert list(published_stars(operator)) == [decided]
    with pytest.raises(ValidationError):
        services.publish_star(acting_user=district, application=decided)


def test_a_score_below_one_star_records_no_rating(wenzhou):
    world = supervision_world()
    home = world["homes"][1]
    application = services.apply_for_star(
        acting_user=world["operator_account"], facility=home, star=2, statement="申请"
    )
    services.assign_evaluators(acting_user=world["district"], application=application, evaluators=[world["street"]])
    application.refresh_from_db()
    services.score_star(
        acting_user=world["street"],
        application=application,
        scores={code: 0 for code in _full(application.checklist)},
        evaluated_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.score_star(
            acting_user=world["street"],
            application=application,
            scores={},
            evaluated_on=timezone.localdate() + timedelta(days=1),
        )
    decided = services.decide_star(acting_user=world["district"], application=application)
    assert decided.status == "not_rated" and decided.star_awarded is None and decided.rating is None
    assert not StarRating.objects.filter(facility=home).exists()
    with pytest.raises(ValidationError):
        services.publish_star(acting_user=world["district"], application=decided)
    # The facility may apply again.
    services.apply_for_star(acting_user=world["operator_account"], facility=home, star=1, statement="再申请")
