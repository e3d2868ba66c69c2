"""The sweep (issue 12): scope is structural, so no interface answers with data outside it.

With an account of every role in Wenzhou, and objects of every kind in another city (a slice of
Changchun, 2201) plus, for provider staff, a second provider in their own district, the sweep
walks:

- every API route the URL resolver knows (router and plain views alike, so a new route is
  swept without being listed here): each list, each detail of an object outside the account's
  scope with every method the route answers;
- every model registered in the admin: its list, and for each object outside scope the change,
  history, history form and delete pages;
- every worker page, its id arguments filled with the ids of the objects outside scope.

An answer fails the sweep when it names an outside object (its name, ID number or region
code), when a list returns an outside row's id, or when a detail of an outside object answers
2xx. Structurally, every API view must build on core.api's scoped base and every admin on
core.admin.ScopedAdmin. `test_the_sweep_catches_a_route_that_forgets_scoping` registers a
viewset that forgets the scope and shows the sweep fails on it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.utils import timezone
from pypdf import PdfReader
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from core.admin import ScopedAdmin
from core.api import ScopedAPIMixin
from elders.models import Elder
from tests.factories import LUCHENG, WUMA_GULOU, ElderFactory, api_client, make_staff

pytestmark = pytest.mark.django_db

ROLES = [
    "city_admin",
    "district_officer",
    "street_officer",
    "community_worker",
    "assessor",
    "leader",
    "provider_staff",
    "department_staff",
]
DETAILS_PER_MODEL = 3  # outside objects tried per route (each is a different kind of owner)
# API views that read no rows of the registry: the token, the schema and the router's index.
NOT_DATA = {"ObtainTokenView", "RevokeTokenView", "SchemaView", "DocsView", "APIRootView"}


# --- the worlds -------------------------------------------------------------------------------


def _project_models():
    from django.conf import settings

    base = str(settings.BASE_DIR)
    for model in apps.get_models():
        config = apps.get_app_config(model._meta.app_label)
        # The virtualenv may live inside the checkout (./dev makes .venv there): its apps are not ours.
        ours = config.path.startswith(base) and "site-packages" not in config.path
        if ours and not model.__name__.startswith("Historical"):
            yield model


PROJECT_MODELS = set(_project_models())


def _snapshot() -> dict[type[models.Model], set]:
    return {m: set(m._base_manager.values_list("pk", flat=True)) for m in _project_models()}


def _new_since(before) -> dict[type[models.Model], set]:
    after = _snapshot()
    return {m: pks - before.get(m, set()) for m, pks in after.items() if pks - before.get(m, set())}


@dataclass
class Outside:
    """What one account must never be shown: rows by model, and text that names them."""

    rows: dict[type[models.Model], set] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)


def _named_caregiver(provider, name: str):
    from services.tests.factories import make_caregiver

    carer = make_caregiver(provider)
    carer.name = name
    carer.save(update_fields=["name"])
    return carer


def _build_other_provider(staff) -> tuple[dict, set[str]]:
    """A second provider in the provider account's own district, with what a provider owns."""
    from facilities.services import admit
    from facilities.tests.helpers import make_facility
    from services.models import CreditRecord, ServiceRecord
    from services.tests.factories import make_provider

    elder = ElderFactory(name="在院老人", residence_id=WUMA_GULOU)
    before = _snapshot()
    other = make_provider(name="别家养老服务中心", region=LUCHENG)
    carer = _named_caregiver(other, "别家护理员")
    home = make_facility(name="别家养老院", address="别家养老院门牌", operator=other)
    admit(acting_user=staff["district_officer"], facility=home, elder=elder, admitted_on=timezone.localdate())
    ServiceRecord.objects.create(
        elder=elder,
        provider=other,
        caregiver=carer,
        kind="home_care",
        started_at=timezone.now() - timedelta(hours=2),
        duration_minutes=60,
        funding="self",
        amount=Decimal("30.00"),
        recorded_by=staff["district_officer"],
        notes="别家服务记录",
    )
    CreditRecord.objects.create(
        provider=other,
        kind="warning",
        reason="别家警示",
        starts_on=timezone.localdate(),
        recorded_by=staff["district_officer"],
    )
    rows = _new_since(before)
    # Not the home's name: the file of an elder in the account's region says where the elder lives.
    return rows, {
        "别家养老服务中心",
        "别家护理员",
        carer.id_number,
        "别家养老院门牌",
        "别家服务记录",
        "别家警示",
    }


def _build_other_city() -> tuple[dict, set[str]]:
    """Changchun (2201): one object of every kind, made through the services where they exist."""
    from assessments.models import RecognisedResult
    from assessments.services import request_assessment
    from audit.models import AccessLog
    from facilities.services import admit, apply_for_bed, set_up_family_bed
    from facilities.tests.helpers import make_facility
    from notifications.services import Draft, notify
    from policies.services import load_policy_pack
    from regions.models import Department, Region
    from regions.services import load_regions
    from reports.models import MonthlyStat, StatRun
    from services.choices import ItemCategory
    from services.models import Catalogue, CatalogueItem, CreditRecord, ProviderStaff, ServiceRecord
    from services.services import record_visit
    from services.tests.factories import make_provider
    from subsidies.models import Application
    from subsidies.tests.helpers import api, load_pack_for_today
    from workforce.services import appoint_adviser, record_training

    # Supervision's national rules (the star levels, the review pass score) are national pack data,
    # loaded before the snapshot: they are the same for every account, not the other city's.
    load_policy_pack(name="national", only=["supervision"])
    before = _snapshot()
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    towns = list(Region.objects.filter(code__startswith="2201", level="town").order_by("code")[:1])
    village = Region.objects.filter(parent=towns[0], level="village").order_by("code").first()
    county = Region.objects.get(code=towns[0].code[:6].ljust(12, "0"))
    city = Region.objects.get(code="220100000000")
    worker = make_staff("cc-worker", "community_worker", village.code)
    street = make_staff("cc-street", "street_officer", towns[0].code)
    district = make_staff("cc-district", "district_officer", county.code)
    chief = make_staff("cc-city", "city_admin", city.code)
    provider_staff = make_staff("cc-provider", "provider_staff", county.code)

    # Registered a month ago: the visit an hour ago must not fall before it when the run crosses
    # local midnight.
    elder = ElderFactory(
        name="长春老人甲",
        residence_id=village.code,
        economic_status="dibao",
        living_arrangement="institution",
        registered_on=timezone.localdate() - timedelta(days=30),
    )
    resident = ElderFactory(name="长春老人乙", residence_id=village.code)
    waiting = ElderFactory(name="长春老人丙", residence_id=village.code)
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=timezone.localdate() - timedelta(days=2),
        grade=3,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=worker,
    )
    request_assessment(acting_user=worker, elder=resident, reason="first")
    record_visit(
        acting_user=worker,
        elder=elder,
        visited_at=timezone.now() - timedelta(hours=1),
        method="home",
        outcome="problem",
        problems=["health"],
        notes="长春探访记录",
    )
    provider = make_provider(name="长春养老服务中心", region=county.code)
    ProviderStaff.objects.create(user=provider_staff, provider=provider)
    carer = _named_caregiver(provider, "长春护理员")
    home = make_facility(name="长春养老院", region=towns[0].code, operator=provider)
    admit(acting_user=district, facility=home, elder=resident, admitted_on=timezone.localdate())
    apply_for_bed(acting_user=worker, facility=home, elder=waiting)
    set_up_family_bed(
        acting_user=street,
        elder=waiting,
        provider=provider,
        set_up_on=timezone.localdate(),
        equipment=[],
        service_package="长春家庭床位",
        monthly_hours=Decimal("10"),
    )
    ServiceRecord.objects.create(
        elder=elder,
        provider=provider,
        caregiver=carer,
        kind="home_care",
        started_at=timezone.now() - timedelta(hours=3),
        duration_minutes=60,
        funding="self",
        amount=Decimal("30.00"),
        recorded_by=chief,
        notes="长春服务记录",
    )
    CreditRecord.objects.create(
        provider=provider,
        kind="warning",
        reason="长春警示",
        starts_on=timezone.localdate(),
        recorded_by=chief,
    )
    catalogue = Catalogue.objects.create(
        region=county,
        title="长春服务清单",
        version="2026",
        effective_from=timezone.localdate(),
        status="draft",
    )
    CatalogueItem.objects.create(
        catalogue=catalogue,
        code="CC01",
        name="长春清单项目",
        category=ItemCategory.values[0],
        target_group={},
    )
    Department.objects.create(region=city, name="长春市民政局")
    record_training(
        acting_user=chief,
        region=county,
        title="长春护理培训",
        audience="caregivers",
        organiser="长春市民政局",
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate() - timedelta(days=2),
        person_times=5,
        caregivers=[carer],
    )
    appoint_adviser(
        acting_user=chief, region=towns[0], name="长春养老顾问", appointed_on=timezone.localdate()
    )
    api(worker).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    assert Application.objects.filter(elder=elder).exists()
    run = StatRun.objects.create(
        period=timezone.localdate().strftime("%Y-%m"),
        started_at=timezone.now(),
        data_as_of=timezone.now(),
        triggered_by="sweep",
    )
    MonthlyStat.objects.create(
        period=run.period,
        region=county,
        metric="visit_rate",
        numerator=1,
        denominator=2,
        value=Decimal("0.5"),
        run=run,
    )
    AccessLog.objects.create(user=chief, action="list_read", what="长春访问记录", scope=county.code[:6])
    _build_other_city_supervision(
        village=village, district=district, provider=provider, provider_staff=provider_staff, home=home
    )
    from homecare.services import record_hospital_stay

    record_hospital_stay(
        acting_user=chief,
        elder=elder,
        hospital="长春住院医院",
        admitted_on=timezone.localdate() - timedelta(days=5),
        source="family",
    )
    # A reminder to the other city's worker, through the one notification service.
    notify([Draft(recipient_id=worker.pk, kind="other", text="长春提醒消息")], on=timezone.localdate())

    rows = _new_since(before)
    markers = {
        "长春老人甲",
        "长春老人乙",
        "长春老人丙",
        elder.id_number,
        "长春探访记录",
        "长春养老服务中心",
        "长春护理员",
        carer.id_number,
        "长春养老院",
        "长春服务记录",
        "长春警示",
        "长春服务清单",
        "长春清单项目",
        "长春市民政局",
        "长春护理培训",
        "长春养老顾问",
        "长春访问记录",
        "长春配建小区",
        "长春配建检查",
        "长春公建民营院",
        "长春绩效评价",
        "长春星级申请",
        "长春住院医院",
        "长春提醒消息",
        village.code,
        towns[0].code,
        county.code,
    }
    return rows, markers


def _build_other_city_supervision(*, village, district, provider, provider_staff, home) -> None:
    """Changchun's estate with its room check, a 公建民营 home's review, and a star application
    taken through to publication (so the published lists are swept too)."""
    from facilities.tests.helpers import make_facility
    from supervision import services as supervision
    from supervision.choices import Purpose
    from supervision.selectors import scoring_checklist

    today = timezone.localdate()
    estate = supervision.register_estate(
        acting_user=district, region=village, name="长春配建小区", kind="new", households=800
    )
    supervision.record_room_check(
        acting_user=district, estate=estate, year=today.year, status="built", area_m2=Decimal(120),
        checked_on=today, note="长春配建检查",
    )
    ppp = make_facility(
        name="长春公建民营院", region=village.code, kind="nursing_home", ownership="public_private", operator=provider
    )
    checklist = scoring_checklist(ppp, Purpose.OPERATOR_REVIEW)
    supervision.review_operator(
        acting_user=district, facility=ppp, year=today.year, reviewed_on=today, summary="长春绩效评价",
        scores={i.code: i.points for i in checklist.items.all()},
    )
    application = supervision.apply_for_star(
        acting_user=provider_staff, facility=home, star=3, statement="长春星级申请"
    )
    supervision.assign_evaluators(acting_user=district, application=application, evaluators=[district])
    application.refresh_from_db()
    supervision.score_star(
        acting_user=district, application=application, evaluated_on=today,
        scores={i.code: i.points for i in application.checklist.items.all()},
    )
    supervision.publish_star(
        acting_user=district, application=supervision.decide_star(acting_user=district, application=application)
    )


@pytest.fixture(scope="module")
def _worlds(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end (each test runs in
    a savepoint of its own): the other city costs a division tree and a policy pack."""
    from django.db import transaction

    from core.scope import declaration, is_declared
    from services.models import ProviderStaff
    from services.tests.factories import make_provider
    from tests.factories import CITY, LUCHENG, WUMA, WUMA_GULOU

    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            "city_admin": make_staff("sw-city", "city_admin", CITY),
            "district_officer": make_staff("sw-district", "district_officer", LUCHENG),
            "street_officer": make_staff("sw-street", "street_officer", WUMA),
            "community_worker": make_staff("sw-worker", "community_worker", WUMA_GULOU),
            "assessor": make_staff("sw-assessor", "assessor", WUMA),
            "leader": make_staff("sw-leader", "leader", CITY),
            "provider_staff": make_staff("sw-provider", "provider_staff", LUCHENG),
            "department_staff": make_staff("sw-dept", "department_staff", CITY),
        }
        ProviderStaff.objects.create(
            user=users["provider_staff"], provider=make_provider(name="本家养老服务中心")
        )
        # Some of the accounts' own data, so that a list answering nothing would not pass unseen.
        ElderFactory(name="五马老人")
        provider_rows, provider_markers = _build_other_provider(users)
        city_rows, city_markers = _build_other_city()
        # A model declared the same for every account (the published policy packs) has no outside.
        city_rows = {
            m: pks for m, pks in city_rows.items() if not (is_declared(m) and declaration(m).unscoped)
        }
        found = {}
        for role in ROLES:
            rows = {m: set(pks) for m, pks in city_rows.items()}
            markers = set(city_markers)
            if role == "provider_staff":
                for m, pks in provider_rows.items():
                    rows.setdefault(m, set()).update(pks)
                markers |= provider_markers
            found[role] = Outside(rows=rows, markers=markers)
        yield users, found
        transaction.set_rollback(True)


@pytest.fixture
def accounts(_worlds, db):
    return _worlds[0]


@pytest.fixture
def outside(_worlds, db) -> dict[str, Outside]:
    return _worlds[1]


# --- walking the interfaces -------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:(\w+):)?(\w+)>")


def _fill(route: str, value) -> str:
    """A concrete path from a route (a regex of the router or a path() route)."""
    url = _GROUP.sub(str(value), route)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


def _arguments(route: str) -> list[str]:
    return [m.group(1) or m.group(3) for m in _GROUP.finditer(route)]


def _view_class(pattern: URLPattern):
    callback = pattern.callback
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _model_of(cls, user):
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    meta = getattr(getattr(cls, "serializer_class", None), "Meta", None)
    if meta is not None and getattr(meta, "model", None) is not None:
        return meta.model
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    view = cls()
    view.request = Request(APIRequestFactory().get("/"))
    view.request.user = user
    view.kwargs, view.args, view.format_kwarg, view.action = {}, (), None, "list"
    return view.get_queryset().model


def api_routes():
    """(route, pattern, view class, methods) of every API endpoint the resolver knows."""
    for route, pattern in _patterns(get_resolver()):
        if not route.startswith("api/") or "format" in route:
            continue
        cls = _view_class(pattern)
        if cls is None or cls.__name__ in NOT_DATA:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            methods = sorted(actions)
        else:
            methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)]
        yield route, pattern, cls, methods


def _body(resp, url: str = "") -> str:
    """The answer's text, less the path asked for (an error page may repeat it); a PDF's text
    as a reader sees it (its streams are compressed)."""
    if resp.get("Content-Type", "") == "application/pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(resp.content)).pages)
    else:
        text = resp.content.decode(errors="replace")
    return text.replace(url, "") if url else text


def _named(text: str, markers: set[str]) -> list[str]:
    """The outside names in an answer, each with what surrounds it (to see where it leaked)."""
    found = []
    for marker in sorted(markers):
        at = text.find(marker)
        if at >= 0:
            found.append(f"{marker} in …{text[max(0, at - 60) : at + len(marker) + 20]!r}")
    return found


def _ids(resp) -> set:
    try:
        body = json.loads(resp.content)
    except ValueError:
        return set()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return {r["id"] for r in rows if isinstance(r, dict) and "id" in r} if isinstance(rows, list) else set()


def sweep_api(user, role: str, out: Outside) -> tuple[list[str], int]:
    client = api_client(user)
    failures, swept = [], 0
    for route, _pattern, cls, methods in api_routes():
        swept += 1
        if not issubclass(cls, ScopedAPIMixin):
            failures.append(f"{route}: {cls.__name__} does not build on core.api's scoped base")
        model = _model_of(cls, user)
        outside_pks = sorted(out.rows.get(model, ()), key=str)[:DETAILS_PER_MODEL]
        args = _arguments(route)
        if not args:
            if "get" in methods:
                resp = client.get(_fill(route, ""))
                leaked = _ids(resp) & out.rows.get(model, set()) if resp.status_code == 200 else set()
                if leaked or _named(_body(resp), out.markers):
                    failures.append(
                        f"{role} GET {route}: outside rows {sorted(leaked)} {_named(_body(resp), out.markers)}"
                    )
            continue
        for pk in outside_pks:
            url = _fill(route, pk)
            for method in methods:
                resp = getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)
                if 200 <= resp.status_code < 300 or _named(_body(resp, url), out.markers):
                    failures.append(
                        f"{role} {method.upper()} {url}: {resp.status_code} for an outside {model.__name__}"
                    )
    return failures, swept


def _admin_urls(model, pk, model_admin):
    from django.urls import reverse

    app, name = model._meta.app_label, model._meta.model_name
    yield reverse(f"admin:{app}_{name}_change", args=[pk])
    yield reverse(f"admin:{app}_{name}_delete", args=[pk])
    if hasattr(model_admin, "history_view"):
        yield reverse(f"admin:{app}_{name}_history", args=[pk])
        history = getattr(model, "history", None)
        if history is not None:
            version = (
                history.model.objects.filter(**{model._meta.pk.attname: pk})
                .values_list("history_id", flat=True)
                .first()
            )
            if version is not None:
                yield reverse(f"admin:{app}_{name}_simple_history", args=[pk, version])


def sweep_admin(user, role: str, out: Outside) -> tuple[list[str], int]:
    from django.urls import reverse

    client, objects = Client(), Client()
    client.force_login(user)
    # Object pages of another client: the admin's "does not exist" message names the id asked
    # for, and would otherwise show on the next list.
    objects.force_login(user)
    failures, swept = [], 0
    for model, model_admin in admin.site._registry.items():
        swept += 1
        if model in PROJECT_MODELS and not isinstance(model_admin, ScopedAdmin):
            failures.append(f"admin {model.__name__}: {type(model_admin).__name__} is not a ScopedAdmin")
        app, name = model._meta.app_label, model._meta.model_name
        resp = client.get(reverse(f"admin:{app}_{name}_changelist"))
        if _named(_body(resp), out.markers):
            failures.append(f"{role} admin list {model.__name__} names {_named(_body(resp), out.markers)}")
        for pk in sorted(out.rows.get(model, ()), key=str)[:DETAILS_PER_MODEL]:
            for url in _admin_urls(model, pk, model_admin):
                for method in ("get", "post"):
                    resp = getattr(objects, method)(url)
                    # The admin's "ID “…” does not exist" message (shown on the next page, an error
                    # page included) repeats the id asked for: not outside data.
                    text = _body(resp, url).replace(f"“{pk}”", "").replace(f'"{pk}"', "")
                    shown = resp.status_code == 200 or (
                        method == "post"
                        and resp.status_code == 302
                        and "delete" in url
                        and not model._base_manager.filter(pk=pk).exists()
                    )
                    if shown or _named(text, out.markers):
                        failures.append(
                            f"{role} {method.upper()} {url}: {resp.status_code} for an outside {model.__name__}"
                            f" {_named(text, out.markers)}"
                        )
    return failures, swept


def _published_markers(out: Outside) -> set[str]:
    """The outside markers naming a row that its model's declaration publishes (`public=`), or
    the rows it points to: what a public page may show of another city."""
    from core.scope import declaration, is_declared, published

    texts = []
    for model, pks in out.rows.items():
        if not is_declared(model) or declaration(model).public is None:
            continue
        for obj in published(model._base_manager.filter(pk__in=pks)):
            for f in model._meta.concrete_fields:
                value = getattr(obj, f.name)
                texts.append(str(value) if value is not None else "")
                if f.is_relation and value is not None:
                    texts.append(str(getattr(value, "name", "")))
    joined = "\n".join(texts)
    return {m for m in out.markers if m in joined}


def _is_public(pattern) -> bool:
    return getattr(pattern.callback, "public_page", False)


def sweep_pages(user, role: str, out: Outside) -> tuple[list[str], int]:
    client = Client()
    client.force_login(user)
    public_markers = out.markers - _published_markers(out)
    ids = sorted(
        {
            pk
            for pks in out.rows.values()
            for pk in sorted(pks, key=str)[:DETAILS_PER_MODEL]
            if isinstance(pk, int)
        }
    )
    failures, swept = [], 0
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("admin/", "api/", "i18n/", "accounts/logout")) or "<path:" in route:
            continue
        args = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if len(args) > 1 or any(conv not in ("int", "") for conv, _name in args):
            continue
        swept += 1
        # A public page shows the published rows of every city; nothing else of another one.
        markers = public_markers if _is_public(pattern) else out.markers
        for url in [_fill(route, "")] if not args else [_fill(route, i) for i in ids]:
            resp = client.get(url)
            if resp.status_code == 200 and _named(_body(resp), markers):
                failures.append(f"{role} GET {url} names {_named(_body(resp), markers)}")
    return failures, swept


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_interface_answers_with_data_outside_the_accounts_scope(accounts, outside, role):
    user, out = accounts[role], outside[role]
    assert out.rows and out.markers
    api_failures, api_swept = sweep_api(user, role, out)
    admin_failures, admin_swept = sweep_admin(user, role, out)
    page_failures, page_swept = sweep_pages(user, role, out)
    # The walk reached every interface (the counts grow with the portal, never shrink to 0).
    assert api_swept >= 30 and admin_swept >= 30 and page_swept >= 30, (api_swept, admin_swept, page_swept)
    failures = api_failures + admin_failures + page_failures
    assert not failures, "\n".join(failures[:40])


# What an anonymous visitor reaches that is not a public page: the sign-in, the worker app's
# service worker and manifest (code and metadata, no rows) and the load balancer's health check.
SIGN_IN = ("accounts/login/", "sw.js", "manifest.webmanifest", "healthz/")


def test_public_pages_show_an_anonymous_visitor_only_what_is_declared_published(accounts, outside):
    """Every page that answers a visitor who is not signed in is a declared public page (or the
    sign-in), and it names of the other city only what the models' declarations publish (its
    published star rating), nothing else: no elder, no estate, no review, no application's text."""
    out = outside["city_admin"]
    allowed = _published_markers(out)
    assert "长春养老院" in allowed and "长春老人甲" not in allowed  # not vacuous
    anonymous = Client()
    public, answered, failures = [], [], []
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("admin/", "api/", "i18n/")) or "<" in route or "(?P" in route:
            continue
        resp = anonymous.get(_fill(route, ""))
        if _is_public(pattern):
            public.append(route)
            text = _body(resp)
            if resp.status_code != 200:
                failures.append(f"public {route}: {resp.status_code}")
            elif _named(text, out.markers - allowed):
                failures.append(f"public {route} names {_named(text, out.markers - allowed)}")
            elif not _named(text, allowed):
                failures.append(f"public {route} does not show the other city's published rows")
        elif resp.status_code == 200 and route not in SIGN_IN:
            answered.append(route)
    assert "supervision/public/" in public
    assert not failures, failures
    assert not answered, f"pages answering an anonymous visitor without being public: {answered}"


def test_an_account_sees_its_own_scope_through_the_same_routes(accounts, outside):
    # Not vacuous: the same walk shows a city-level account its own city's rows.
    client = api_client(accounts["city_admin"])
    assert _ids(client.get("/api/v1/elders/")) and _ids(client.get("/api/v1/facilities/"))
    provider = api_client(accounts["provider_staff"])
    assert provider.get("/api/v1/caregivers/").status_code == 200


# A viewset that forgets the scope: it does not build on core.api, so it serves every elder.
class _ForgetfulSerializer(serializers.ModelSerializer):
    class Meta:
        model = Elder
        fields = ["id", "name"]


class _ForgetfulViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Elder.objects.all()
    serializer_class = _ForgetfulSerializer


_forgetful = SimpleRouter()
_forgetful.register("forgetful-elders", _ForgetfulViewSet, basename="forgetful")


def _urlpatterns():
    from eldercare.urls import urlpatterns as portal

    return [path("api/v1/", include(_forgetful.urls)), *portal]


urlpatterns = _urlpatterns()


@override_settings(ROOT_URLCONF=__name__)
def test_the_sweep_catches_a_route_that_forgets_scoping(accounts, outside):
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        failures, _swept = sweep_api(accounts["street_officer"], "street_officer", outside["street_officer"])
    finally:
        clear_url_caches()
    mine = [f for f in failures if "forgetful" in f]
    assert any("does not build on core.api" in f for f in mine), failures
    assert any("outside rows" in f or "for an outside Elder" in f for f in mine), failures
    assert not [f for f in failures if "forgetful" not in f]
