"""Facts about a caregiver for the condition language (subsidy schemes paid to caregivers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conditions import NUM_OPS, column_fact, fact

column_fact(
    "caregiver_skill_level",
    "skill_level",
    label=_("vocational skill level"),
    kind="int",
    ops=NUM_OPS | {"is_null"},
    subject="caregiver",
)
column_fact("caregiver_employed", "active", label=_("employed"), kind="bool", ops={"eq"}, subject="caregiver")


def _certified_q(op: str, value: Any, on: date) -> Q:
    held = Q(certificate_number__gt="") & (
        Q(certificate_expires__isnull=True) | Q(certificate_expires__gte=on)
    )
    return held if value else ~held


@fact(
    "caregiver_certified",
    label=_("holds a valid caregiver certificate"),
    kind="bool",
    ops={"eq"},
    to_q=_certified_q,
    subject="caregiver",
)
def caregiver_certified(caregiver, on: date) -> bool:
    return bool(caregiver.certificate_number) and (
        caregiver.certificate_expires is None or caregiver.certificate_expires >= on
    )
