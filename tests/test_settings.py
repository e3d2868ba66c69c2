"""Settings come from the environment, with the embedded default when nothing is set."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PRINT = (
    "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'eldercare.settings'); "
    "django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'debug': s.DEBUG, 'broker': s.CELERY_BROKER_URL, "
    "'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE, 'langs': [code for code, _ in s.LANGUAGES]}))"
)


def _settings(**env):
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", _PRINT],
        cwd=ROOT,
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_embedded_default_is_sqlite_eager_debug_with_a_warning():
    values, stderr = _settings()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True and values["debug"] is True
    assert "SECRET_KEY is not set" in stderr
    assert values["lang"] == "zh-hans" and "en" in values["langs"]
    assert values["tz"] == "Asia/Shanghai"


def test_database_url_and_broker_switch_to_postgres_and_a_real_worker():
    values, _ = _settings(
        DATABASE_URL="postgres://u:p@db.internal:5432/eldercare",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY="s" * 50,
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "eldercare"
    assert values["eager"] is False and values["broker"] == "redis://127.0.0.1:6379/0"


def test_env_example_documents_every_variable_the_settings_read():
    source = (ROOT / "eldercare" / "settings.py").read_text()
    documented = (ROOT / ".env.example").read_text()
    import re

    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', source)) | set(re.findall(r'env\("([A-Z_]+)"', source))
    assert read, "no env reads found"
    missing = sorted(v for v in read if f"{v}=" not in documented)
    assert not missing, f".env.example lacks {missing}"


_SQLITE_WRITERS = """
import os, threading, time, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'eldercare.settings')
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute('CREATE TABLE IF NOT EXISTS t (n integer)')
    c.execute('PRAGMA journal_mode')
    print('mode', c.fetchone()[0])
errors = []
def writer(i):
    from django.db import connection
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute('SELECT count(*) FROM t')  # read first, then write: the classic upgrade
                time.sleep(0.3)
                c.execute('INSERT INTO t VALUES (%s)', [i])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
[t.start() for t in threads]; [t.join() for t in threads]
with connection.cursor() as c:
    c.execute('SELECT count(*) FROM t')
    print('rows', c.fetchone()[0])
print('errors', errors)
"""


def test_embedded_sqlite_writers_wait_instead_of_database_is_locked(tmp_path):
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", _SQLITE_WRITERS],
        cwd=ROOT,
        env={**keep, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "mode wal" in out and "rows 6" in out and "errors []" in out, out
