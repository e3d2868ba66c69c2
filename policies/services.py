"""Loading policy packs from policy_packs/<name>/ into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region
from regions.rules import pad_code

from .models import PolicyPack, PolicySection
from .sections import get_spec, known_sections, parse_section
from .selectors import invalidate

PACKS_DIR = Path(settings.BASE_DIR) / "policy_packs"


@dataclass
class PackLoadResult:
    pack: PolicyPack
    region: Region | None
    sections: list[str]


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise ValidationError(
            _("%(file)s is not valid YAML: %(error)s") % {"file": path.name, "error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("%(file)s must hold a mapping.") % {"file": path.name})
    return data


def available_packs() -> list[str]:
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.yaml").exists())


def load_policy_pack(
    *, name: str, region_code: str | None = None, acting_user=None, only: list[str] | None = None
) -> PackLoadResult:
    """Load every section of a pack (or only the named ones) for a region. Idempotent.

    All section files are parsed and validated before anything is written.
    """
    folder = PACKS_DIR / name
    if not (folder / "pack.yaml").exists():
        raise ValidationError(
            _("No policy pack '%(name)s'; available: %(names)s.")
            % {"name": name, "names": ", ".join(available_packs())}
        )
    meta = _read_yaml(folder / "pack.yaml")
    code = region_code if region_code is not None else meta.get("region")
    region = None
    if code:
        code = str(code)
        padded = code if len(code) == 12 else pad_code(code)
        region = Region.objects.filter(code=padded).first()
        if region is None:
            raise ValidationError(
                _("Region %(code)s is not loaded; run 'python manage.py load_regions %(code)s' first.")
                % {"code": code}
            )
    sections: dict[str, dict] = {}
    known = set(known_sections())
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "pack.yaml":
            continue
        section = path.stem
        if only and section not in only:
            continue
        if section not in known:
            raise ValidationError(
                _("%(file)s: unknown section; known sections: %(known)s.")
                % {"file": path.name, "known": ", ".join(sorted(known))}
            )
        data = _read_yaml(path)
        try:
            parse_section(section, data)
        except ValidationError as exc:
            raise ValidationError(
                [_("%(file)s: %(error)s") % {"file": path.name, "error": m} for m in exc.messages]
            ) from exc
        sections[section] = data
    with transaction.atomic():
        pack, _created = PolicyPack.objects.update_or_create(
            name=name,
            defaults={"title": meta.get("title", name), "documents": meta.get("documents", [])},
        )
        for section, data in sections.items():
            row = PolicySection.objects.filter(region=region, section=section).first() or PolicySection(
                region=region, section=section
            )
            row.pack = pack
            row.data = data
            if acting_user is not None:
                row._history_user = acting_user
            row.save()
            spec = get_spec(section)
            if spec.apply is not None:
                spec.apply(region=region, data=data, acting_user=acting_user)
        transaction.on_commit(invalidate)
    return PackLoadResult(pack=pack, region=region, sections=sorted(sections))
