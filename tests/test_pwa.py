"""The worker app's server side: manifest, service worker, the device's copy of the home
page without ID numbers or phones, and a logout that clears the device."""

import json

import pytest

from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db


def test_manifest_makes_the_worker_pages_installable(client, staff):
    client.force_login(staff["community_worker"])
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "基本养老服务" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert 'rel="manifest"' in client.get("/").content.decode()


def test_service_worker_names_the_assets_and_the_worker_pages(client, staff):
    client.force_login(staff["community_worker"])
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]  # a new deploy is picked up at once
    script = response.content.decode()
    config = json.loads(script.split("self.ELDERCARE = ", 1)[1].split(";\n", 1)[0])
    assert "/static/css/bootstrap-portal.min.css" in config["assets"]
    assert 'importScripts("/static/js/sw.js")' in script
    patterns = [p["pattern"] for p in config["pages"]]
    assert r"^/visits/new/\d+/$" in patterns and r"^/assessments/new/\d+/$" in patterns
    assert "^/elders/new/$" in patterns and {"pattern": "^/$", "stripped": True} in config["pages"]
    assert {"pattern": "^/elders/$", "stripped": True} in config["pages"]  # the inbox links there


@pytest.mark.parametrize(("role", "forms"), [("community_worker", "/elders/new/"), ("assessor", ""), ("leader", "")])
def test_each_page_names_only_the_blank_forms_its_account_may_open(client, staff, role, forms):
    # The service worker keeps the forms the page names: a role that may not register elders never
    # asks for the registration form (it met a 403 on every sign-in).
    client.force_login(staff[role])
    page = client.get("/").content.decode()
    assert f'data-blank-forms="{forms}"' in page
    assert (client.get("/elders/new/").status_code == 200) == bool(forms)


def test_the_kept_list_of_elders_has_no_id_numbers_or_phones(client, staff):
    elder = ElderFactory(phone="13905771234")
    client.force_login(staff["community_worker"])
    online = client.get("/elders/").content.decode()
    assert elder.id_number in online and "13905771234" in online  # a worker sees them online
    kept = client.get("/elders/", HTTP_X_OFFLINE_COPY="1").content.decode()
    assert elder.name in kept
    assert elder.id_number not in kept and "13905771234" not in kept


def test_logout_tells_the_browser_to_clear_the_device(client, staff):
    client.force_login(staff["community_worker"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_page_benchmark_command_loads():
    # It runs by hand (a report figure, not a test): at least its imports must keep up with main.
    from django.core.management import load_command_class

    assert load_command_class("reports", "benchmark_pages").help.startswith("Bytes and slow-3G seconds")
