"""The stored visit status the due list walks: kept by the visit service and the registry, caught
up by the nightly refresh, and answering exactly what the visits themselves answer."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from core.periods import current_period
from services.models import Visit, VisitStatus
from services.selectors import due_from_status, due_from_visits, due_list
from services.services import record_visit, refresh_visit_status
from tests.factories import WUMA_GULOU, ElderFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
LONG_AGO = date(2024, 1, 1)


def now_period() -> str:
    return current_period()


def test_recording_visits_keeps_the_last_and_the_last_counted_visit(staff):
    worker = staff["community_worker"]
    elder = ElderFactory(living_arrangement="alone", registered_on=LONG_AGO)
    assert VisitStatus.objects.get(elder=elder).in_target_group  # registering checked the group
    earlier = timezone.now() - timedelta(hours=3)
    record_visit(acting_user=worker, elder=elder, visited_at=earlier, method="home", outcome="normal")
    record_visit(
        acting_user=worker, elder=elder, visited_at=timezone.now(), method="home", outcome="not_found"
    )
    status = VisitStatus.objects.get(elder=elder)
    assert status.last_outcome == "not_found" and status.last_visit_at > earlier
    assert status.last_counted_at == earlier  # "did not see the elder" does not count
    # A late entry for an older day changes neither.
    record_visit(
        acting_user=worker,
        elder=elder,
        visited_at=earlier - timedelta(hours=1),
        method="phone",
        outcome="normal",
    )
    assert VisitStatus.objects.get(elder=elder).last_counted_at == earlier


def test_an_elder_joins_and_leaves_the_group_as_their_file_changes(staff):
    worker = staff["community_worker"]
    elder = ElderFactory(living_arrangement="with_children", registered_on=LONG_AGO)
    assert not list(due_list(worker, now_period()))
    elder.living_arrangement = "alone"
    elder.save()
    assert [e.pk for e in due_list(worker, now_period())] == [elder.pk]
    elder.living_arrangement = "with_children"
    elder.save()
    assert not list(due_list(worker, now_period()))  # leaving shows at once too


def test_the_list_reads_the_stored_flag_and_the_refresh_moves_it(staff):
    worker = staff["community_worker"]
    elder = ElderFactory(living_arrangement="alone", registered_on=LONG_AGO)
    # A change that bypassed the registry's services (a raw UPDATE) is not seen by the list
    # until the files are re-checked: the list reads the stored membership, not the condition.
    type(elder).objects.filter(pk=elder.pk).update(living_arrangement="with_children")
    assert [e.pk for e in due_list(worker, now_period())] == [elder.pk]
    assert refresh_visit_status(visits=False, under=elder.residence_id[:6])["left"] == 1
    assert not list(due_list(worker, now_period()))


def test_a_changed_visit_rule_re_checks_the_files_of_its_cities_once_committed(
    staff, django_capture_on_commit_callbacks
):
    from policies.services import load_policy_pack
    from regions.models import Region
    from services.services import set_visit_rule
    from tests.factories import CITY

    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    worker, city_admin = staff["community_worker"], staff["city_admin"]
    alone = ElderFactory(living_arrangement="alone", registered_on=LONG_AGO)
    ElderFactory(living_arrangement="with_children", registered_on=LONG_AGO)
    assert [e.pk for e in due_list(worker, now_period())] == [alone.pk]
    with django_capture_on_commit_callbacks(execute=True):
        set_visit_rule(
            acting_user=city_admin,
            region=Region.objects.get(code=CITY),
            target_group={"fact": "living_arrangement", "op": "in", "value": ["alone", "with_children"]},
            counted_methods=["home", "phone"],
            counted_outcomes=["normal", "problem"],
            target_rate=90,
            follow_up_days=7,
        )
    assert len(due_list(worker, now_period())) == 2  # the refresh ran after the commit


def test_the_refresh_catches_up_bulk_loaded_visits_and_membership(staff):
    worker = staff["community_worker"]
    due, visited = (
        ElderFactory(living_arrangement="alone", registered_on=LONG_AGO),
        ElderFactory(living_arrangement="alone", registered_on=LONG_AGO),
    )
    VisitStatus.objects.all().delete()  # as after a bulk load that bypassed the services
    Visit.objects.bulk_create(
        [Visit(elder=visited, visitor=worker, visited_at=timezone.now(), method="home", outcome="normal")]
    )
    assert not list(due_list(worker, now_period()))
    assert refresh_visit_status() == {"joined": 2, "left": 0, "visits": 1}
    assert [e.pk for e in due_list(worker, now_period())] == [due.pk]
    assert refresh_visit_status() == {"joined": 0, "left": 0, "visits": 0}  # nothing changed: nothing written


def test_the_stored_list_is_the_list_the_visits_give(staff):
    """The current month's list from the stored status is the list the visits themselves give."""
    worker = staff["community_worker"]
    today = timezone.localdate()
    first = today.replace(day=1)
    elders = [
        ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", registered_on=LONG_AGO)
        for _ in range(6)
    ]
    ElderFactory(residence_id=WUMA_GULOU, living_arrangement="with_children", registered_on=LONG_AGO)
    month_start = datetime.combine(first, datetime.min.time(), tzinfo=TZ)
    for i, elder in enumerate(elders[:4]):
        # Last month, and (for two of them) earlier this month; one only "not found" this month.
        record_visit(
            acting_user=worker,
            elder=elder,
            visited_at=month_start - timedelta(days=3 + i),
            method="home",
            outcome="normal",
        )
    record_visit(
        acting_user=worker, elder=elders[0], visited_at=timezone.now(), method="phone", outcome="normal"
    )
    record_visit(
        acting_user=worker, elder=elders[1], visited_at=timezone.now(), method="home", outcome="not_found"
    )
    stored = [(e.pk, e.last_visit_at) for e in due_from_status(worker, now_period())]
    from_visits = [(e.pk, e.last_visit_at) for e in due_from_visits(worker, now_period())]
    assert stored == from_visits
    assert elders[0].pk not in {pk for pk, _at in stored}
    assert stored[0][0] in {e.pk for e in elders[4:]}  # never visited first


def test_a_past_month_is_answered_from_the_visits(staff):
    worker = staff["community_worker"]
    elder = ElderFactory(living_arrangement="alone", registered_on=date(2025, 1, 1))
    record_visit(acting_user=worker, elder=elder, visited_at=timezone.now(), method="home", outcome="normal")
    assert elder.pk in {e.pk for e in due_list(worker, "2025-03")}  # not visited in March 2025
    assert elder.pk not in {e.pk for e in due_list(worker, now_period())}
