from datetime import date

from elders.models import Elder
from tests.factories import WUMA_GULOU, ElderFactory


def test_factory_makes_a_valid_file(wenzhou, staff):
    e = ElderFactory(born=date(1940, 1, 2), female=True)
    assert e.sex == "female"
    assert e.birth_date == date(1940, 1, 2)
    assert Elder.objects.restrict(staff["community_worker"]).filter(pk=e.pk).exists()
    assert e.residence_id == WUMA_GULOU
