"""Each city pack's targets and tasks load for its real divisions: counts, the collective units as
the documents name them, and the documents' warnings (a draft; a period that has ended)."""

import pytest
from django.utils import timezone

from plans.models import Target, Task, TaskAssignment
from plans.selectors import document_warnings
from policies.services import load_policy_pack
from regions.services import load_regions

pytestmark = pytest.mark.django_db

PACKS = {  # pack: (region, targets, tasks)
    "dongguan": ("4419", 3, 25),
    "xianning": ("4212", 18, 61),
    "jilin": ("22", 22, 33),
    "nanyang": ("4113", 10, 24),
}


@pytest.mark.parametrize("name", PACKS)
def test_a_city_pack_loads_its_targets_and_tasks(name):
    region, targets, tasks = PACKS[name]
    load_regions(prefix=region)
    load_policy_pack(name=name, region_code=region, only=["targets", "tasks"])
    assert Target.objects.filter(pack=name).count() == targets
    assert Task.objects.filter(pack=name).count() == tasks
    assert not Task.objects.filter(pack=name, assignments__isnull=True).exists()
    # Every target and task of these documents has a deadline in the past by now or a warning.
    warnings = document_warnings({name}, timezone.localdate())
    assert warnings, f"{name}: every one of these documents is a draft or has ended"


def test_xianning_units_follow_the_table():
    load_regions(prefix="4212")
    load_policy_pack(name="xianning", region_code="4212", only=["targets", "tasks"])
    first = [
        a.department.name for a in TaskAssignment.objects.filter(task__code="XN-1.1").order_by("position")
    ]
    assert first[:3] == ["市民政局", "市卫健委", "市财政局"]
    assert "咸安区人民政府" in first and "赤壁市人民政府" in first and "咸宁高新区管委会" in first
    # 各县市 (市区3家,其他县市各1家): the counties other than 咸安区.
    centres = [
        a.department.name for a in TaskAssignment.objects.filter(task__code="XN-3.2").order_by("position")
    ]
    assert centres[0] == "市民政局" and "咸安区人民政府" not in centres and len(centres) == 1 + 5
    assert Target.objects.get(code="XN-T1A").region_id == "421202000000"
    # A yearly row is one task per year; the respite row is led by 市卫健委.
    respite = Task.objects.filter(code__startswith="XN-2.6-").order_by("code")
    assert [t.deadline.year for t in respite] == [2020, 2021]
    assert respite[0].assignments.get(position=0).department.name == "市卫健委"
    assert respite[0].remark == "每个县市区每年落实不少于100户"
    junk = Task.objects.get(code="XN-3.3")
    assert "江南体育" not in junk.text and junk.text.startswith("贯彻落实《关于印发咸宁市城企联动")


def test_nanyang_development_zones_answer_through_their_committee():
    load_regions(prefix="4113")
    load_policy_pack(name="nanyang", region_code="4113", only=["targets", "tasks"])
    units = set(
        TaskAssignment.objects.filter(task__code="NY-2021-2").values_list("department__name", flat=True)
    )
    assert {"市民政局", "宛城区人民政府", "南阳高新技术产业开发区管委会", "邓州市人民政府"} <= units


def test_a_pack_loaded_for_another_region_leaves_out_its_own_divisions_targets(wenzhou):
    load_policy_pack(name="xianning", region_code="3303", only=["targets", "tasks"])
    codes = set(Target.objects.filter(pack="xianning").values_list("code", flat=True))
    assert "XN-T1" in codes and "XN-T1A" not in codes and "XN-T10" not in codes  # 咸安区's own
    assert len(codes) == PACKS["xianning"][1] - 2
