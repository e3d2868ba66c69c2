"""A new payee account for a live subsidy: typed twice with a reason, kept on the history, paid from
the next roll not yet approved; an approved roll's roster keeps the account it was approved with."""

import pytest

from subsidies.disbursement import approve_batch, roster_workbook, run_disbursement
from subsidies.models import DisbursementBatch, Entitlement
from subsidies.selectors import batch_payees
from subsidies.tests.helpers import decide_all, months_ago
from tests.factories import make_staff
from tests.test_exports import cells

pytestmark = pytest.mark.django_db
OLD, NEW = "6222020200112233445", "6217000010002223334"


def change(client, entitlement, **data):
    form = {"payee_name": "", "payee_account": NEW, "payee_account_again": NEW, "reason": "银行卡挂失"}
    form.update(data)
    return client.post(f"/subsidies/entitlements/{entitlement.pk}/payee/", form)


def roster_accounts(batch, city) -> set[str]:
    content = roster_workbook(acting_user=city, batch=batch)
    return {str(c.value) for c in cells(content) if c.column == 4 and c.row > 1}


def test_the_worker_changes_the_account_from_the_file_and_the_next_roll_pays_it(approved, client):
    elder, jl = approved
    Entitlement.objects.filter(elder=elder).update(payee_name=elder.name, payee_account=OLD)
    entitlement = Entitlement.objects.get(elder=elder)
    city = make_staff("jc", "city_admin", "220100000000")
    run_disbursement(period=months_ago(2))
    first = DisbursementBatch.objects.get(period=months_ago(2))
    decide_all(first, city)
    first = approve_batch(acting_user=city, batch=first)

    client.force_login(jl["worker"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert "****3445" in page and OLD not in page  # masked on the file, with the way to change it
    assert f"/subsidies/entitlements/{entitlement.pk}/payee/" in page

    # A digit wrong in the second box, or no reason: nothing changes, the field is named.
    resp = change(client, entitlement, payee_account_again=NEW[:-1] + "9")
    assert resp.status_code == 200 and "两次输入的银行账户不一致" in resp.content.decode()
    resp = change(client, entitlement, reason="")
    assert resp.status_code == 200 and "该字段是必填项" in resp.content.decode()
    assert Entitlement.objects.get(pk=entitlement.pk).payee_account == OLD

    resp = change(client, entitlement, payee_account="6217 0000 1000 2223 334")
    assert resp.status_code == 302
    entitlement.refresh_from_db()
    assert (entitlement.payee_name, entitlement.payee_account) == (elder.name, NEW)
    latest = entitlement.history.latest()
    assert latest.history_change_reason == "银行卡挂失" and latest.history_user_id == jl["worker"].pk

    # The approved roll's roster still lists the account it was approved with.
    assert roster_accounts(first, city) == {OLD}
    assert {p.payee_account for p in batch_payees(first)} == {OLD}
    # The next roll, a draft, shows the new account for review, and its roster pays it.
    run_disbursement(period=months_ago(1))
    second = DisbursementBatch.objects.get(period=months_ago(1))
    assert {p.payee_account for p in batch_payees(second)} == {NEW}
    decide_all(second, city)
    second = approve_batch(acting_user=city, batch=second)
    assert roster_accounts(second, city) == {NEW}
    assert roster_accounts(first, city) == {OLD}


def test_another_street_cannot_change_the_account_and_a_leader_has_no_link(approved, client):
    elder, jl = approved
    entitlement = Entitlement.objects.get(elder=elder)
    client.force_login(jl["other_street"])
    assert change(client, entitlement).status_code == 404
    leader = make_staff("jleader", "leader", "220100000000")
    client.force_login(leader)
    assert change(client, entitlement).status_code == 403
    assert Entitlement.objects.get(pk=entitlement.pk).payee_account != NEW
