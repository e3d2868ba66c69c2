"""Each kind of list end to end: file → proposals → review → applied through the registry's
services, with the list named in the file's history and the consequences that follow."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from core.periods import period_of
from elders.models import Elder
from elders.rules import make_id_number
from exchanges.models import Exchange, ExchangeRow
from subsidies.models import Entitlement, Payment, Scheme
from tests.factories import SONGTAI, WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory, make_staff

from .helpers import api, csv_bytes, days_ago, rows_of, send, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(staff):
    return staff["street_officer"]  # 五马街道


def dibao_scheme() -> Scheme:
    return Scheme.objects.create(
        code="TEST-DIBAO-CARE",
        name="低保老人护理补贴",
        region_id="330300000000",
        legal_basis="测试",
        effective_from=date(2020, 1, 1),
        beneficiary="elder",
        frequency="monthly",
        payment_form="cash",
        eligibility={"fact": "economic_status", "op": "eq", "value": "dibao"},
        amount_rule={"kind": "fixed", "amount": "100"},
        application_needed=True,
        active=True,
    )


def reason_of(elder: Elder) -> str:
    return elder.history.order_by("-history_date", "-history_id").first().history_change_reason


def test_a_death_list_stops_the_payments_after_the_month_of_death(street, staff):
    from subsidies.disbursement import run_disbursement

    scheme = dibao_scheme()
    elder = ElderFactory(economic_status="dibao", name="王大爷")
    first = period_of(days_ago(100))
    Entitlement.objects.create(elder=elder, scheme=scheme, first_period=first, amount=Decimal("100"))
    died = days_ago(40)
    run_disbursement(period=period_of(died))  # the roll of the month of death, paid before the list came
    resp = send(street, "deaths", workbook("deaths", [[elder.id_number, "王大爷", died.isoformat(), "公安"]]))
    assert resp.status_code == 201, resp.content
    exchange = resp.json()
    assert (exchange["rows"], exchange["matched"], exchange["proposed"]) == (1, 1, 1)
    [row] = rows_of(street, exchange["id"])
    assert row["outcome"] == "proposed" and row["decision"] == "pending"
    elder.refresh_from_db()
    assert elder.status == "registered"  # nothing changes before review

    reviewed = api(street).post(
        f"/api/v1/exchanges/{exchange['id']}/rows/{row['id']}/review/",
        {"decision": "accept", "comment": "核实无误"},
    )
    assert reviewed.status_code == 200, reviewed.content
    elder.refresh_from_db()
    assert elder.status == "deceased" and elder.death_date == died
    assert reason_of(elder) == "据 市公安局 2026-11 名单"
    run_disbursement(period=period_of(timezone.localdate()))
    paid = set(Payment.objects.filter(entitlement__elder=elder).values_list("period", flat=True))
    assert paid and max(paid) == period_of(died)  # the month of death is paid, nothing after it
    entitlement = Entitlement.objects.get(elder=elder)
    assert entitlement.status == "stopped" and entitlement.last_period == period_of(died)
    log = api(street).get(f"/api/v1/exchanges/{exchange['id']}/").json()
    assert (log["accepted"], log["rejected"], log["status"]) == (1, 0, "closed")


def test_a_new_dibao_status_puts_the_elder_in_the_unclaimed_list_then_eligible(street):
    from subsidies.selectors import eligibility_for, unclaimed

    scheme = dibao_scheme()
    elder = ElderFactory(name="李奶奶", female=True)
    today = timezone.localdate()
    assert not unclaimed(scheme, today).filter(pk=elder.pk).exists()
    content = workbook(
        "social_assistance", [[elder.id_number, "李奶奶", "低保", days_ago(20).isoformat(), "", "", ""]]
    )
    exchange = send(street, "social_assistance", content, source="市社会救助系统").json()
    assert exchange["proposed"] == 1
    result = (
        api(street).post(f"/api/v1/exchanges/{exchange['id']}/accept-all/", {"comment": "批量确认"}).json()
    )
    assert result == {"accepted": 1, "failed": 0}
    elder.refresh_from_db()
    assert elder.economic_status == "dibao"
    assert reason_of(elder).startswith("据 市社会救助系统 2026-11 名单")
    assert unclaimed(scheme, today).filter(pk=elder.pk).exists()
    [row] = [r for r in eligibility_for(elder, today) if r["scheme"] == scheme.code]
    assert row["eligible"]
    report = api(street).get(f"/api/v1/exchanges/{exchange['id']}/report/").json()
    assert report["eligible"] == 1
    assert report["regions"][0]["eligible"][0]["scheme"] == scheme.code


def test_an_ended_assistance_proposes_ordinary_and_reports_who_is_paid(street):
    scheme = dibao_scheme()
    elder = ElderFactory(economic_status="dibao", name="赵大爷")
    Entitlement.objects.create(elder=elder, scheme=scheme, first_period=period_of(days_ago(100)), amount=100)
    content = workbook(
        "social_assistance",
        [[elder.id_number, "赵大爷", "低保", days_ago(400).isoformat(), days_ago(10).isoformat(), "", ""]],
    )
    exchange = send(street, "social_assistance", content, source="市社会救助系统").json()
    [row] = rows_of(street, exchange["id"])
    assert row["change"] == "economic_status"
    api(street).post(f"/api/v1/exchanges/{exchange['id']}/accept-all/")
    elder.refresh_from_db()
    assert elder.economic_status == "ordinary"
    report = api(street).get(f"/api/v1/exchanges/{exchange['id']}/report/").json()
    assert report["stop"] == 1 and report["regions"][0]["stop"][0]["elder"] == elder.pk


def test_someone_not_in_the_registry_is_proposed_for_registration_in_their_community(street):
    from elders.rules import make_id_number

    number = make_id_number("330302", date(1950, 6, 1), 17)
    young = make_id_number("330302", date(1990, 6, 1), 19)
    content = workbook(
        "social_assistance",
        [
            [number, "周大爷", "特困", days_ago(30).isoformat(), "", WUMA_MOCHI, "墨池路1号"],
            [young, "周小弟", "低保", days_ago(30).isoformat(), "", WUMA_MOCHI, ""],
        ],
    )
    exchange = send(street, "social_assistance", content, source="市社会救助系统").json()
    rows = {r["line"]: r for r in rows_of(street, exchange["id"])}
    assert rows[2]["change"] == "register" and rows[2]["outcome"] == "proposed"
    assert rows[3]["outcome"] == "not_found" and "60" in rows[3]["reason"]
    api(street).post(
        f"/api/v1/exchanges/{exchange['id']}/rows/{rows[2]['id']}/review/", {"decision": "accept"}
    )
    elder = Elder.objects.get(id_number=number)
    assert elder.residence_id == WUMA_MOCHI and elder.economic_status == "extreme_poverty"
    assert reason_of(elder) == "据 市社会救助系统 2026-11 名单"


def test_a_disability_list_changes_the_grade(street):
    elder = ElderFactory(name="钱大爷")
    content = workbook(
        "disability", [[elder.id_number, "钱大爷", "33030219450308001X", "肢体", "二级", "", ""]]
    )
    exchange = send(street, "disability", content, source="市残联").json()
    [row] = rows_of(street, exchange["id"])
    assert row["change"] == "disability_grade"
    api(street).post(f"/api/v1/exchanges/{exchange['id']}/rows/{row['id']}/review/", {"decision": "accept"})
    elder.refresh_from_db()
    assert elder.disability_grade == 2
    assert "据 市残联 2026-11 名单" in reason_of(elder) and "肢体" in reason_of(elder)


def test_a_household_list_moves_people_out_and_in(street):
    leaving = ElderFactory(name="孙大爷")
    arriving = ElderFactory(name="吴奶奶", female=True)
    content = workbook(
        "household",
        [
            [leaving.id_number, "孙大爷", "迁出", days_ago(5).isoformat(), "", ""],
            [arriving.id_number, "吴奶奶", "迁入", days_ago(5).isoformat(), WUMA_MOCHI, "墨池路8号"],
        ],
    )
    exchange = send(street, "household", content, source="市公安局户籍").json()
    assert exchange["proposed"] == 2
    api(street).post(f"/api/v1/exchanges/{exchange['id']}/accept-all/")
    leaving.refresh_from_db()
    arriving.refresh_from_db()
    assert leaving.status == "moved" and leaving.status_date == days_ago(5)
    assert arriving.residence_id == WUMA_MOCHI and arriving.address == "墨池路8号"
    assert reason_of(leaving) == reason_of(arriving) == "据 市公安局户籍 2026-11 名单"


def test_an_assessments_list_becomes_recognised_results(street):
    elder = ElderFactory(name="郑奶奶", female=True)
    content = workbook(
        "assessments",
        [
            [
                elder.id_number,
                "郑奶奶",
                "卫健",
                days_ago(10).isoformat(),
                "重度失能",
                (days_ago(10) + timedelta(days=365)).isoformat(),
                "WJ-2026-001",
            ]
        ],
    )
    exchange = send(street, "assessments", content, source="市卫健委").json()
    api(street).post(f"/api/v1/exchanges/{exchange['id']}/accept-all/")
    result = RecognisedResult.objects.get(elder=elder)
    assert (result.source, result.grade, result.document) == ("health", 3, "WJ-2026-001")
    assert result.history.first().history_change_reason == "据 市卫健委 2026-11 名单"


def test_a_rejected_proposal_changes_nothing_and_keeps_the_comment(street):
    elder = ElderFactory(name="冯大爷")
    exchange = send(
        street, "deaths", workbook("deaths", [[elder.id_number, "冯大爷", days_ago(3).isoformat(), ""]])
    ).json()
    [row] = rows_of(street, exchange["id"])
    done = (
        api(street)
        .post(
            f"/api/v1/exchanges/{exchange['id']}/rows/{row['id']}/review/",
            {"decision": "reject", "comment": "本人健在"},
        )
        .json()
    )
    assert done["decision"] == "rejected" and done["comment"] == "本人健在"
    elder.refresh_from_db()
    assert elder.status == "registered"
    assert api(street).get(f"/api/v1/exchanges/{exchange['id']}/").json()["rejected"] == 1


# --- bad rows, repeats, scope ---------------------------------------------------------------------


def _wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


_GOOD = make_id_number("330302", date(1950, 1, 1), 11)
_BAD = _wrong_check(make_id_number("330302", date(1945, 3, 8), 13))
BAD_ROWS = {
    "deaths": [[_BAD, "甲", "2026-11-03", ""], ["", "乙", "昨天", ""]],
    "social_assistance": [
        [_BAD, "甲", "低保", "2026-01-01", "", "", ""],
        [_GOOD, "乙", "困难户", "2026-13-01", "", "123", ""],
    ],
    "disability": [[_BAD, "甲", "C1", "肢体", "二级", "", ""], [_GOOD, "乙", "", "脑", "五级", "", ""]],
    "household": [[_BAD, "甲", "迁出", "2026-01-01", "", ""], [_GOOD, "乙", "迁入", "2026-02-30", "", ""]],
    "assessments": [
        [_BAD, "甲", "卫健", "2026-01-01", "重度失能", "2027-01-01", ""],
        [_GOOD, "乙", "民政", "2026-01-01", "很重", "2025-01-01", ""],
    ],
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_bad_rows_of_every_kind_are_reported_with_their_lines_and_nothing_is_written(street, kind):
    before = Elder.objects.count()
    exchange = send(street, kind, workbook(kind, BAD_ROWS[kind])).json()
    rows = {r["line"]: r for r in rows_of(street, exchange["id"])}
    assert set(rows) == {2, 3}
    assert all(r["outcome"] == "invalid" for r in rows.values())
    # Line 2 has a wrong check character; line 3 is wrong in its coded or date columns.
    assert any("校验" in e["message"] and e["field"] == "身份证号" for e in rows[2]["errors"]), rows[2]
    assert len(rows[3]["errors"]) >= 2 and all(e["field"] for e in rows[3]["errors"])
    assert exchange["proposed"] == 0 and exchange["invalid"] == 2 and exchange["status"] == "closed"
    assert Elder.objects.count() == before
    assert not ExchangeRow.objects.filter(decision="pending").exists()


def test_a_file_without_the_layouts_columns_is_refused_with_the_missing_headings(street):
    exchange = send(street, "deaths", csv_bytes("household", [["x"]]), name="wrong.csv").json()
    assert exchange["status"] == "failed" and "死亡日期" in exchange["message"]


def test_a_resent_identical_file_proposes_nothing_new(street):
    elder = ElderFactory(name="陈大爷")
    content = workbook("deaths", [[elder.id_number, "陈大爷", days_ago(3).isoformat(), ""]])
    first = send(street, "deaths", content).json()
    again = send(street, "deaths", content).json()
    assert first["proposed"] == 1 and again["proposed"] == 0
    assert rows_of(street, again["id"])[0]["outcome"] == "already_proposed"
    api(street).post(f"/api/v1/exchanges/{first['id']}/accept-all/")
    third = send(street, "deaths", content).json()
    assert third["proposed"] == 0 and rows_of(street, third["id"])[0]["outcome"] == "no_change"


def test_names_that_differ_and_unknown_numbers_are_listed_with_the_reason(street):
    from elders.rules import make_id_number

    elder = ElderFactory(name="褚大爷")
    unknown = make_id_number("330302", date(1940, 1, 1), 21)
    content = csv_bytes(
        "deaths",
        [
            [elder.id_number, "褚老爷", days_ago(3).isoformat(), ""],
            [unknown, "卫大爷", days_ago(3).isoformat(), ""],
        ],
        encoding="gb18030",
    )
    exchange = send(street, "deaths", content, name="deaths.csv").json()
    rows = {r["line"]: r for r in rows_of(street, exchange["id"])}
    assert rows[2]["outcome"] == "conflict" and "褚大爷" in rows[2]["reason"]
    assert rows[3]["outcome"] == "not_found" and rows[3]["reason"]
    assert exchange["proposed"] == 0


def test_an_exchange_outside_the_reviewers_region_is_not_visible(street, client):
    elder = ElderFactory(name="蒋大爷")
    exchange = send(
        street, "deaths", workbook("deaths", [[elder.id_number, "蒋大爷", days_ago(3).isoformat(), ""]])
    ).json()
    other = make_staff("songtai", "street_officer", SONGTAI)
    assert api(other).get("/api/v1/exchanges/").json()["count"] == 0
    assert api(other).get(f"/api/v1/exchanges/{exchange['id']}/").status_code == 404
    row = ExchangeRow.objects.get(exchange_id=exchange["id"])
    refused = api(other).post(
        f"/api/v1/exchanges/{exchange['id']}/rows/{row.pk}/review/", {"decision": "accept"}
    )
    assert refused.status_code == 404
    client.force_login(other)
    assert client.get(f"/exchanges/{exchange['id']}/").status_code == 404
    assert "蒋大爷" not in client.get("/exchanges/").content.decode()
    elder.refresh_from_db()
    assert elder.status == "registered"


def test_an_elder_kept_by_another_street_is_not_proposed(staff):
    songtai = make_staff("songtai", "street_officer", SONGTAI)
    elder = ElderFactory(name="沈大爷")  # 五马街道
    exchange = send(
        songtai, "deaths", workbook("deaths", [[elder.id_number, "沈大爷", days_ago(3).isoformat(), ""]])
    ).json()
    [row] = rows_of(songtai, exchange["id"])
    assert row["outcome"] == "outside" and row["elder"] is None


def test_the_leader_sees_the_log_and_masked_rows_only(staff):
    elder = ElderFactory(name="韩大爷")
    city = staff["city_admin"]
    exchange = send(
        city, "deaths", workbook("deaths", [[elder.id_number, "韩大爷", days_ago(3).isoformat(), ""]])
    ).json()
    leader = staff["leader"]
    [row] = rows_of(leader, exchange["id"])
    assert row["id_number"] != elder.id_number and "*" in row["id_number"]
    assert api(leader).post(f"/api/v1/exchanges/{exchange['id']}/accept-all/").status_code == 403
    assert send(leader, "deaths", b"x").status_code == 403


def test_pages_receive_review_and_download_the_template(street, client):
    from io import BytesIO

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    elder = ElderFactory(name="杨大爷")
    client.force_login(street)
    page = client.get("/exchanges/")
    assert page.status_code == 200 and "死亡日期" in page.content.decode()
    template = client.get("/exchanges/templates/deaths.xlsx")
    book = openpyxl.load_workbook(BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == ["身份证号", "姓名", "死亡日期", "信息来源"]
    upload = SimpleUploadedFile(
        "d.xlsx", workbook("deaths", [[elder.id_number, "杨大爷", days_ago(2).isoformat(), ""]])
    )
    resp = client.post(
        "/exchanges/", {"kind": "deaths", "source": "市殡葬管理所", "period": "2026-11", "file": upload}
    )
    assert resp.status_code == 302
    exchange = Exchange.objects.get()
    detail = client.get(resp["Location"]).content.decode()
    assert "杨大爷" in detail and elder.id_number in detail
    row = ExchangeRow.objects.get()
    client.post(f"/exchanges/{exchange.pk}/rows/{row.pk}/review/", {"decision": "accept", "comment": "ok"})
    elder.refresh_from_db()
    assert elder.status == "deceased"


def test_the_drop_folder_takes_placed_files(staff, settings, tmp_path):
    from exchanges.tasks import scan_drop_folder_task

    elder = ElderFactory(name="朱大爷")
    make_staff("exchange-drop", "street_officer", WUMA)
    settings.EXCHANGE_DROP_DIR = str(tmp_path)
    settings.EXCHANGE_DROP_SETTLE_SECONDS = 0
    folder = tmp_path / "deaths" / "市公安局"
    folder.mkdir(parents=True)
    (folder / "deaths-2026-10.xlsx").write_bytes(
        workbook("deaths", [[elder.id_number, "朱大爷", days_ago(3).isoformat(), ""]])
    )
    (folder / "notes.pdf").write_bytes(b"%PDF")
    assert scan_drop_folder_task.delay().get() == {"received": 1, "refused": 1}
    exchange = Exchange.objects.get()
    assert (exchange.source, exchange.period, exchange.via, exchange.proposed) == (
        "市公安局",
        "2026-10",
        "drop_folder",
        1,
    )
    assert list((tmp_path / "done").rglob("*.xlsx")) and list((tmp_path / "refused").rglob("*.txt"))
    assert not list(folder.iterdir())
    assert ExchangeRow.objects.get().region_id == WUMA_GULOU
