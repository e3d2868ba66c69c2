from datetime import date

from core.scope import restrict
from elders.models import Elder
from tests.factories import WUMA_GULOU, ElderFactory


def test_factory_makes_a_valid_file(wenzhou, staff):
    e = ElderFactory(born=date(1940, 1, 2), female=True)
    assert e.sex == "female"
    assert e.birth_date == date(1940, 1, 2)
    assert restrict(Elder.objects.filter(pk=e.pk), staff["community_worker"]).exists()
    assert e.residence_id == WUMA_GULOU
