"""The public results page (双随机一公开, 向社会公布评定结果): no sign-in, only what the models'
declarations publish and the plan says is public, no person named."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from core.scope import published
from facilities.models import Facility
from regions.models import Region
from supervision import services
from supervision.choices import OrderStatus
from supervision.models import Complaint, Inspection
from supervision.selectors import checklists_for_facility, items_of
from tests.factories import LUCHENG, WUMA_GULOU, make_staff

from .helpers import supervision_world

pytestmark = pytest.mark.django_db

OUHAI = "330304000000"


def _plan(world, *, region, district, inspectors, title, publication):
    plan = services.create_plan(
        acting_user=district,
        region=Region.objects.get(code=region),
        year=timezone.localdate().year,
        title=title,
        facility_kinds=["nursing_home"],
        share_percent=100,
        months=[timezone.localdate().month],
        inspectors=inspectors,
        publication=publication,
    )
    return plan, services.draw_plan(acting_user=district, plan=plan, seed=f"seed-{title}")


def _record(inspection, user, *, not_met=()):
    items = items_of(checklists_for_facility(inspection.facility))
    results = {i.pk: {"outcome": "met"} for i in items}
    for code, note in not_met:
        results[items.get(code=code).pk] = {"outcome": "not_met", "note": note}
    services.record_inspection(
        acting_user=user, inspection=inspection, results=results, inspected_on=timezone.localdate()
    )


def test_the_public_page_shows_what_each_plan_publishes_and_no_one(wenzhou, django_assert_max_num_queries):
    world = supervision_world()
    district, street = world["district"], world["street"]
    _plan_a, drawn = _plan(
        world,
        region=LUCHENG,
        district=district,
        inspectors=[district, street],
        title="鹿城公开抽查",
        publication="findings",
    )
    _record(drawn[0], street, not_met=[("GB38600-P-FALL", "走廊无扶手")])
    _record(drawn[1], street)  # nothing found
    # Another district's plan that publishes nothing: its draw and results stay inside.
    ouhai = make_staff("sv-ouhai", "district_officer", OUHAI)
    ouhai2 = make_staff("sv-ouhai2", "district_officer", OUHAI)
    village = Region.objects.filter(code__startswith="330304", level="village").order_by("code").first()
    hidden = Facility.objects.create(
        name="瓯海不公开养老院", kind="nursing_home", ownership="private", region_id=village.code, status="operating"
    )
    _plan_b, (quiet,) = _plan(
        world, region=OUHAI, district=ouhai, inspectors=[ouhai, ouhai2], title="瓯海内部抽查", publication="none"
    )
    _record(quiet, ouhai)
    # An inspection opened by a complaint is not a published result either.
    complaint = services.file_complaint(
        acting_user=district,
        channel="hotline",
        subject="facility",
        facility=world["homes"][2],
        complainant="投诉人甲",
        complainant_phone="13800001111",
        content="夜间无人值守",
    )
    services.inspect_on_complaint(acting_user=district, complaint=complaint, inspectors=[district])

    with django_assert_max_num_queries(8):
        page = Client().get("/supervision/public/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "鹿城公开抽查" in html and "seed-鹿城公开抽查" in html  # the plan and the seed to redraw it
    assert drawn[0].facility.name in html and drawn[1].facility.name in html
    assert drawn[2].facility.name not in html  # drawn, not inspected yet: not announced
    assert "1 项不符合" in html and "未发现不符合项" in html
    assert "走廊无扶手" not in html  # the inspector's note is not published, the item's text is
    assert "防跌倒" in html and str(OrderStatus.OPEN.label) in html
    for secret in ("瓯海内部抽查", hidden.name, "投诉人甲", "13800001111", "夜间无人值守", "sv-street", "sv-district"):
        assert secret not in html, secret
    assert Inspection.objects.filter(kind="complaint").exists()

    # A plan publishing its results only: the counts, not the items.
    plan = drawn[0].plan
    plan.publication = "results"
    plan.save()
    html = Client().get("/supervision/public/").content.decode()
    assert "1 项不符合" in html and "防跌倒" not in html


def test_published_rows_are_only_what_a_declaration_publishes(wenzhou):
    with pytest.raises(ImproperlyConfigured):
        published(Complaint.objects.all())
    assert not published(Inspection.objects.all()).exists()


def test_the_published_star_ratings_are_public(wenzhou):
    from supervision.choices import Purpose
    from supervision.selectors import scoring_checklist

    world = supervision_world()
    district, street = world["district"], world["street"]
    homes = world["homes"]
    applications = []
    for home in homes[:2]:
        application = services.apply_for_star(
            acting_user=world["operator_account"], facility=home, star=3, statement="申请三星"
        )
        services.assign_evaluators(acting_user=district, application=application, evaluators=[street])
        application.refresh_from_db()
        checklist = scoring_checklist(home, Purpose.STAR_RATING)
        services.score_star(
            acting_user=street,
            application=application,
            scores={i.code: i.points for i in checklist.items.all()},
            evaluated_on=timezone.localdate(),
        )
        applications.append(services.decide_star(acting_user=district, application=application))
    services.publish_star(acting_user=district, application=applications[0])
    html = Client().get("/supervision/public/").content.decode()
    assert homes[0].name in html and "3★" in html
    assert homes[1].name not in html  # rated, not yet published
    assert "申请三星" not in html and WUMA_GULOU not in html
