"""Loading policy packs from policy_packs/<name>/ into the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Region
from regions.rules import pad_code

from .documents import PACKS_DIR, Document, parse_documents
from .models import PolicyPack, PolicySection
from .sections import get_spec, known_sections, parse_section
from .selectors import invalidate, section_row
from .signals import sections_changed
from .sources import document_keys, iter_entries, parse_source

NATIONAL = "national"


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


def read_documents(folder: Path) -> dict[str, Document]:
    """A pack's documents.yaml, parsed (every pack has one)."""
    path = folder / "documents.yaml"
    if not path.exists():
        raise ValidationError(_("%(pack)s has no documents.yaml.") % {"pack": folder.name})
    return parse_documents(_read_yaml(path), file=f"{folder.name}/documents.yaml")


def check_sources(file: str, data: dict, known: dict[str, Document]) -> None:
    """Refuse a section file whose sources are malformed or cite a document no pack defines.

    Whether each quote occurs in its document is `check_policy_sources`' job (it needs the texts).
    """
    problems: list[str] = []
    for entry in iter_entries(data):
        if isinstance(entry.raw_source, str):
            continue  # a plain-text source of a pack not yet converted: reported by the check
        try:
            parse_source(entry.raw_source, where=f"{file}: {entry.path}")
        except ValidationError as exc:
            problems += exc.messages
    unknown = sorted(document_keys(data) - set(known))
    problems += [
        _("%(file)s cites an unknown document '%(key)s'.") % {"file": file, "key": k} for k in unknown
    ]
    if problems:
        raise ValidationError(problems)


# Sections whose stored rows read another section when they are applied: a scheme's 自理/半失能/失能
# conditions and amounts, a catalogue's target groups are resolved with the grade mapping.
DEPENDENTS = {"assessment": ("catalogue", "schemes")}


def reapply_dependents(*, region, section: str, acting_user=None, skip: tuple[str, ...] = ()) -> list[str]:
    """Write again the rows of the sections that depend on `section` at this region."""
    done = []
    for name in DEPENDENTS.get(section, ()):
        if name in skip:
            continue
        row = PolicySection.objects.filter(region=region, section=name).first()
        spec = get_spec(name)
        if row is not None and spec.apply is not None:
            spec.apply(region=region, data=row.data, acting_user=acting_user)
            done.append(name)
    return done


@transaction.atomic
def own_section(region, section: str, *, missing: str) -> PolicySection:
    """The section a bureau's page edits: the region's own row, locked for the change, or, when it
    has none yet, an unsaved copy of the one in force above it (the edit starts from what
    applies). `missing` is the message when no pack gives the section at all."""
    row = PolicySection.objects.select_for_update().filter(region=region, section=section).first()
    if row is not None:
        return row
    in_force = section_row(region.code, section)
    if in_force is None:
        raise ValidationError(missing)
    return PolicySection(
        region=region, section=section, pack=in_force.pack, data=json.loads(json.dumps(in_force.data))
    )


def bureau_source(acting_user, page: str) -> dict:
    """The source of a value a bureau set on one of its pages: its own reading, with who and when
    (a document clause is never claimed for it)."""
    who = acting_user.get_full_name() or acting_user.get_username()
    return {"basis": "reading", "note": f"Set by the bureau on the {page}: {who}, {timezone.localdate().isoformat()}."}


def save_section(*, row: PolicySection, acting_user=None) -> PolicySection:
    """An edited section (the admin): validated, saved with its history, and what depends on it
    written again, so a changed grade mapping reaches the schemes and the list at once."""
    row.full_clean()
    if acting_user is not None:
        row._history_user = acting_user
    row.save()
    reapply_dependents(region=row.region, section=row.section, acting_user=acting_user)
    transaction.on_commit(invalidate)
    sections_changed.send(sender=PolicySection, region=row.region, sections=[row.section])
    return row


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
    documents = read_documents(folder)
    citable = dict(documents)
    if name != NATIONAL:
        citable = {**read_documents(PACKS_DIR / NATIONAL), **documents}
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
        if path.name in ("pack.yaml", "documents.yaml"):
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
            check_sources(path.name, data, citable)
            parse_section(section, data)
        except ValidationError as exc:
            raise ValidationError(
                [_("%(file)s: %(error)s") % {"file": path.name, "error": m} for m in exc.messages]
            ) from exc
        sections[section] = data
    with transaction.atomic():
        pack, _created = PolicyPack.objects.update_or_create(
            name=name,
            defaults={
                "title": meta.get("title", name),
                "documents": [d.as_json() for d in documents.values()],
            },
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
        for section in sections:
            reapply_dependents(region=region, section=section, acting_user=acting_user, skip=tuple(sections))
        transaction.on_commit(invalidate)
        sections_changed.send(sender=PolicySection, region=region, sections=sorted(sections))
    return PackLoadResult(pack=pack, region=region, sections=sorted(sections))
