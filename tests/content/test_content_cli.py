"""`content list` and `content extract` output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.__main__ import main
from kiosk.content.extract import build_template
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

MakePack = Callable[..., Path]


def test_list_prints_one_line_per_guide(make_pack: MakePack, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "list", str(make_pack())]) == 0
    assert capsys.readouterr().out.splitlines() == ["demo\tDémarche démo\tF2209\t2026-01-01"]


def test_list_of_the_shipped_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "list"]) == 0
    lines = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    assert lines["renewal"][1] == "Renouveler mon titre de séjour"
    assert "F2209" in lines["renewal"][2].split(",")


def test_list_of_a_broken_pack_fails(make_pack: MakePack, procedure_toml: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "list", str(make_pack(procedure_toml.replace('start = "intro"', "")))]) == 2
    assert "field start" in capsys.readouterr().err


def test_extract_writes_every_text_with_its_location(make_pack: MakePack,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    documents = ('[passport]\nname = "Passeport"\nexplanation = "Votre passeport."\n'
                 'pages = "La page photo."\nalternatives = ["Carte consulaire"]\n')
    root = make_pack(documents=documents)
    assert main(["content", "extract", str(root)]) == 0
    pot = root / "locale" / "content.pot"
    assert f"{pot}: " in capsys.readouterr().out
    text = pot.read_text(encoding="utf-8")
    for location, msgid in [
        ("pack.toml:title", "Mini"),
        ("documents.toml:passport/name", "Passeport"),
        ("documents.toml:passport/explanation", "Votre passeport."),
        ("documents.toml:passport/pages", "La page photo."),
        ("documents.toml:passport/alternatives[0]", "Carte consulaire"),
        ("procedures/demo.toml:demo/title", "Démarche démo"),
        ("procedures/demo.toml:demo/summary", "Une démarche courte."),
        ("procedures/demo.toml:demo/intro/title", "Bienvenue"),
        ("procedures/demo.toml:demo/which/answers[a].label", "Branche A"),
        ("procedures/demo.toml:demo/end/title", "Fini"),
    ]:
        assert f"#: {location}\nmsgid \"{msgid}\"" in text, location
    with pot.open("rb") as f:
        catalog = read_po(f)
    assert {m.id for m in catalog if m.id} == {
        "Mini", "Passeport", "Votre passeport.", "La page photo.", "Carte consulaire", "Démarche démo",
        "Une démarche courte.", "Bienvenue", "Quelle branche ?", "Branche A", "Branche B",
        "Vos documents", "Fini"}
    assert all(not m.string for m in catalog if m.id)


def test_extract_merges_a_shared_text_into_one_entry(make_pack: MakePack, procedure_toml: str) -> None:
    root = make_pack(procedure_toml.replace('title = "Vos documents"', 'title = "Bienvenue"'))
    template = build_template(load_pack(root))
    entry = template.get("Bienvenue")
    assert entry is not None
    assert [loc for loc, _ in entry.locations] == ["procedures/demo.toml:demo/intro/title",
                                                   "procedures/demo.toml:demo/docs/title"]


def test_extract_update_adds_new_texts_to_existing_catalogs(make_pack: MakePack, procedure_toml: str) -> None:
    po = "locale/en/LC_MESSAGES/content.po"
    old = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Bienvenue"\nmsgstr "Welcome"\n'
    root = make_pack(extra_files={po: old})
    assert main(["content", "extract", "--update", str(root)]) == 0
    with (root / po).open("rb") as f:
        catalog = read_po(f)
    welcome, fini = catalog.get("Bienvenue"), catalog.get("Fini")
    assert welcome is not None and welcome.string == "Welcome"
    assert fini is not None and fini.string == ""


def test_shipped_template_is_up_to_date() -> None:
    """locale/content.pot in the repository matches the pack (run `content extract` after editing)."""
    with (DEFAULT_PACK / "locale" / "content.pot").open("rb") as f:
        committed = {m.id for m in read_po(f) if m.id}
    assert committed == {m.id for m in build_template(load_pack(DEFAULT_PACK)) if m.id}
