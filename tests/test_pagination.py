"""Lists reachable to the end: a capped count, page numbers up to the cap, a cursor beyond it."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from services.services import record_visit
from tests.factories import ElderFactory, api_client

pytestmark = pytest.mark.django_db


def api(user):
    return api_client(user)


def follow(client, url):
    pages, seen = 0, []
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
        assert pages < 50
    return seen, pages


def test_following_next_reads_every_row_past_the_count_cap(staff, settings):
    settings.LIST_COUNT_CAP = 5
    elders = ElderFactory.create_batch(13)
    client = api(staff["city_admin"])
    first = client.get("/api/v1/elders/?page_size=2").json()
    assert first["count"] == 6 and first["count_capped"] is True
    # Page numbers stop at the capped count, as before...
    assert client.get("/api/v1/elders/?page_size=2&page=4").status_code == 404
    # ... but next goes on to the last row, each row once, newest first.
    seen, pages = follow(client, "/api/v1/elders/?page_size=2")
    assert seen == sorted((e.pk for e in elders), reverse=True) and pages == 7


def test_a_page_number_and_the_cursor_agree(staff):
    ElderFactory.create_batch(7)
    client = api(staff["city_admin"])
    second = client.get("/api/v1/elders/?page_size=3&page=2").json()
    rest, _pages = follow(client, second["next"])
    everything, _pages = follow(client, "/api/v1/elders/?page_size=3")
    assert (
        everything
        == [r["id"] for r in client.get("/api/v1/elders/?page_size=3").json()["results"]]
        + [r["id"] for r in second["results"]]
        + rest
    )


def test_previous_links_walk_back_and_filters_hold(staff, settings):
    settings.LIST_COUNT_CAP = 3
    alone = ElderFactory.create_batch(6, living_arrangement="alone")
    ElderFactory.create_batch(4, living_arrangement="empty_nest")
    client = api(staff["city_admin"])
    seen, _pages = follow(client, "/api/v1/elders/?page_size=2&living_arrangement=alone")
    assert sorted(seen) == sorted(e.pk for e in alone)
    url = "/api/v1/elders/?page_size=2&living_arrangement=alone"
    for _ in range(2):
        url = client.get(url).json()["next"]
    last = client.get(url).json()
    back = client.get(last["previous"]).json()
    assert [r["id"] for r in back["results"]] == seen[2:4]


def test_a_city_of_visits_is_read_to_the_end(staff, settings):
    settings.LIST_COUNT_CAP = 4
    elders = ElderFactory.create_batch(11)
    for elder in elders:
        record_visit(
            acting_user=staff["community_worker"],
            elder=elder,
            visited_at=timezone.now(),
            method="phone",
            outcome="normal",
        )
    seen, _pages = follow(api(staff["city_admin"]), "/api/v1/visits/?page_size=3")
    assert len(seen) == len(set(seen)) == 11


def test_the_schema_states_the_cursor_and_the_capped_count(staff):
    client = APIClient()
    client.force_login(staff["city_admin"])
    schema = client.get("/api/schema/?format=json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/elders/"]["get"]["parameters"]}
    assert {"page", "page_size", "cursor"} <= params
    page = schema["components"]["schemas"]["PaginatedElderList"]["properties"]
    assert {"count", "count_capped", "next", "previous", "results"} <= set(page)


def test_a_list_over_the_cap_is_not_counted_again_and_one_under_it_always_is(staff, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIST_COUNT_CAP = 5
    ElderFactory.create_batch(6, living_arrangement="alone")
    ElderFactory.create_batch(2, living_arrangement="empty_nest")
    client = api(staff["city_admin"])

    def page(query):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/elders/?page_size=2&{query}").json()
        counted = sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))
        return body["count"], body["count_capped"], counted

    assert page("living_arrangement=alone") == (6, True, 1)
    assert page("living_arrangement=alone") == (6, True, 0)  # remembered as over the cap
    assert page("living_arrangement=empty_nest") == (2, False, 1)  # other filters, its own count
    ElderFactory(living_arrangement="empty_nest")
    assert page("living_arrangement=empty_nest") == (3, False, 1)  # under the cap: counted afresh
