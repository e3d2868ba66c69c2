"""The source format and the machine check of quotes against the documents' texts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from policies.sources import Quote, Reading, normalize, parse_source, quote_found, source_text

TEXT = "第一条　本办法所称老年人，是指年满六十周岁的公民。\n第二条 高龄津贴按月发放（每人每月100元）。"


def _fixture_pack(tmp_path: Path, quote: str) -> tuple[Path, Path]:
    packs, texts = tmp_path / "packs", tmp_path / "texts"
    (packs / "town").mkdir(parents=True)
    texts.mkdir()
    (texts / "town.txt").write_text(TEXT, encoding="utf-8")
    (packs / "town" / "pack.yaml").write_text("name: town\ntitle: 镇\n", encoding="utf-8")
    (packs / "town" / "documents.yaml").write_text(
        "documents:\n- {key: town-2024, title: 镇办法, status: in_force, text: town.txt}\n", encoding="utf-8"
    )
    (packs / "town" / "registry.yaml").write_text(
        "min_age:\n  value: 60\n"
        '  source: {document: town-2024, clause: "第一条", quote: "是指年满六十周岁的公民"}\n'
        "high_age:\n  value: 80\n"
        f'  source: {{document: town-2024, clause: "第二条", quote: "{quote}"}}\n'
        "categories:\n  value: [alone]\n"
        "  source: {basis: reading, note: 办法未列类别}\n",
        encoding="utf-8",
    )
    return packs, texts


def test_the_check_passes_a_true_quote_whatever_its_spacing_and_punctuation_width(tmp_path, capsys):
    # The text writes （100元） full-width with an ideographic space; the quote half-width, no space.
    packs, texts = _fixture_pack(tmp_path, "按月发放(每人每月100元)")
    call_command("check_policy_sources", documents=str(texts), packs=str(packs))
    out = capsys.readouterr().out
    assert "town: 3 values, 2 verified quotes, 1 readings" in out


def test_the_check_fails_on_a_forged_quote_naming_file_entry_and_quote(tmp_path, capsys):
    packs, texts = _fixture_pack(tmp_path, "每人每月200元")
    with pytest.raises(CommandError, match="1 source problem"):
        call_command("check_policy_sources", documents=str(texts), packs=str(packs))
    err = capsys.readouterr().err
    assert "registry.yaml: high_age: quote not in town-2024 第二条: «每人每月200元»" in err


def test_an_unknown_document_and_a_value_without_source_are_errors(tmp_path, capsys):
    packs, texts = _fixture_pack(tmp_path, "按月发放")
    path = packs / "town" / "registry.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'document: town-2024, clause: "第一条"', 'document: city-1999, clause: "1"'
        )
        + "extra:\n  value: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("check_policy_sources", documents=str(texts), packs=str(packs))
    err = capsys.readouterr().err
    assert "min_age: unknown document 'city-1999'" in err
    assert "registry.yaml: extra: no source" in err


def test_a_plain_text_source_is_an_error(tmp_path, capsys):
    packs, texts = _fixture_pack(tmp_path, "按月发放")
    path = packs / "town" / "registry.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  source: {basis: reading, note: 办法未列类别}", "  source: 办法第三条"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 source problem"):
        call_command("check_policy_sources", documents=str(texts), packs=str(packs))
    assert "registry.yaml: categories: a plain-text source" in capsys.readouterr().err


def test_every_pack_passes_against_the_committed_texts(capsys):
    call_command("check_policy_sources")
    assert "Every quote was found" in capsys.readouterr().out


def test_the_committed_texts_are_the_seeds_when_the_seeds_are_here():
    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("no ../shared/seeds beside this checkout")
    committed = Path(settings.BASE_DIR) / "policy_packs" / "documents"
    for seed in seeds.glob("*.txt"):
        assert (committed / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_source_forms():
    assert parse_source({"basis": "reading", "note": "ours"}, where="x") == (Reading("ours"),)
    refs = parse_source(
        [{"document": "d", "clause": "1", "quote": "q"}, {"basis": "reading", "note": "n"}], where="x"
    )
    assert refs == (Quote("d", "1", "q"), Reading("n"))
    for bad in (
        {"document": "d", "quote": "q"},
        {"basis": "guess", "note": "n"},
        "",
        [],
        {"basis": "reading"},
    ):
        with pytest.raises(ValidationError):
            parse_source(bad, where="x")
    assert quote_found("“九〇七三”", normalize('立足"九〇七三" 的格局'))
    shown = source_text({"document": "d", "clause": "三(一)", "quote": "q"}, {"d": "南阳方案"})
    assert shown.startswith("南阳方案 三(一)") and shown.endswith("“q”")
