"""The bank roster: text-safe cells, Decimal money, and only for the roles that approve rolls."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from subsidies.models import DisbursementBatch, Entitlement
from subsidies.tests.helpers import decide_all, months_ago
from tests.factories import make_staff
from tests.test_exports import _sheet_xml, assert_text_only, cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_roll(approved):
    from subsidies.disbursement import approve_batch, run_disbursement

    elder, jl = approved
    Entitlement.objects.filter(elder=elder).update(payee_name="=cmd|'/C calc'!A0", payee_account="@123")
    run_disbursement(period=months_ago(2))
    city = make_staff("jc", "city_admin", "220100000000")
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    decide_all(batch, city)
    approve_batch(acting_user=city, batch=batch)
    return batch, city, jl


def test_bank_roster_is_text_safe_with_decimal_money(approved_roll):
    batch, city, _jl = approved_roll
    client = APIClient()
    client.force_authenticate(city)
    resp = client.get(f"/api/v1/disbursement-batches/{batch.pk}/roster/")
    assert resp.status_code == 200
    assert_text_only(resp.content, ["=cmd|'/C calc'!A0", "@123"])
    amounts = [c for c in cells(resp.content) if c.column == 6 and c.row > 1]
    assert amounts and all(c.number_format == "0.00" and c.data_type == "n" for c in amounts)
    assert Decimal(str(amounts[0].value)) == Decimal("300.00")
    assert b"<v>300</v>" in _sheet_xml(resp.content)  # the Decimal as written, no binary float digits


@pytest.mark.parametrize("role", ["street", "worker"])
def test_only_roles_that_approve_rolls_download_the_roster(approved_roll, client, role):
    batch, _city, jl = approved_roll
    api = APIClient()
    api.force_authenticate(jl[role])
    assert api.get(f"/api/v1/disbursement-batches/{batch.pk}/roster/").status_code in (403, 404)
    client.force_login(jl[role])
    assert client.get(f"/subsidies/batches/{batch.pk}/roster.xlsx").status_code in (403, 404)
    page = client.get(f"/subsidies/batches/{batch.pk}/")
    assert page.status_code in (200, 403, 404) and b'data-testid="roster"' not in page.content
