"""Builders for the facility tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from assessments.models import RecognisedResult
from facilities.models import Facility
from tests.factories import WUMA

_serial = itertools.count(1)


def make_facility(
    *, region: str = WUMA, kind: str = "street_centre", ownership: str = "public", **extra
) -> Facility:
    values = {
        "name": f"测试养老中心{next(_serial)}",
        "kind": kind,
        "ownership": ownership,
        "region_id": region,
        "status": "operating",
        "beds": 50,
        "nursing_beds": 30,
    }
    values.update(extra)
    facility = Facility(**values)
    facility.full_clean()
    facility.save()
    return facility


def give_grade(elder, grade: int, recorded_by, *, days_ago: int = 5, valid_days: int = 300) -> None:
    today = timezone.localdate()
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=today - timedelta(days=days_ago),
        grade=grade,
        valid_until=today + timedelta(days=valid_days),
        recorded_by=recorded_by,
    )
