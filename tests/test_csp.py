"""Content-Security-Policy without inline script (issue 12 item 7).

Every page answers with a policy whose scripts come from the portal itself, and no page
carries a script the policy would refuse: no inline <script> (json_script data blocks are
not run by browsers and stay allowed) and no inline event handler.
"""

from html.parser import HTMLParser

import pytest

from assessments.models import AssessmentRequest
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db

DATA_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in DATA_TYPES:
            self.found.append("<script> without src")


def _pages(staff):
    elder = ElderFactory(living_arrangement="alone")
    AssessmentRequest.objects.create(elder=elder, reason="first", requested_by=staff["community_worker"])
    return [
        (None, "/accounts/login/"),
        ("community_worker", "/"),
        ("community_worker", "/visits/due/"),
        ("community_worker", f"/visits/new/{elder.pk}/"),
        ("community_worker", "/visits/mine/"),
        ("community_worker", "/elders/new/"),
        ("community_worker", f"/elders/{elder.pk}/"),
        ("community_worker", "/offline/"),
        ("assessor", "/assessments/due/"),
        ("assessor", f"/assessments/new/{elder.pk}/"),
        ("street_officer", "/visits/follow-ups/"),
        ("leader", "/dashboard/"),
        ("city_admin", "/facilities/"),
        ("city_admin", "/subsidies/applications/"),
        ("city_admin", "/admin/"),
        ("city_admin", "/admin/elders/elder/"),
        ("city_admin", "/api/docs/"),
    ]


def test_every_page_has_a_policy_and_no_inline_script(client, staff):
    problems = []
    for role, path in _pages(staff):
        client.logout()
        if role:
            client.force_login(staff[role])
        response = client.get(path)
        assert response.status_code == 200, (role, path, response.status_code)
        policy = response.headers.get("Content-Security-Policy", "")
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        if script_src.split() != ["script-src", "'self'"]:
            problems.append(f"{path}: script-src is {script_src!r}")
        parser = InlineScripts()
        parser.feed(response.content.decode())
        problems += [f"{path}: {found}" for found in parser.found]
    assert not problems


def test_the_policy_refuses_what_an_injection_would_need(client, staff):
    client.force_login(staff["community_worker"])
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe-eval" not in policy and "unsafe-inline" not in directives["script-src"]
