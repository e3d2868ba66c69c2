"""Fixtures shared by every test folder (tests/ and the apps' own tests/)."""

import os

import pytest
from hypothesis import HealthCheck, settings

from regions.models import Region

# Generated inputs are judged on what they find, not on how fast the machine draws them: on a
# loaded machine (CI beside other work, two pytest workers) the "too slow" check fails tests that
# found nothing wrong.
settings.register_profile("portal", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("portal")

# Playwright's sync API runs an event loop in the test thread; Django's async-safety guard
# would then refuse the ORM calls the same test makes to set up and check data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Parsed policy sections live in the cache, which a rolled-back test does not undo.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread; the next test starts in the default.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _primary_reads_unless_replica_test(request, settings):
    # A test writes its data outside any request and reads it back at once: like an account that
    # just wrote, it reads the primary. tests/test_replica.py is where the standby is read.
    if request.node.get_closest_marker("replica") is None:
        settings.REPLICA_READS = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per account; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Wenzhou division tree once per test database (tests roll back around it)."""
    from regions.services import load_regions

    with django_db_blocker.unblock():
        load_regions(prefix="3303")


@pytest.fixture
def wenzhou(db):
    """The real division tree of Wenzhou (3303), as the demo city uses."""
    if not Region.objects.filter(code="330300000000").exists():
        from regions.services import load_regions

        load_regions(prefix="3303")
    return Region.objects.get(code="330300000000")


@pytest.fixture
def staff(wenzhou):
    """One account per role, at the levels the scoping tests compare."""
    from tests.factories import CITY, LUCHENG, WUMA, WUMA_GULOU, make_staff

    return {
        "city_admin": make_staff("city", "city_admin", CITY),
        "district_officer": make_staff("district", "district_officer", LUCHENG),
        "street_officer": make_staff("street", "street_officer", WUMA),
        "community_worker": make_staff("worker", "community_worker", WUMA_GULOU),
        "assessor": make_staff("assessor", "assessor", WUMA),
        "leader": make_staff("leader", "leader", CITY),
        "provider_staff": make_staff("provider", "provider_staff", LUCHENG),
    }


@pytest.fixture
def english():
    """Messages in English, for tests that match their wording."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (see tests/browser.py)."""
    from tests.browser import CHROMIUM, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()
