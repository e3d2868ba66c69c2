"""Test data for providers, caregivers and service records (tests only)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from services import rules
from services.models import Caregiver, Provider
from tests.factories import LUCHENG, id_number_for

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_serial = itertools.count(1)


def org_code(body8: str) -> str:
    """A GB 11714 organisation code (8 characters + its own check), as positions 9-17 of a
    unified social credit code carry it."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(*, region: str = "330302", serial: int | None = None, kind: str = "91") -> str:
    """A real-format code: registration department + type (91 = enterprise, 52 = private
    non-enterprise unit, 53 = foundation ...), the 6-digit region, the organisation code,
    and the GB 32100 check character."""
    serial = next(_serial) if serial is None else serial
    body = kind + region + org_code(f"MA{serial:06d}")
    return body + rules.uscc_check_character(body)


def make_provider(
    *, region: str = LUCHENG, name: str | None = None, kind: str = "home_care", **extra
) -> Provider:
    serial = next(_serial)
    provider = Provider(
        name=name or f"测试养老服务中心{serial}",
        credit_code=make_uscc(region=region[:6], serial=serial),
        kind=kind,
        region_id=region,
        filing_status=extra.pop("filing_status", "filed"),
        **extra,
    )
    provider.full_clean()
    provider.save()
    return provider


def make_caregiver(provider: Provider, *, skill_level: int = 4, **extra) -> Caregiver:
    serial = next(_serial)
    caregiver = Caregiver(
        provider=provider,
        id_number=id_number_for(date(1975, 1, 1) + timedelta(days=serial), female=True),
        name=f"护理员{serial}",
        skill_level=skill_level,
        certificate_expires=timezone.localdate() + timedelta(days=365),
        **extra,
    )
    caregiver.full_clean()
    caregiver.save()
    return caregiver
