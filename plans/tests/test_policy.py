"""targets.yaml and tasks.yaml: every pack parses, quotes must state what the entry says, units
and yearly tasks expand, and loading is idempotent and keeps the units' reports."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import Target, Task, TaskAssignment, TaskUpdate
from plans.policy import parse_targets, parse_tasks
from policies.services import PACKS_DIR, _read_yaml, available_packs

pytestmark = pytest.mark.django_db

DOC = {"document": "wenzhou-2023", "clause": "三(二)5"}


def target(**extra):
    row = {
        "code": "T1",
        "metric": "canteens",
        "target": 1300,
        "deadline": "2025-12-31",
        "units": ["市民政局"],
        "source": {**DOC, "quote": "到2025年,建成邻里食堂(老年食堂)不少于1300家。(责任单位:市民政局)"},
    }
    row.update(extra)
    return {"targets": {"value": [row], "source": {"basis": "reading", "note": "见各条"}}}


def task(**extra):
    row = {
        "code": "K1",
        "text": "制定《居家社区养老服务项目管理和资金补助实施方案》。",
        "deadline": "2019-12-31",
        "deadline_text": "2019年",
        "units": ["市民政局", "市财政局"],
        "source": {
            "document": "xianning-2020",
            "clause": "附件3",
            "quote": "制定《居家社区养老服务项目管理和资金补助实施方案》。 | 2019年 | 市民政局、市财政局",
        },
    }
    row.update(extra)
    return {"tasks": {"value": [row], "source": {"basis": "reading", "note": "见各条"}}}


@pytest.mark.parametrize("name", available_packs())
def test_every_pack_parses(name):
    for section, parse in (("targets", parse_targets), ("tasks", parse_tasks)):
        path = PACKS_DIR / name / f"{section}.yaml"
        if path.exists():
            parse(_read_yaml(path))


def test_a_quote_must_state_the_target_value_and_year(english):
    assert parse_targets(target())[0].target == 1300
    with pytest.raises(ValidationError, match="does not state 1200"):
        parse_targets(target(target=1200))
    with pytest.raises(ValidationError, match="'2027' does not occur"):
        parse_targets(target(deadline="2027-12-31"))
    # A value that is a reading says so in its own source.
    own = {"value": 1200, "source": {"basis": "reading", "note": "测试"}}
    assert parse_targets(target(target=own))[0].target == 1200


def test_units_must_be_named_in_the_quote(english):
    with pytest.raises(ValidationError, match="'市卫健委' does not occur"):
        parse_targets(target(units=["市民政局", "市卫健委"]))


def test_a_source_is_a_quote_or_a_reading(english):
    with pytest.raises(ValidationError, match="missing: quote"):
        parse_targets(target(source=DOC))
    with pytest.raises(ValidationError, match="a reading needs a note"):
        parse_targets(target(source={"basis": "reading"}))


def test_task_text_must_be_the_documents_words(english):
    assert parse_tasks(task())[0].text.startswith("制定《")
    with pytest.raises(ValidationError, match="does not occur in its quote"):
        parse_tasks(task(text="制定资金补助办法。"))


def test_a_yearly_task_is_one_task_per_year():
    specs = parse_tasks(task(years=[2019, 2021], deadline=None))
    assert [(s.code, s.deadline.isoformat()) for s in specs] == [
        ("K1-2019", "2019-12-31"),
        ("K1-2020", "2020-12-31"),
        ("K1-2021", "2021-12-31"),
    ]


def test_loading_expands_collectives_and_keeps_reports(plan, units):
    task = Task.objects.get(code="WZ-9")
    names = list(task.assignments.order_by("position").values_list("department__name", flat=True))
    assert names[:3] == ["市民政局", "市司法局", "市卫健委"]  # the document's order: the first leads
    assert len(names) == 3 + 12 and "鹿城区人民政府" in names and "龙港市人民政府" in names
    target = Target.objects.get(code="WZ-T1")
    assert target.clause == "三(二)5" and "不少于1200家" in target.text
    assert target.text in target.source["target"]["quote"]
    assert target.responsible.first().department.name == "市民政局"

    part = task.assignments.get(department__name="市民政局")
    TaskUpdate.objects.create(
        assignment=part,
        status="in_progress",
        note="进行中",
        reported_by=units["民政"],
        reported_at=timezone.now(),
    )
    from policies.services import load_policy_pack

    load_policy_pack(name="wenzhou", region_code="3303", only=["targets", "tasks"])
    assert TaskAssignment.objects.filter(task__code="WZ-9").count() == 15
    assert TaskUpdate.objects.filter(assignment=part).exists()


def test_a_task_removed_from_the_pack_stays_while_a_unit_has_reported(plan, units, monkeypatch):
    from django.utils import timezone

    from plans.policy import parse_tasks as real
    from plans.services import apply_tasks
    from regions.models import Region

    part = TaskAssignment.objects.filter(task__code="WZ-1").first()
    TaskUpdate.objects.create(
        assignment=part, status="in_progress", note="n", reported_by=units["民政"], reported_at=timezone.now()
    )
    data = copy.deepcopy(_read_yaml(PACKS_DIR / "wenzhou" / "tasks.yaml"))
    data["tasks"]["value"] = [t for t in data["tasks"]["value"] if t["code"] not in ("WZ-1", "WZ-2")]
    apply_tasks(region=Region.objects.get(code="330300000000"), specs=real(data), pack="wenzhou")
    assert Task.objects.filter(code="WZ-1").exists()
    assert not Task.objects.filter(code="WZ-2").exists()


def test_a_target_names_a_metric_the_monthly_job_computes(english):
    with pytest.raises(ValidationError, match="computes no metric 'canteen'"):
        parse_targets(target(metric="canteen"))
