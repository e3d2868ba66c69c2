"""The drop folder: another system places a list at `EXCHANGE_DROP_DIR/<kind>/<source>/<file>`
(the source's name is the folder's, e.g. `deaths/市公安局/2026-11.xlsx`); the beat task receives
it as the account `EXCHANGE_DROP_ACCOUNT` (its region is the exchange's) and moves it to
`done/` (or to `refused/` with a `.txt` saying why). A file younger than `EXCHANGE_DROP_SETTLE_SECONDS`
may still be being written and waits for the next run.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .choices import Kind
from .models import Via


def _period(name: str) -> str:
    m = re.search(r"(20\d{2})[-_.年]?(0[1-9]|1[0-2])", name)
    return f"{m[1]}-{m[2]}" if m else f"{timezone.localdate():%Y-%m}"


def _move(path: Path, root: Path, where: str, note: str = "") -> None:
    target = root / where / path.relative_to(root).parent
    target.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    dest = target / f"{stamp}-{path.name}"
    shutil.move(str(path), dest)
    if note:
        dest.with_suffix(dest.suffix + ".txt").write_text(note, encoding="utf-8")


def scan_drop_folder() -> dict:
    from .services import receive_exchange

    folder = getattr(settings, "EXCHANGE_DROP_DIR", None)
    if not folder:
        return {"received": 0, "refused": 0}
    root = Path(folder)
    account = get_user_model().objects.filter(username=settings.EXCHANGE_DROP_ACCOUNT, is_active=True).first()
    received = refused = 0
    settle = getattr(settings, "EXCHANGE_DROP_SETTLE_SECONDS", 60)
    for kind in Kind.values:
        for path in sorted((root / kind).glob("*/*")):
            if not path.is_file() or path.name.startswith(".") or path.suffix == ".part":
                continue
            if time.time() - path.stat().st_mtime < settle:
                continue
            if account is None:
                return {"received": received, "refused": refused, "error": "no drop-folder account"}
            try:
                receive_exchange(
                    acting_user=account,
                    kind=kind,
                    content=path.read_bytes(),
                    filename=path.name,
                    source=path.parent.name,
                    period=_period(path.name),
                    via=Via.DROP_FOLDER,
                )
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                _move(path, root, "refused", "\n".join(str(m) for m in messages))
                refused += 1
                continue
            _move(path, root, "done")
            received += 1
    return {"received": received, "refused": refused}
