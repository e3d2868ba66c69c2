"""Registry loads at database speed: the same errors as the row-by-row import, nothing written
before the operator confirms, then the files with their history and source."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import tablib
from django.db import connection
from django.utils import timezone

from elders.models import Elder
from elders.rules import make_id_number
from elders.services import import_elders
from exchanges import bulk
from exchanges.models import BulkLoad
from services.models import VisitStatus
from services.selectors import target_group
from services.services import city_visit_settings
from tests.factories import LONGWAN, WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory, first_village_of

pytestmark = pytest.mark.django_db

HEADERS = ["id_number", "name", "residence", "living_arrangement", "economic_status", "address", "phone"]


def _wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def bad_file_rows() -> list[list[str]]:
    good = [make_id_number("330302", date(1940 + i, 5, 6), 31 + 2 * i) for i in range(4)]
    longwan = first_village_of(LONGWAN)
    return [
        [good[0], "好人甲", WUMA_GULOU, "alone", "dibao", "鼓楼街1号", "13800000001"],
        [good[1], "好人乙", WUMA_MOCHI, "独居", "低保", "", ""],  # Chinese labels are accepted
        ["3303021945", "短号", WUMA_GULOU, "alone", "ordinary", "", ""],
        ["33030219450A08001X", "字母", WUMA_GULOU, "alone", "ordinary", "", ""],
        ["330302194513080018", "月份", WUMA_GULOU, "alone", "ordinary", "", ""],
        ["330302209901010016", "未来", WUMA_GULOU, "alone", "ordinary", "", ""],
        ["330302185001010013", "太早", WUMA_GULOU, "alone", "ordinary", "", ""],
        [_wrong_check(good[2]), "校验", WUMA_GULOU, "alone", "ordinary", "", ""],
        [good[0], "重复", WUMA_GULOU, "alone", "ordinary", "", ""],
        [good[3], "地区", "330302999999", "alone", "ordinary", "", ""],
        [make_id_number("330302", date(1941, 1, 2), 41), "街道", WUMA, "alone", "ordinary", "", ""],
        [make_id_number("330302", date(1941, 1, 3), 43), "外区", longwan, "alone", "ordinary", "", ""],
        [make_id_number("330302", date(1941, 1, 4), 45), "选项", WUMA_GULOU, "独自", "", "", ""],
        [make_id_number("330302", date(1990, 1, 5), 47), "年轻", WUMA_GULOU, "alone", "ordinary", "", ""],
        [make_id_number("330302", date(1941, 1, 6), 49), "", WUMA_GULOU, "", "ordinary", "", "1" * 25],
        ["", "无号", "", "alone", "ordinary", "", ""],
    ]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def triples(errors) -> set[tuple[int, str, str]]:
    return {(e["line"], e["field"], e["message"]) for e in errors}


def test_the_bulk_path_and_the_row_path_give_the_same_errors(staff):
    user = staff["district_officer"]  # 鹿城区: 龙湾 is outside
    rows = bad_file_rows()
    row_path = import_elders(dataset=tablib.Dataset(*rows, headers=HEADERS), acting_user=user, dry_run=True)
    load = bulk.receive_load(
        acting_user=user, content=as_csv(rows), filename="taizhang.csv", source="五马街道台账"
    )
    assert load.status == "checked", load.message
    bulk_errors = [{"line": e.line, "field": e.field, "message": e.message} for e in load.errors.all()]
    assert triples(bulk_errors) == triples(row_path.errors)
    assert {e["line"] for e in bulk_errors} == set(range(4, 18))  # every bad row, by its sheet line
    assert (load.rows, load.bad_rows) == (16, 14)
    # A wrong choice is answered with the labels a person types, never the codes behind them.
    (choice,) = [e["message"] for e in bulk_errors if e["field"] == "living_arrangement" and "独自" in e["message"]]
    assert "独居" in choice and "alone" not in choice and "empty_nest" not in choice
    assert not Elder.objects.exists()  # nothing written before confirmation


def test_confirmed_good_rows_are_written_with_history_and_source(staff, client):
    user = staff["district_officer"]
    rows = bad_file_rows()
    load = bulk.receive_load(
        acting_user=user, content=as_csv(rows), filename="taizhang.csv", source="五马街道台账"
    )
    client.force_login(user)
    page = client.get(f"/exchanges/loads/{load.pk}/").content.decode()
    assert "校验" in page or "check" in page
    workbook = client.get(f"/exchanges/loads/{load.pk}/errors.xlsx")
    assert workbook.status_code == 200
    assert client.post(f"/exchanges/loads/{load.pk}/confirm/").status_code == 302
    load.refresh_from_db()
    assert (load.status, load.loaded) == ("done", 2)
    written = Elder.objects.get(id_number=rows[0][0])
    assert (written.residence_id, written.economic_status, written.sex) == (WUMA_GULOU, "dibao", "male")
    assert Elder.objects.get(id_number=rows[1][0]).living_arrangement == "alone"
    history = written.history.get()
    assert history.history_change_reason == "据 五马街道台账 台账导入" and history.history_user_id == user.pk
    assert written.birth_date == date(1940, 5, 6)
    if connection.vendor == "postgresql":
        # The planner knows the registry's new size at once: the next steps (a death list's accept
        # all) were planned as nested loops on a registry counted as empty and took minutes.
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'elders_elder'")
            assert cursor.fetchone()[0] == 2
    # The due list knows the new files at once, as the nightly refresh would store them.
    for elder in Elder.objects.all():
        member = target_group(
            Elder.objects.filter(pk=elder.pk), city_visit_settings(elder.residence_id), timezone.localdate()
        ).exists()
        assert VisitStatus.objects.filter(elder=elder, in_target_group=True).exists() == member


def test_a_number_already_in_the_registry_is_refused_whichever_street_keeps_it(staff):
    kept = ElderFactory(residence_id=first_village_of("330302026"))  # 松台街道
    load = bulk.receive_load(
        acting_user=staff["city_admin"],
        content=as_csv([[kept.id_number, kept.name, WUMA_GULOU, "alone", "ordinary", "", ""]]),
        filename="x.csv",
        source="市台账",
    )
    [error] = load.errors.all()
    assert error.line == 2 and kept.residence.name in error.message
    bulk.confirm_load(acting_user=staff["city_admin"], load=BulkLoad.objects.get(pk=load.pk))
    kept.refresh_from_db()
    assert kept.residence_id != WUMA_GULOU and Elder.objects.count() == 1


def test_a_load_is_not_visible_outside_its_region(staff, client):
    from tests.factories import make_staff

    load = bulk.receive_load(
        acting_user=staff["district_officer"],
        content=as_csv(bad_file_rows()[:1]),
        filename="x.csv",
        source="台账",
    )
    other = make_staff("lw", "district_officer", LONGWAN)
    client.force_login(other)
    assert client.get(f"/exchanges/loads/{load.pk}/").status_code == 404
    assert client.post(f"/exchanges/loads/{load.pk}/confirm/").status_code == 404
    assert timezone.localdate()
