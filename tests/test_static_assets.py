"""Light worker pages (issue 15): what a first visit must download, and the CSS subset.

- The Bootstrap subset (static/css/bootstrap-portal.min.css, built by `./dev css`) holds
  every Bootstrap class a template, form or script of the portal uses.
- In production settings static files get hashed names and Brotli/gzip copies, and a
  worker page's first visit (compressed HTML plus the compressed CSS and JS it links) stays
  within 60 KB. The slow-3G seconds are measured by `manage.py benchmark_pages`.
"""

import gzip
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from assessments.models import AssessmentRequest
from tests.factories import ElderFactory

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
SUBSET = ROOT / "static" / "css" / "bootstrap-portal.min.css"
BUDGET = 60_000
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_TEMPLATE_TAG = re.compile(r"\{[%{#].*?[%}#]\}")


def _selector_classes(css: str) -> set[str]:
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"url\([^)]*\)", "", css)))


def _selectors(css: str) -> list[set[str]]:
    """The classes of each selector of a style sheet (at-rule preludes left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for prelude in re.findall(r"([^{}]+)\{", css):
        if prelude.strip().startswith("@"):
            continue
        out += [_selector_classes(sel) for sel in prelude.split(",")]
    return out


def _used_classes() -> set[str]:
    used: set[str] = set()
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    for path in files:
        for attr in _CLASS_ATTR.findall(path.read_text()):
            used.update(_TEMPLATE_TAG.sub(" ", attr).split())
    for path in [*ROOT.glob("*/forms.py"), *ROOT.glob("static/js/*.js")]:
        used.update(re.findall(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+|\b[a-z]{3,}\b", path.read_text()))
    return used


def test_the_subset_has_every_bootstrap_class_the_portal_uses():
    used = _used_classes()
    subset = _selector_classes(SUBSET.read_text())
    # A class is needed when a Bootstrap rule applies to it with only classes the portal uses
    # (".nav-fill .nav-item" does not count while nothing uses nav-fill).
    needed = set().union(*(sel for sel in _selectors(FULL.read_text()) if sel and sel <= used))
    missing = sorted(needed - subset)
    assert not missing, f"run ./dev css: the Bootstrap subset lacks {missing}"
    assert len(SUBSET.read_bytes()) < len(FULL.read_bytes()) / 3


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.paths.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.paths.append(attrs["src"])


def test_production_serves_hashed_compressed_static_files():
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'eldercare.settings'); "
        "django.setup(); from django.conf import settings as s; import brotli; "
        "print(s.STORAGES['staticfiles']['BACKEND'])"
    )
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "localhost"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # Hashed names (cached for a year, immutable) with .br and .gz copies beside them.
    assert out.stdout.strip().endswith("whitenoise.storage.CompressedManifestStaticFilesStorage")


@pytest.mark.django_db
def test_first_visit_of_each_worker_page_stays_within_60_kb(client, staff):
    elder = ElderFactory(living_arrangement="alone")
    AssessmentRequest.objects.create(elder=elder, reason="first", requested_by=staff["community_worker"])
    pages = [
        ("community_worker", "/"),
        ("community_worker", "/visits/due/"),
        ("community_worker", f"/visits/new/{elder.pk}/"),
        ("community_worker", "/elders/new/"),
        ("assessor", "/assessments/due/"),
        ("assessor", f"/assessments/new/{elder.pk}/"),
    ]
    weights = {}
    for role, path in pages:
        client.force_login(staff[role])
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", path  # HTML is compressed
        parser = _Assets()
        parser.feed(gzip.decompress(response.content).decode())
        # Each linked file as WhiteNoise serves it in production: Brotli at its best level.
        total = len(response.content) + sum(_brotli_size(url) for url in parser.paths)
        weights[path] = total
    assert max(weights.values()) <= BUDGET, weights


def _brotli_size(url: str) -> int:
    found = finders.find(url.removeprefix(settings.STATIC_URL.rstrip("/") + "/").removeprefix("static/"))
    assert found, url
    return len(brotli.compress(Path(found).read_bytes()))
