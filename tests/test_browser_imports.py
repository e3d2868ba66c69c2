"""In headless Chromium, issue 14 item 4: a district officer downloads the registry template,
uploads a 200-row file with two bad rows, watches the progress bar move without a reload (htmx),
reads the result (nothing written), downloads the error workbook with the bad cells marked, then
uploads the corrected file and sees the files created. Phone and desktop screenshots; the steps
and seconds are printed (`-s`)."""

import threading
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, transaction

from eldercare.spreadsheets import BAD_CELL_FILL
from elders.models import Elder
from elders.rules import make_id_number
from jobs import services as job_services
from tests.browser import PHONE, login, screenshot
from tests.factories import LUCHENG, PASSWORD, WUMA_GULOU, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1920, "height": 1080}
HEADINGS = ["身份证号", "姓名", "居住地（社区/村）", "居住情况", "经济状况", "电话"]
ROWS = 200


class Steps:
    def __init__(self, page):
        self.page, self.count, self.started = page, 0, time.monotonic()

    def click(self, selector):
        self.count += 1
        self.page.locator(selector).first.click()

    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 2)


def workbook(path, rows) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def rows(seed: int, *, bad: bool):
    out = [
        [make_id_number("330302", date(1940 + i % 20, 1 + i % 12, 1 + i % 28), seed + i), f"导入{seed + i}",
         WUMA_GULOU, "独居", "低保", ""]
        for i in range(ROWS)
    ]
    if bad:
        out[9][0] = out[9][0][:17] + ("0" if out[9][0][17] != "0" else "1")  # line 11: check digit
        out[149][3] = "城堡"  # line 151: not a living arrangement
    return out


@pytest.fixture
def in_a_worker(monkeypatch):
    """The job runs on another thread, as a Celery worker would, so the page really polls (on
    PostgreSQL: SQLite's test database lives in the server's one connection, so there the job
    runs in the request, as it does in development)."""
    if connection.vendor != "postgresql":
        return

    def run(job_id):
        try:
            job_services.run_job(job_id)
        finally:
            connection.close()

    def enqueue(job):
        transaction.on_commit(lambda: threading.Thread(target=run, args=(job.pk,)).start())

    monkeypatch.setattr(job_services, "enqueue", enqueue)


def watch(page) -> list[str]:
    """The progress values the page shows until the job is done (read, never reloaded)."""
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = page.get_attribute("[data-testid=job-status]", "data-status")
        value = page.inner_text("[data-testid=job-progress]")
        if not seen or seen[-1] != value:
            seen.append(value)
        if status in ("done", "failed"):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"the job did not finish: {seen}")


@pytest.mark.parametrize(("viewport", "suffix"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_import_with_progress_result_and_error_workbook(
    live_server, browser, wenzhou, in_a_worker, tmp_path, viewport, suffix
):
    make_staff("district", "district_officer", LUCHENG)
    ctx = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    login(page, live_server.url, "district", PASSWORD)
    steps = Steps(page)
    if suffix == "phone":
        steps.click("button.navbar-toggler")
    steps.click("nav a[href='/elders/']")
    page.wait_for_url("**/elders/")
    steps.click("[data-testid=registry-import]")
    page.wait_for_url("**/elders/import/")
    with page.expect_download() as template:
        steps.click("[data-testid=import-template]")
    sheet = openpyxl.load_workbook(BytesIO(Path(template.value.path()).read_bytes())).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["身份证号", "姓名"]
    to_template = steps.seconds()

    seed = 100 if suffix == "desktop" else 600
    steps.count += 1
    page.set_input_files("input[type=file]", workbook(tmp_path / "台账.xlsx", rows(seed, bad=True)))
    steps.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    page.evaluate("window.__notReloaded = true")
    seen = watch(page)
    assert page.evaluate("window.__notReloaded") is True  # the bar moved by htmx, not by reloading
    assert seen[-1] == "100 %", seen
    assert "没有写入" in page.inner_text("[data-testid=job-errors-note]")
    errors = page.inner_text("[data-testid=job-errors]")
    assert "11" in errors and "151" in errors and "居住情况" in errors
    assert not Elder.objects.filter(name__startswith="导入").exists()
    screenshot(page, f"import-errors-{suffix}.png")
    with page.expect_download() as report:
        steps.click("[data-testid=job-file]")
    marked = openpyxl.load_workbook(BytesIO(Path(report.value.path()).read_bytes())).worksheets[0]
    assert marked["A11"].fill.fgColor.rgb == BAD_CELL_FILL.fgColor.rgb
    assert marked["D151"].fill.fgColor.rgb == BAD_CELL_FILL.fgColor.rgb
    assert marked["G11"].value.startswith("身份证号") and "居住情况" in marked["G151"].value
    bad_file = (steps.count, steps.seconds())

    # Corrected: the same rows without the two mistakes.
    page.goto(f"{live_server.url}/elders/import/")
    steps.count += 2
    page.set_input_files("input[type=file]", workbook(tmp_path / "台账-改.xlsx", rows(seed, bad=False)))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    started = time.monotonic()
    good_seen = watch(page)
    good_seconds = round(time.monotonic() - started, 2)
    assert "200" in page.inner_text("[data-testid=job-summary]")
    assert Elder.objects.filter(name__startswith="导入").count() == ROWS
    screenshot(page, f"import-done-{suffix}.png")
    ctx.close()
    print(
        f"registry import ({suffix}): inbox → template download {to_template} s; "
        f"bad file to marked error workbook {bad_file[0]} steps, {bad_file[1]} s "
        f"(progress shown: {', '.join(seen)}); corrected file of {ROWS} rows written in {good_seconds} s "
        f"(progress shown: {', '.join(good_seen)}); {steps.count} steps in all"
    )
