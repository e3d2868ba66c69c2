"""For every role without personal-data rights, nothing the portal answers rebuilds a full ID number.

The mask keeps the region digits and the tail; the birth date is the hidden middle, so it may not
appear anywhere either (the age is shown instead). The test walks every API list of the router
with every row's detail, the extra API views, every worker page (each URL pattern, its arguments
filled with the ids of the objects below) and the report workbook, as the leader and as provider
staff, and looks for each elder's and caregiver's full number and birth date in any common form.
It then tries to rebuild a masked number from what was shown (mask + age + check character) and
must find more than one candidate.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from pypdf import PdfReader

from eldercare.urls import router
from elders.rules import age_on, check_character
from facilities.services import admit, apply_for_bed, offer_vacancy
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.services import record_visit
from services.tests.factories import make_caregiver, make_provider
from tests.factories import ElderFactory, api_client

pytestmark = pytest.mark.django_db
MASKED_ROLES = ["leader", "provider_staff"]


def birth_date_forms(born: date) -> list[str]:
    return [
        f"{born:%Y-%m-%d}",
        f"{born:%Y%m%d}",
        f"{born:%Y/%m/%d}",
        f"{born:%Y.%m.%d}",
        f"{born.year}年{born.month}月{born.day}日",
        f"{born:%Y}年{born:%m}月{born:%d}日",
    ]


@pytest.fixture
def world(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(operator=provider)
    elders = [
        ElderFactory(born=date(1941, 4, 17), phone="13812345678"),
        ElderFactory(born=date(1938, 11, 2), female=True, living_arrangement="empty_nest"),
    ]
    admit(
        acting_user=staff["provider_staff"],
        facility=centre,
        elder=elders[0],
        admitted_on=timezone.localdate(),
    )
    record_visit(
        acting_user=staff["community_worker"],
        elder=elders[1],
        visited_at=timezone.now() - timedelta(hours=1),
        method="home",
        outcome="normal",
    )
    # A third elder waits for a bed at the (public) centre and is offered one: the facility page
    # names the offer.
    waiting = ElderFactory(born=date(1944, 7, 30))
    apply_for_bed(acting_user=staff["community_worker"], facility=centre, elder=waiting)
    offer_vacancy(acting_user=staff["street_officer"], facility=centre)
    elders.append(waiting)
    caregiver = make_caregiver(provider)
    return {"elders": elders, "caregivers": [caregiver], "facility": centre, "provider": provider}


def secrets_of(world) -> dict[str, list[str]]:
    people = [(e.id_number, e.birth_date) for e in world["elders"]]
    people += [
        (c.id_number, date(int(c.id_number[6:10]), int(c.id_number[10:12]), int(c.id_number[12:14])))
        for c in world["caregivers"]
    ]
    return {number: [number, number.lower(), *birth_date_forms(born)] for number, born in people}


def _text(response) -> str:
    if response.get("Content-Type", "") == "application/pdf":
        # The printed documents (一人一档, the assessment report, the forms): their text.
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(BytesIO(response.content))
        return "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row)
    return response.content.decode(errors="replace")


def api_answers(user, world) -> dict[str, str]:
    client = api_client(user)
    answers = {}
    for prefix, _viewset, _basename in router.registry:
        path = f"/api/v1/{prefix}/"
        resp = client.get(path)
        answers[path] = _text(resp)
        if resp.status_code != 200:
            continue
        body = resp.json()
        for row in body.get("results", body) if isinstance(body, dict) else body:
            if isinstance(row, dict) and "id" in row:
                answers[f"{path}{row['id']}/"] = _text(client.get(f"{path}{row['id']}/"))
    for elder in world["elders"]:
        for tail in ("entitlements", "eligibility"):
            answers[f"elder {tail}"] = _text(client.get(f"/api/v1/elders/{elder.pk}/{tail}/"))
    return answers


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def page_answers(client, world) -> dict[str, str]:
    ids = sorted(
        {e.pk for e in world["elders"]}
        | {c.pk for c in world["caregivers"]}
        | {world["facility"].pk}
        | {world["provider"].pk}
    )
    answers = {}
    for route in _patterns(get_resolver()):
        if route.startswith(("admin/", "api/", "i18n/", "accounts/logout")) or "<path:" in route:
            continue
        args = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if any(conv not in ("int", "") for conv, _name in args) or len(args) > 1:
            continue
        candidates = [route] if not args else [re.sub(r"<[^>]+>", str(i), route) for i in ids]
        for path in candidates:
            path = "/" + path.lstrip("^").rstrip("$")
            resp = client.get(path)
            if resp.status_code == 200:
                answers[path] = _text(resp)
    return answers


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_no_answer_carries_a_full_id_number_or_a_birth_date(client, staff, world, role):
    user = staff[role]
    client.force_login(user)
    answers = {**api_answers(user, world), **page_answers(client, world)}
    answers["report.xlsx"] = _text(client.get("/dashboard/report.xlsx"))
    answers["report.pdf"] = _text(client.get("/dashboard/report.pdf"))
    assert len(answers) > 20  # the walk reached the portal
    for number, forms in secrets_of(world).items():
        for where, text in answers.items():
            for form in forms:
                assert form not in text, f"{role} sees {form!r} (of {number}) in {where}"
    # The people themselves were shown, masked, where the role may see them.
    shown = "\n".join(answers.values())
    assert any(e.id_number[:6] + "********" + e.id_number[-4:] in shown for e in world["elders"])


def candidates(masked: str, age: int, on: date) -> list[str]:
    """Every full number consistent with a mask (digits 1-6 and 15-18 shown) and an age on a date."""
    found = []
    day = date(on.year - age - 1, on.month, 1)
    while day <= on:
        if age_on(day, on) == age:
            first17 = f"{masked[:6]}{day:%Y%m%d}{masked[14:17]}"
            if check_character(first17) == masked[17]:
                found.append(first17 + masked[17])
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_a_masked_number_and_the_age_leave_many_candidates(staff, world, role):
    client = api_client(staff[role])
    elder = world["elders"][0]
    row = client.get(f"/api/v1/elders/{elder.pk}/").json()
    assert row["birth_date"] is None and isinstance(row["age"], int)
    assert "*" in row["id_number"]
    found = candidates(row["id_number"], row["age"], timezone.localdate())
    assert elder.id_number in found and len(found) >= 10, len(found)


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_the_registry_export_of_a_masked_role_has_no_full_number_or_birth_date(staff, world, role):
    from elders.models import Elder
    from elders.resources import ElderResource

    text = ElderResource(user=staff[role]).export(queryset=Elder.objects.all()).csv
    for number, forms in secrets_of(world).items():
        for form in forms:
            assert form not in text, (number, form)
