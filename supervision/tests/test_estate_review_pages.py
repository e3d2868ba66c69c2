"""The district officer's pages: estates and their yearly room check, the operator review and
its contract decision (in Chinese, without code values)."""

import pytest
from django.test import Client
from django.utils import timezone

from regions.models import Region
from supervision.choices import Purpose
from supervision.models import EstateRoomCheck, OperatorReview, ResidentialEstate
from supervision.selectors import scoring_checklist
from tests.factories import WUMA_GULOU

from .helpers import supervision_world
from .test_estates_reviews_stars import _ppp_home

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_district_records_an_estate_and_its_yearly_room_check(wenzhou):
    world = supervision_world()
    client = _client(world["district"])
    today = timezone.localdate()
    assert "住宅小区配建养老服务用房" in client.get("/supervision/").content.decode()
    resp = client.post(
        "/supervision/estates/new/",
        {"name": "鼓楼新苑", "region": WUMA_GULOU, "kind": "new", "households": 1000, "developer": ""},
    )
    assert resp.status_code == 302
    estate = ResidentialEstate.objects.get(name="鼓楼新苑")
    page = client.get(f"/supervision/estates/{estate.pk}/check/").content.decode()
    assert "应配300.00平方米" in page and "单处不少于300平方米" in page
    resp = client.post(
        f"/supervision/estates/{estate.pk}/check/",
        {"year": today.year, "status": "in_use", "area_m2": "250", "checked_on": today.isoformat(), "note": ""},
    )
    assert resp.status_code == 302
    check = EstateRoomCheck.objects.get(estate=estate)
    assert check.problems == ["area_short", "site_small"]
    listing = client.get("/supervision/estates/").content.decode()
    assert "面积低于标准" in listing and "已移交并投入使用" in listing and "in_use" not in listing
    # A street officer reads the list but does not record checks.
    street = _client(world["street"])
    assert street.get("/supervision/estates/").status_code == 200
    assert street.post(
        f"/supervision/estates/{estate.pk}/check/",
        {"year": today.year - 1, "status": "in_use", "area_m2": "250", "checked_on": today.isoformat()},
    ).status_code == 403
    assert Region.objects.filter(code=WUMA_GULOU).exists()


def test_the_district_reviews_a_ppp_operator_and_decides_its_contract(wenzhou):
    world = supervision_world()
    home = _ppp_home(world)
    client = _client(world["district"])
    today = timezone.localdate()
    assert home.name in client.get("/supervision/reviews/").content.decode()
    items = list(scoring_checklist(home, Purpose.OPERATOR_REVIEW).items.order_by("position"))
    form = {"year": today.year, "reviewed_on": today.isoformat(), "summary": "年度评价"}
    form.update({f"points-{i.pk}": i.points for i in items})
    form[f"points-{items[0].pk}"] = 20
    resp = client.post(f"/supervision/reviews/facility/{home.pk}/", form)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    review = OperatorReview.objects.get(facility=home)
    page = client.get(f"/supervision/reviews/{review.pk}/").content.decode()
    assert "95.0%" in page and "续签运营合同" in page
    resp = client.post(f"/supervision/reviews/{review.pk}/", {"decision": "renew", "note": ""})
    assert resp.status_code == 302
    review.refresh_from_db()
    assert review.decision == "renew"
    # The operator reads its own review, and cannot decide.
    operator = _client(world["operator_account"])
    assert "95.0%" in operator.get(f"/supervision/reviews/{review.pk}/").content.decode()


def test_the_estate_list_reads_in_a_fixed_number_of_queries(wenzhou, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision import services
    from supervision.selectors import estates_with_check

    world = supervision_world()
    district = world["district"]
    community = Region.objects.get(code=WUMA_GULOU)
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            estate = services.register_estate(
                acting_user=district, region=community, name=f"小区{ResidentialEstate.objects.count()}", kind="new",
                households=100 + i,
            )
            services.record_room_check(
                acting_user=district, estate=estate, year=today.year, status="planned", checked_on=today
            )

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert len(estates_with_check(district, today.year)) == 1
    add(20)
    with CaptureQueriesContext(connection) as many:
        rows = estates_with_check(district, today.year)
        assert len(rows) == 21 and all(check for _e, check in rows)
    assert len(many.captured_queries) == len(one.captured_queries)
