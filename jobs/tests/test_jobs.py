"""The job mechanism: a failing job says why on its page, a finished job never runs twice, and the
progress of work inside a transaction is visible to the page polling it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client

from jobs import services
from jobs.kinds import Outcome, job_kind
from jobs.models import Job

RUNS = []


@job_kind("tests.refused", label="refused")
def _refused(job, progress):
    RUNS.append(job.pk)
    raise ValidationError("文件第 3 行：身份证号校验位错误。")


@job_kind("tests.counted", label="counted", summary=lambda result: [("行数", result["n"])])
def _counted(job, progress):
    RUNS.append(job.pk)
    progress(50)
    return Outcome(result={"n": 7})


@pytest.mark.django_db
def test_a_refused_job_fails_with_its_message_on_its_page(staff):
    job = services.start_job(acting_user=staff["district_officer"], kind="tests.refused")
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "文件第 3 行：身份证号校验位错误。")
    client = Client()
    client.force_login(staff["district_officer"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "身份证号校验位错误" in page and "hx-get" not in page  # finished: no more polling


@pytest.mark.django_db
def test_a_finished_job_is_not_run_again(staff):
    RUNS.clear()
    job = services.start_job(acting_user=staff["district_officer"], kind="tests.counted")
    services.run_job(job.pk)  # a redelivered task
    job.refresh_from_db()
    assert (job.status, job.progress, job.result, RUNS) == ("done", 100, {"n": 7}, [job.pk])


@pytest.mark.django_db
def test_a_job_belongs_to_its_owners_region_and_a_superusers_to_none(staff, django_user_model):
    job = services.start_job(acting_user=staff["district_officer"], kind="tests.counted")
    assert job.region_id == "330302000000"
    root = django_user_model.objects.create_superuser("root", password="x-Long-pass-2026!")
    job = services.start_job(acting_user=root, kind="tests.counted")
    job.refresh_from_db()
    assert (job.region_id, job.status) == (None, "done")  # not some region picked by its code
    client = Client()
    client.force_login(root)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_before_anything_is_kept(staff):
    from core.registry import RegistryError

    with pytest.raises(RegistryError):
        services.start_job(acting_user=staff["district_officer"], kind="tests.nothing")
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_transaction_is_seen_by_the_page_before_the_commit(wenzhou):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite a job runs in the request; nobody polls it meanwhile")
    from tests.factories import LUCHENG, make_staff

    user = make_staff("progress", "district_officer", LUCHENG)
    job = Job.objects.create(kind="tests.counted", owner=user, region_id=LUCHENG)
    progress = services.Progress(job)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            progress(40)
            with other.cursor() as cursor:
                cursor.execute("SELECT progress FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (40,)
    finally:
        progress.close()
        other.close()


@pytest.mark.django_db
def test_old_jobs_go_with_their_files(staff, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    old = services.start_job(acting_user=staff["district_officer"], kind="tests.counted", upload=("a.xlsx", b"x"))
    recent = services.start_job(acting_user=staff["district_officer"], kind="tests.counted")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=settings.JOB_KEEP_DAYS + 1))
    path = tmp_path / old.upload.name
    assert path.exists()
    assert services.purge_old_jobs() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not path.exists()
