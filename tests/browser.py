"""Shared Playwright helpers: Debian's Chromium, never a downloaded browser."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


def require_chromium() -> None:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


class Steps:
    """Counts what a person does (a click, a typed field, a choice) and how long it takes: the
    browser tests print both for a role's main task (`-s`), for the issue's before-and-after note."""

    def __init__(self, page):
        self.page, self.count, self.started = page, 0, time.monotonic()

    def click(self, selector):
        self.count += 1
        self.page.locator(selector).first.click()

    def fill(self, selector, value):
        self.count += 1
        self.page.fill(selector, value)

    def select(self, selector, value=None, *, label=None):
        self.count += 1
        if label is not None:
            self.page.select_option(selector, label=label)
        else:
            self.page.select_option(selector, value)

    def check(self, selector):
        self.count += 1
        self.page.check(selector)

    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def report(self, task: str) -> str:
        line = f"{task}: {self.count} steps, {self.seconds()} s"
        print(line)
        return line


def score_assessment(page, scores: dict[str, int]) -> None:
    """Score the assessment form part by part as an assessor does: the part's tab (the form
    shows one part at a time, static/js/sections.js), then each of its items."""
    for code, score in scores.items():
        tab = page.locator(f"[data-section-nav] a[href='#part-{code[:3].replace('.', '')}']")
        if "active" not in (tab.get_attribute("class") or ""):
            tab.click()
        page.check(f"input[name='item_{code.replace('.', '_')}'][value='{score}']")
