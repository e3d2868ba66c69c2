"""The zh_Hans catalogue is complete and its compiled form matches it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

needs_gettext = pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"),
    reason="GNU gettext is not installed (CI installs it)",
)


def _untranslated(po: Path) -> list[str]:
    out = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = [line[7:-1] for line in out.splitlines() if line.startswith('msgid "')]
    return [i for i in ids if i]


@needs_gettext
def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "media", "*.sqlite3", "test-artifacts", "data"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-i", "tests/*", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "eldercare.settings"},
    )
    assert result.returncode == 0, result.stderr
    missing = _untranslated(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert not missing, f"{len(missing)} strings lack a zh_Hans translation, e.g. {missing[:10]}"


@needs_gettext
def test_compiled_catalogue_is_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    decompile = ["msgunfmt", "--no-wrap"]
    committed = subprocess.run([*decompile, str(MO)], capture_output=True, text=True, check=True).stdout
    expected = subprocess.run([*decompile, str(fresh)], capture_output=True, text=True, check=True).stdout
    assert committed == expected, "run: python manage.py compilemessages -l zh_Hans"
