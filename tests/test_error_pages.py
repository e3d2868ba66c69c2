"""Error pages: Chinese, in the portal's layout, with a way back; the CSRF failure too."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from eldercare import urls as project_urls
from tests.factories import WUMA_MOCHI, ElderFactory

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("a fault")


urlpatterns = [path("broken/", broken), *project_urls.urlpatterns]


def assert_portal_page(resp, status, words):
    page = resp.content.decode()
    assert resp.status_code == status
    assert words in page, page[:2000]
    assert 'data-testid="way-back"' in page and "返回首页" in page
    assert "navbar" in page  # the site layout, not Django's bare page
    for english in ("Not Found", "Forbidden", "Server Error", "CSRF verification failed"):
        assert english not in page


def test_404_for_a_file_outside_the_region(client, staff):
    client.force_login(staff["community_worker"])
    other = ElderFactory(residence_id=WUMA_MOCHI)
    assert_portal_page(client.get(f"/elders/{other.pk}/"), 404, "页面不存在")
    assert_portal_page(client.get("/no-such-page/"), 404, "页面不存在")


def test_403_for_a_role_without_the_right(client, staff):
    client.force_login(staff["leader"])
    assert_portal_page(client.get("/elders/new/"), 403, "无权访问")


def test_csrf_failure_is_explained(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["community_worker"])
    resp = client.post("/elders/new/", {"name": "x"})
    assert_portal_page(resp, 403, "表单已过期")


@override_settings(ROOT_URLCONF=__name__)
def test_500_in_the_layout(wenzhou):
    client = Client(raise_request_exception=False)
    assert_portal_page(client.get("/broken/"), 500, "出错了")
