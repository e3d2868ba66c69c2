"""No code value where its label belongs: every worker page and export, for every role.

The demo city is built once; each role's account follows every link of its pages (a few of
each kind: one elder's file stands for all), and every HTML page, tooltip and spreadsheet is
read as a person reads it. A code value of a choice field (``extreme_poverty``,
``under_review``), a Python list or a JSON object in that text fails the test.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client

from elders.demo import STAFF, seed

pytestmark = pytest.mark.django_db

# Attributes a person reads (tooltips, placeholders, labels for screen readers).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-bs-title"}
SKIP_PREFIXES = ("/static/", "/admin/", "/api/", "/accounts/logout", "/media/", "/sw.js", "/manifest")
PER_KIND = 1  # pages of one kind (the same path with other numbers) read per role
MAX_PAGES = 120  # per role
# Where a role's day starts (a page a role may not open is skipped); links lead on from there.
START = (
    "/",
    "/assessments/due/",
    "/visits/due/",
    "/facilities/",
    "/subsidies/applications/",
    "/dashboard/",
    "/plans/units/",
)
USERNAMES = {username for username, *_rest in STAFF} | {"admin"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "a" and name == "href" and value:
                self.links.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def choice_codes() -> set[str]:
    """Every string code value of a choice field whose label differs from it."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "axes"}:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if (
                    isinstance(value, str)
                    and re.fullmatch(r"[a-z][a-z0-9_]{2,}", value)
                    and str(label) != value
                ):
                    codes.add(value)
    return codes - USERNAMES


def offences(text: str, codes: set[str]) -> list[str]:
    found = []
    for word in re.findall(r"(?<![A-Za-z0-9_./-])[a-z][a-z0-9_]*[a-z0-9](?![A-Za-z0-9_/-])", text):
        if word in codes or "_" in word:
            found.append(word)
    if re.search(r"\[\s*'[^']*'|\{\s*\"[a-z_]+\"\s*:", text):
        found.append("a Python list or JSON object")
    return found


def sheet_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client: Client, codes: set[str]) -> tuple[dict[str, list[str]], int]:
    seen_kinds: dict[str, int] = defaultdict(int)
    queue, visited, bad = list(START), set(), {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        resp = client.get(url)
        assert resp.status_code < 500, url
        if resp.status_code != 200:
            continue
        kind = resp.get("Content-Type", "")
        if "spreadsheetml" in kind:
            text, links = sheet_text(resp.content), []
        elif "text/html" in kind:
            parser = VisibleText()
            parser.feed(resp.content.decode())
            text, links = "\n".join(parser.parts), parser.links
        else:
            continue
        found = offences(text, codes)
        if found:
            bad[url] = sorted(set(found))
        for href in links:
            parts = urlsplit(urljoin(url, href))
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
                continue
            query = parts.query
            if parts.path.endswith("report.xlsx"):
                # The city-wide workbook takes minutes on this machine; a district's has the same
                # headers and labels.
                query = re.sub(r"region=\d{4}0{8}\b", "region=330302000000", query)
            target = parts.path + (f"?{query}" if query else "")
            if target in visited:
                continue
            k = kind_of(parts.path)
            if seen_kinds[k] >= PER_KIND:
                continue
            seen_kinds[k] += 1
            queue.append(target)
    return bad, len(visited)


def test_no_code_value_on_any_page_or_export(wenzhou):
    """One demo city for every role (building it is the slow part): each role's pages in turn."""
    from django.contrib.auth import get_user_model

    seed(elders=80)
    codes = choice_codes()
    bad, pages = {}, {}
    for username in sorted(USERNAMES - {"worker2", "assessor2", "admin"}):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        found, pages[username] = crawl(client, codes)
        bad.update({f"{username} {url}": words for url, words in found.items()})
    assert all(n > 3 for n in pages.values()), pages  # each role reached its pages
    assert not bad, bad
