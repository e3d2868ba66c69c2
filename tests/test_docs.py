"""The documentation in the repository agrees with the code it describes."""

import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse

from reports.metric_docs import PAGE, render

ROOT = Path(settings.BASE_DIR)
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_metrics_page_matches_the_declarations():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/metrics.md differs from the metric declarations: run "
        "`python manage.py describe_metrics --write` and commit the page"
    )


def test_readme_links_every_doc_and_each_link_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in DOCS:
        assert f"docs/{doc.name}" in readme, f"README does not link docs/{doc.name}"
    for text in [readme, *(d.read_text(encoding="utf-8") for d in DOCS)]:
        for name in re.findall(r"docs/([\w-]+\.md)", text):
            assert (ROOT / "docs" / name).exists(), f"docs/{name} is linked but missing"


def test_readme_and_docs_send_nobody_outside_the_repository():
    for path in [ROOT / "README.md", *DOCS]:
        text = path.read_text(encoding="utf-8")
        assert "../" not in text, f"{path.name} points outside the repository"


def test_operations_page_lists_every_scheduled_job():
    page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert f"`{entry['task']}`" in page, f"docs/operations.md does not describe {entry['task']}"


def test_healthz_answers_without_a_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_says_unavailable_when_the_database_is_away(client, db):
    with mock.patch("eldercare.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable"
