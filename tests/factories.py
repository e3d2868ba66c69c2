"""factory_boy factories for tests (and nothing else)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from elders.choices import EconomicStatus, LivingArrangement
from elders.models import Elder
from elders.rules import make_id_number
from regions.models import Region
from regions.services import create_staff

PASSWORD = "Test-pass-2026!"

# Real Wenzhou codes (loaded from data/regions by the `wenzhou` fixture).
CITY = "330300000000"
LUCHENG = "330302000000"  # 鹿城区
WUMA = "330302006000"  # 五马街道
WUMA_GULOU = "330302006044"  # 鼓楼社区
WUMA_MOCHI = "330302006045"  # 墨池社区
SONGTAI = "330302026000"  # 松台街道
LONGWAN = "330303000000"  # 龙湾区

_sequence = itertools.count(1)


def id_number_for(born: date, *, female: bool = False, address: str = "330302") -> str:
    seq = next(_sequence) % 500 * 2 + (0 if female else 1)
    return make_id_number(address, born, seq)


def first_village_of(prefix: str) -> str:
    return (
        Region.objects.filter(code__startswith=prefix, level="village")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


class ElderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Elder
        skip_postgeneration_save = True

    class Params:
        born = date(1945, 3, 8)
        female = False

    id_number = factory.LazyAttribute(lambda o: id_number_for(o.born, female=o.female))
    name = factory.Sequence(lambda n: f"测试老人{n}")
    residence_id = WUMA_GULOU
    living_arrangement = LivingArrangement.ALONE
    economic_status = EconomicStatus.ORDINARY
    # On file for a while: a visit or service "an hour ago" must not fall before the registration,
    # and after 16:00 UTC an hour ago can be yesterday in local (Shanghai) time.
    registered_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()  # derives sex and birth date from the ID number, as every write does
        obj.save()
        return obj


def make_staff(username: str, role: str, region_code: str, **extra):
    if role == "assessor":
        extra.setdefault("certificate_number", f"CERT-{username}")
    profile, _created = create_staff(
        username=username, role=role, region_code=region_code, password=PASSWORD, **extra
    )
    return get_user_model().objects.get(pk=profile.user_id)


def api_client(user=None) -> APIClient:
    """The one way tests call the API: a DRF client signed in as `user` (anonymous if None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
