"""Schemes paid to facilities and caregivers (咸宁): conditions on their own facts, applications by
the operator's account or bureau staff, the cost share and its cap, the amount by skill level,
a one-off payment paid once, scope and permissions."""

from decimal import Decimal

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facilities.tests.helpers import make_facility
from policies.services import load_policy_pack
from regions.models import Region
from regions.services import load_regions
from services.models import ProviderStaff
from services.tests.factories import make_caregiver, make_provider
from subsidies import rules
from subsidies.disbursement import run_disbursement
from subsidies.models import Entitlement, Payment, Scheme
from subsidies.policy import parse
from subsidies.tests.helpers import api as _api
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import ElderFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def xn(db):
    """A slice of Xianning (4212) with its pack: one street of one district, the staff of each level,
    a provider with its account, another district's officer."""
    load_regions(prefix="4212")
    load_pack_for_today("xianning", "4212")
    towns = list(Region.objects.filter(code__startswith="4212", level="town").order_by("code"))
    town = towns[0]
    other_county = next(t for t in towns if t.code[:6] != town.code[:6])
    village = Region.objects.filter(parent=town, level="village").order_by("code").first()
    county = town.code[:6].ljust(12, "0")
    provider = make_provider(region=county, name="咸宁康乐养老服务有限公司")
    account = make_staff("xp", "provider_staff", county)
    ProviderStaff.objects.create(user=account, provider=provider)
    return {
        "town": town,
        "village": village,
        "provider": provider,
        "provider_staff": account,
        "other_provider_staff": make_staff("xp2", "provider_staff", county),
        "worker": make_staff("xw", "community_worker", village.code),
        "street": make_staff("xs", "street_officer", town.code),
        "district": make_staff("xd", "district_officer", county),
        "other_district": make_staff("xd2", "district_officer", other_county.code[:6].ljust(12, "0")),
    }


def api(user):
    """An API client of `user` reading English messages (Chinese is the portal's default)."""
    from django.conf import settings

    client = _api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def apply(user, **body):
    return api(user).post("/api/v1/subsidy-applications/", body, format="json")


def approve_all(xn, application_id: int, levels=("street", "district")) -> None:
    for level in levels:
        response = api(xn[level]).post(
            f"/api/v1/subsidy-applications/{application_id}/review/", {"decision": "approve"}, format="json"
        )
        assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    ("code", "cost", "paid"),
    [
        ("XN-SERVICE-POINT-EMBEDDED", "300000.00", "150000.00"),  # below the cap: half the cost
        ("XN-SERVICE-POINT-EMBEDDED", "400000.00", "200000.00"),  # exactly at the cap
        ("XN-SERVICE-POINT-EMBEDDED", "650000.01", "200000.00"),  # above: the cap
        ("XN-SERVICE-POINT-HUB", "799999.98", "399999.99"),
        ("XN-SERVICE-POINT-HUB", "800000.00", "400000.00"),
        ("XN-SERVICE-POINT-HUB", "1500000.00", "400000.00"),
    ],
)
def test_construction_subsidy_is_half_the_cost_up_to_the_cap(xn, code, cost, paid):
    rule = Scheme.objects.get(code=code).amount_rule
    assert rules.amount(rule, rules.Facts(cost=Decimal(cost))) == Decimal(paid)


def test_a_service_point_is_approved_and_paid_once_to_its_operator(xn, english):
    station = make_facility(
        region=xn["town"].code, kind="station", operator=xn["provider"], name="温泉社区嵌入式服务站"
    )
    response = apply(
        xn["provider_staff"],
        facility=station.pk,
        scheme="XN-SERVICE-POINT-EMBEDDED",
        claimed_cost="512345.67",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["facility"], body["elder"], body["claimed_cost"], body["level"]) == (
        station.pk,
        None,
        "512345.67",
        "street",
    )
    # The street officer of another district does not see it; the district officer must wait.
    assert api(xn["other_district"]).get(f"/api/v1/subsidy-applications/{body['id']}/").status_code == 404
    approve_all(xn, body["id"])

    entitlement = Entitlement.objects.get(facility=station)
    assert entitlement.elder_id is None and entitlement.amount == Decimal("200000.00")  # capped
    assert entitlement.payee_name == "咸宁康乐养老服务有限公司"
    first = entitlement.first_period
    assert run_disbursement(period=first).payments == 1
    # One-off: the following months pay nothing more, and re-running the first changes nothing.
    later = [
        f"{int(first[:4]) + (int(first[5:]) + i - 1) // 12}-{(int(first[5:]) + i - 1) % 12 + 1:02d}"
        for i in (1, 2, 13)
    ]
    for period in [first, *later]:
        assert run_disbursement(period=period).payments == 0
    assert list(Payment.objects.filter(entitlement=entitlement).values_list("period", "amount")) == [
        (first, Decimal("200000.00"))
    ]

    rows = api(xn["district"]).get("/api/v1/payments/", {"facility": station.pk}).json()["results"]
    assert [(r["period"], r["amount"], r["beneficiary"], r["payee"], r["elder"]) for r in rows] == [
        (first, "200000.00", "facility", "咸宁康乐养老服务有限公司", None)
    ]
    assert (
        api(xn["other_district"]).get("/api/v1/payments/", {"facility": station.pk}).json()["results"] == []
    )
    # A one-off subsidy is not claimed twice: a second application is refused.
    again = apply(
        xn["provider_staff"], facility=station.pk, scheme="XN-SERVICE-POINT-EMBEDDED", claimed_cost="1000.00"
    )
    assert again.status_code == 400 and "already receives" in str(again.json())


def test_the_roll_of_a_facility_scheme_is_checked_against_the_facility(xn):
    station = make_facility(region=xn["town"].code, kind="day_care", operator=xn["provider"])
    app = apply(
        xn["district"], facility=station.pk, scheme="XN-SERVICE-POINT-EMBEDDED", claimed_cost="100000.00"
    ).json()
    approve_all(xn, app["id"])
    entitlement = Entitlement.objects.get(facility=station)
    assert entitlement.amount == Decimal("50000.00")
    run_disbursement(period=entitlement.first_period)
    from subsidies.disbursement import cross_checks
    from subsidies.models import DisbursementBatch

    batch = DisbursementBatch.objects.get(scheme__code="XN-SERVICE-POINT-EMBEDDED")
    assert batch.region_id == "421200000000"
    assert cross_checks(batch) == []  # no elder checks (visits, assessment) on a facility
    station.status = "closed"
    station.save()
    assert [c["reason"] for c in cross_checks(batch)] == ["no longer meets the scheme's conditions"]


def test_caregiver_training_subsidy_by_skill_level(xn, english):
    junior = make_caregiver(xn["provider"], skill_level=5, certificate_number="YLHL-0005")
    senior = make_caregiver(xn["provider"], skill_level=1, certificate_number="YLHL-0001")
    middle = make_caregiver(xn["provider"], skill_level=3, certificate_number="YLHL-0003")
    uncertified = make_caregiver(xn["provider"], skill_level=5)
    for caregiver, amount in ((junior, "200.00"), (senior, "2000.00")):
        response = apply(xn["provider_staff"], caregiver=caregiver.pk, scheme="XN-CAREGIVER-TRAINING")
        assert response.status_code == 201, response.json()
        approve_all(xn, response.json()["id"], levels=("district",))
        entitlement = Entitlement.objects.get(caregiver=caregiver)
        assert (entitlement.amount, entitlement.payee_name) == (Decimal(amount), caregiver.name)
    # Levels 4-2: the document gives no amount, so no application until the bureau sets one.
    refused = apply(xn["provider_staff"], caregiver=middle.pk, scheme="XN-CAREGIVER-TRAINING")
    assert refused.status_code == 400 and "gives no amount" in str(refused.json())
    refused = apply(xn["provider_staff"], caregiver=uncertified.pk, scheme="XN-CAREGIVER-TRAINING")
    assert refused.status_code == 400 and "certificate" in str(refused.json()["conditions"])
    period = Entitlement.objects.get(caregiver=junior).first_period
    run_disbursement(period=period)
    rows = api(xn["district"]).get("/api/v1/payments/", {"beneficiary": "caregiver"}).json()["results"]
    assert sorted((r["caregiver"], r["amount"]) for r in rows) == sorted(
        [(junior.pk, "200.00"), (senior.pk, "2000.00")]
    )


def test_who_may_apply_for_a_facility_or_caregiver(xn, english):
    station = make_facility(region=xn["town"].code, kind="station", operator=xn["provider"])
    caregiver = make_caregiver(xn["provider"], skill_level=5, certificate_number="YLHL-1")
    body = {"facility": station.pk, "scheme": "XN-SERVICE-POINT-EMBEDDED", "claimed_cost": "1000.00"}
    # Another provider's account, the community worker, the street officer: refused.
    assert apply(xn["other_provider_staff"], **body).status_code in (400, 403)
    assert apply(xn["worker"], **body).status_code in (400, 403)
    assert apply(xn["street"], **body).status_code in (400, 403)
    # A district officer of another district does not even see the facility.
    assert apply(xn["other_district"], **body).status_code == 400
    assert (
        apply(xn["other_district"], caregiver=caregiver.pk, scheme="XN-CAREGIVER-TRAINING").status_code == 400
    )
    # The cost is required, positive, in yuan and fen.
    missing = apply(xn["provider_staff"], facility=station.pk, scheme="XN-SERVICE-POINT-EMBEDDED")
    assert missing.status_code == 400 and "claimed_cost" in missing.json()
    for bad in ("-5.00", "0", "12.345", "abc"):
        assert (
            apply(
                xn["provider_staff"],
                facility=station.pk,
                scheme="XN-SERVICE-POINT-EMBEDDED",
                claimed_cost=bad,
            ).status_code
            == 400
        )
    # The beneficiary must be the scheme's kind.
    elder = ElderFactory(residence_id=xn["village"].code)
    wrong = apply(xn["district"], elder=elder.pk, scheme="XN-SERVICE-POINT-EMBEDDED", claimed_cost="10.00")
    assert wrong.status_code in (400, 403)
    # A hub-type centre does not qualify for the embedded scheme: the failed condition is named.
    centre = make_facility(region=xn["town"].code, kind="street_centre", operator=xn["provider"])
    refused = apply(
        xn["provider_staff"], facility=centre.pk, scheme="XN-SERVICE-POINT-EMBEDDED", claimed_cost="10.00"
    )
    assert refused.status_code == 400 and "facility kind" in str(refused.json()["conditions"])
    assert apply(xn["provider_staff"], **body).status_code == 201
    assert not Entitlement.objects.exists()


def test_the_pack_refuses_an_elder_fact_in_a_facility_scheme(english):
    data = yaml.safe_load(open("policy_packs/xianning/schemes.yaml", encoding="utf-8"))
    row = next(r for r in data["schemes"]["value"] if r["code"] == "XN-SERVICE-POINT-HUB")
    row["eligibility"] = {"all": [row["eligibility"], {"fact": "age", "op": "gte", "value": 80}]}
    with pytest.raises(ValidationError) as exc:
        parse(data)
    assert "'age' is a fact about a elder, not about a facility" in str(exc.value)
    parse(yaml.safe_load(open("policy_packs/wenzhou/schemes.yaml", encoding="utf-8")))  # the real packs load


def test_the_database_holds_one_beneficiary_per_entitlement(xn):
    station = make_facility(region=xn["town"].code, kind="station", operator=xn["provider"])
    elder = ElderFactory(residence_id=xn["village"].code)
    scheme = Scheme.objects.get(code="XN-SERVICE-POINT-EMBEDDED")
    for owners in ({"elder": elder, "facility": station}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Entitlement.objects.create(
                scheme=scheme, first_period="2026-01", amount=Decimal("1.00"), **owners
            )


def test_wenzhou_star_operating_subsidy_stays_inactive_without_amounts(wenzhou):
    load_policy_pack(name="wenzhou", region_code="3303")
    scheme = Scheme.objects.get(code="WZ-STAR-OPERATING")
    assert (scheme.active, scheme.beneficiary, scheme.amount_rule["kind"]) == (False, "facility", "by_star")
    assert "星级" in scheme.inactive_reason
    assert rules.amount(scheme.amount_rule, rules.Facts(star=3)) is None
    assert rules.amount({"kind": "by_star", "amounts": {"3": "5000"}}, rules.Facts(star=3)) == Decimal(
        "5000.00"
    )


def test_due_months_by_frequency():
    months = ["2026-01", "2026-02", "2026-12", "2027-01", "2027-02"]
    assert rules.due_months(months, frequency="monthly", first_period="2026-01") == months
    assert rules.due_months(months, frequency="one_off", first_period="2026-01") == ["2026-01"]
    assert rules.due_months(months, frequency="yearly", first_period="2026-01") == ["2026-01", "2027-01"]
    assert rules.due_months(months[1:], frequency="one_off", first_period="2026-01") == []


def _month_after(period: str, n: int) -> str:
    index = int(period[:4]) * 12 + int(period[5:]) - 1 + n
    return f"{index // 12}-{index % 12 + 1:02d}"


def test_a_yearly_facility_scheme_pays_every_twelfth_month_and_stops_when_the_facility_closes(
    xn, django_assert_max_num_queries
):
    from django.utils import timezone

    from subsidies.services import enrol_and_stop

    # As a bureau would set 温州's star subsidy once it has amounts: a yearly amount by star rating.
    Scheme.objects.create(
        code="TEST-STAR-YEARLY",
        name="星级运营补助（测试）",
        region_id="421200000000",
        legal_basis="test",
        effective_from="2020-01-01",
        beneficiary="facility",
        frequency="yearly",
        payment_form="cash",
        eligibility={"fact": "facility_star", "op": "gte", "value": 3},
        amount_rule={"kind": "by_star", "amounts": {"3": "30000.00", "4": "40000.00"}},
        review_levels=["district"],
        active=True,
    )
    centre = make_facility(region=xn["town"].code, kind="street_centre", operator=xn["provider"], star=4)
    one_off = make_facility(region=xn["town"].code, kind="station", operator=xn["provider"])
    for body in (
        {"facility": centre.pk, "scheme": "TEST-STAR-YEARLY"},
        {"facility": one_off.pk, "scheme": "XN-SERVICE-POINT-EMBEDDED", "claimed_cost": "20000.00"},
    ):
        app = apply(xn["district"], **body)
        assert app.status_code == 201, app.json()
        approve_all(xn, app.json()["id"], levels=xn_levels(body["scheme"]))
    yearly = Entitlement.objects.get(facility=centre)
    assert yearly.amount == Decimal("40000.00")
    first = yearly.first_period
    for n in range(14):
        run_disbursement(period=_month_after(first, n))
    assert list(Payment.objects.filter(entitlement=yearly).values_list("period", flat=True)) == [
        _month_after(first, 12),
        first,
    ]
    with django_assert_max_num_queries(6):
        rows = api(xn["district"]).get("/api/v1/payments/", {"beneficiary": "facility"}).json()["results"]
    assert len(rows) == 3

    centre.star = 2  # downgraded: no longer qualifies
    centre.save()
    one_off.status = "closed"
    one_off.save()
    assert enrol_and_stop(on=timezone.localdate())["stopped"] == 1
    yearly.refresh_from_db()
    assert yearly.status == "stopped"
    assert Entitlement.objects.get(facility=one_off).status == "active"  # a paid one-off stays


def xn_levels(code: str) -> tuple[str, ...]:
    return tuple(Scheme.objects.get(code=code).review_levels)


def test_the_operator_applies_on_the_facility_page_and_the_street_reviews_it(xn):
    from django.conf import settings
    from django.test import Client

    from subsidies.models import Application

    def page_client(user):
        c = Client()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        c.force_login(user)
        return c

    station = make_facility(
        region=xn["town"].code, kind="station", operator=xn["provider"], name="温泉服务站"
    )
    operator = page_client(xn["provider_staff"])
    page = operator.get(f"/subsidies/facility/{station.pk}/").content.decode()
    embedded = page.split('data-testid="scheme-XN-SERVICE-POINT-EMBEDDED"')[1].split("</section>")[0]
    assert "qualifies" in embedded and "50 % of the claimed cost, at most 200000.00 yuan" in embedded
    hub = page.split('data-testid="scheme-XN-SERVICE-POINT-HUB"')[1].split("</section>")[0]
    assert "does not qualify" in hub and "<form" not in hub

    refused = operator.post(
        f"/subsidies/facility/{station.pk}/", {"scheme": "XN-SERVICE-POINT-EMBEDDED"}, follow=True
    )
    assert "State the cost" in refused.content.decode() and not Application.objects.exists()
    operator.post(
        f"/subsidies/facility/{station.pk}/",
        {"scheme": "XN-SERVICE-POINT-EMBEDDED", "claimed_cost": "88000.50"},
    )
    application = Application.objects.get(facility=station)
    assert (application.claimed_cost, application.level) == (Decimal("88000.50"), "street")
    assert "Under review" in operator.get(f"/subsidies/facility/{station.pk}/").content.decode()
    # Another provider's account cannot apply for it.
    other = page_client(xn["other_provider_staff"]).post(
        f"/subsidies/facility/{station.pk}/",
        {"scheme": "XN-SERVICE-POINT-HUB", "claimed_cost": "1.00"},
        follow=True,
    )
    # It cannot even see it: a provider account sees only its own provider's facilities.
    assert other.status_code == 404
    assert Application.objects.count() == 1
    # The street officer sees it in the queue, with the facility and the claimed cost.
    queue = page_client(xn["street"]).get("/subsidies/review/").content.decode()
    item = queue.split(f'data-testid="application-{application.pk}"')[1].split("</li>")[0]
    assert "温泉服务站" in item and "88000.50" in item
    page_client(xn["street"]).post(f"/subsidies/review/{application.pk}/", {"decision": "approve"})
    page_client(xn["district"]).post(f"/subsidies/review/{application.pk}/", {"decision": "approve"})
    entitlement = Entitlement.objects.get(facility=station)
    run_disbursement(period=entitlement.first_period)
    payments = operator.get(f"/subsidies/facility/{station.pk}/").content.decode()
    assert "44000.25 yuan" in payments.split('data-testid="payments"')[1]
