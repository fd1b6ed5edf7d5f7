"""`content stale`: which guides rely on Service-Public fiches that changed, and what changed.

The archive is tests/fixtures/fiches/dump (F2209 newer, with a new title and sections; F2213 the version
relied on; F33071 a minor edit), read as a folder and as a ZIP made here; tests/fixtures/fiches/checked
holds the F2209 the guides were checked against (--since).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import config
from kiosk.__main__ import main
from kiosk.content import stale
from kiosk.content.model import Procedure
from kiosk.content.pack import load_pack
from kiosk.content.stale import ArchiveError, Snapshot, compare, read_archive, recheck_due, sections

MakePack = Callable[..., Path]
FICHES = Path(__file__).parents[1] / "fixtures" / "fiches"
DUMP, CHECKED = FICHES / "dump", FICHES / "checked"
F2209_DUMP_TITLE = 'Carte de séjour "vie privée et familiale"'

SOURCES = '''
[[sources]]
ref = "{ref}"
url = "https://www.service-public.fr/particuliers/vosdroits/"
date = {date}
'''


def guide_text(procedure_toml: str, checked: str = "2026-01-01",
               sources: tuple[tuple[str, str], ...] = (("F2209", "2024-04-22"),), name: str = "demo") -> str:
    """The small pack's procedure with its own id, checked date and [[sources]]."""
    head, _, steps = procedure_toml.partition("\n[[sources]]")
    steps = steps[steps.index("\n[[steps]]"):]
    text = head.replace("checked = 2026-01-01", f"checked = {checked}")
    text = text.replace('id = "demo"', f'id = "{name}"')
    return text + "".join(SOURCES.format(ref=ref, date=date) for ref, date in sources) + steps


def guide(make_pack: MakePack, procedure_toml: str, checked: str = "2026-01-01",
          sources: tuple[tuple[str, str], ...] = (("F2209", "2024-04-22"),)) -> Procedure:
    return load_pack(make_pack(guide_text(procedure_toml, checked, sources))).procedures["demo"]


def snap(ref: str, date: str, title: str = "Titre", paths: tuple[str, ...] = (),
         important: str | None = None) -> Snapshot:
    return Snapshot(ref, title, dt.date.fromisoformat(date),
                    dt.date.fromisoformat(important) if important else None, frozenset(paths))


# --- what "changed" means ----------------------------------------------------------------------------

def test_the_same_dc_date_is_the_same_version_however_old_the_check(make_pack: MakePack,
                                                                     procedure_toml: str) -> None:
    proc = guide(make_pack, procedure_toml, checked="2020-01-01")
    report = compare(proc, {"F2209": snap("F2209", "2024-04-22")})
    assert not report.stale and report.changes == () and report.missing == ()


def test_a_later_dc_date_after_the_check_is_a_change_after_the_check(make_pack: MakePack,
                                                                     procedure_toml: str) -> None:
    proc = guide(make_pack, procedure_toml, checked="2026-01-01")
    report = compare(proc, {"F2209": snap("F2209", "2026-01-02")})
    assert report.stale
    (change,) = report.changes
    assert (change.ref, change.relied_on, change.current.date) == ("F2209", dt.date(2024, 4, 22),
                                                                    dt.date(2026, 1, 2))
    assert change.after_check


def test_a_version_already_newer_at_the_check_is_a_change_before_the_check(make_pack: MakePack,
                                                                           procedure_toml: str) -> None:
    """The guide was checked on 2026-01-01 citing the version of 2024-04-22, when the archive's one
    (2026-01-01 itself, or any day between) already existed: the author read an old copy."""
    proc = guide(make_pack, procedure_toml, checked="2026-01-01")
    for day in ("2024-04-23", "2026-01-01"):
        (change,) = compare(proc, {"F2209": snap("F2209", day)}).changes
        assert not change.after_check


def test_an_archive_older_than_the_version_read_is_no_change(make_pack: MakePack,
                                                             procedure_toml: str) -> None:
    proc = guide(make_pack, procedure_toml)
    assert not compare(proc, {"F2209": snap("F2209", "2023-01-01")}).stale


def test_only_fiches_are_compared_and_a_missing_one_is_listed_without_making_the_guide_stale(
        make_pack: MakePack, procedure_toml: str) -> None:
    # F2209 is cited twice: the latest date is the one relied on.
    proc = guide(make_pack, procedure_toml, sources=(
        ("F2209", "2024-04-22"), ("Décret n° 2025-648 du 15 juillet 2025", "2025-07-15"),
        ("F33071", "2024-04-19"), ("F2209", "2023-01-01")))
    assert stale.cited_fiches(proc) == {"F2209": dt.date(2024, 4, 22), "F33071": dt.date(2024, 4, 19)}
    report = compare(proc, {"F2209": snap("F2209", "2024-04-22")})
    assert not report.stale and report.missing == ("F33071",)


def test_title_and_sections_are_compared_with_the_earlier_copy_only(make_pack: MakePack,
                                                                    procedure_toml: str) -> None:
    proc = guide(make_pack, procedure_toml)
    now = snap("F2209", "2026-06-01", "Nouveau titre", ("Conditions", "Démarche", "Démarche › Cas B"))
    before = snap("F2209", "2024-04-22", "Ancien titre", ("Conditions", "Démarche", "Démarche › Cas A"))
    (alone,) = compare(proc, {"F2209": now}).changes
    assert alone.title_changed is None and alone.added == alone.removed == ()
    (change,) = compare(proc, {"F2209": now}, {"F2209": before}).changes
    assert change.title_changed and change.added == ("Démarche › Cas B",)
    assert change.removed == ("Démarche › Cas A",)
    (same,) = compare(proc, {"F2209": now}, {"F2209": now}).changes
    assert same.title_changed is False and same.added == same.removed == ()


def test_sections_are_title_paths_of_chapters_subchapters_and_cases() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(
        "<Publication><Texte>"
        "<BlocCas><Cas><Titre><Paragraphe>Vous êtes\n   en France</Paragraphe></Titre>"
        "  <Chapitre><Titre><Paragraphe>Démarche</Paragraphe></Titre>"
        "    <SousChapitre><Titre><Paragraphe>En ligne</Paragraphe></Titre></SousChapitre>"
        "    <ASavoir><Titre>À savoir</Titre><Paragraphe>Pas une section.</Paragraphe></ASavoir>"
        "    <BlocCas><Cas><Paragraphe>Un cas sans titre</Paragraphe>"
        "      <Chapitre><Titre><Paragraphe>Coût</Paragraphe></Titre></Chapitre></Cas></BlocCas>"
        "  </Chapitre></Cas></BlocCas>"
        "<Chapitre><Titre><Paragraphe>Démarche</Paragraphe></Titre></Chapitre>"
        "</Texte><Introduction><Texte><Chapitre><Titre><Paragraphe>Hors texte</Paragraphe></Titre>"
        "</Chapitre></Texte></Introduction></Publication>")
    assert sections(root) == {
        "Vous êtes en France", "Vous êtes en France › Démarche", "Vous êtes en France › Démarche › En ligne",
        "Vous êtes en France › Démarche › Coût", "Démarche"}


def test_recheck_is_due_the_day_after_the_age() -> None:
    checked = dt.date(2026, 1, 1)
    assert not recheck_due(checked, checked + dt.timedelta(days=180), 180)
    assert recheck_due(checked, checked + dt.timedelta(days=181), 180)


# --- reading the archive --------------------------------------------------------------------------------

def make_zip(path: Path, extra: dict[str, bytes] | None = None, folder: str = "vosdroits/") -> Path:
    """The fixture fiches in a ZIP shaped like the daily one, with members no guide cites."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for fiche in sorted(DUMP.glob("*.xml")):
            zf.write(fiche, folder + fiche.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_the_zip_and_the_folder_read_the_same(tmp_path: Path) -> None:
    refs = ("F2209", "F2213", "F33071", "F36206")
    archive = make_zip(tmp_path / "vosdroits.zip")
    assert read_archive(archive, refs) == read_archive(DUMP, refs)
    f2209 = read_archive(DUMP, refs)["F2209"]
    assert f2209.title == F2209_DUMP_TITLE and f2209.date == dt.date(2026, 12, 1)
    assert f2209.important == dt.date(2026, 12, 1)
    assert "Démarche › Changement de statut" in f2209.sections
    assert "F36206" not in read_archive(archive, refs)


def test_only_the_cited_members_of_the_zip_are_read(tmp_path: Path) -> None:
    """Members no guide cites are never opened: here they are not XML, and one is not even a fiche."""
    archive = make_zip(tmp_path / "vosdroits.zip", {"F99999.xml": b"\x00not xml", "N110.xml": b"<<<",
                                                   "arborescence.xml": b"\xff" * 64})
    assert set(read_archive(archive, ["F2209"])) == {"F2209"}


def test_the_shallowest_copy_of_a_fiche_in_the_zip_is_read(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "v.zip", {"old/copies/F2209.xml": (CHECKED / "F2209.xml").read_bytes()})
    assert read_archive(archive, ["F2209"])["F2209"].date == dt.date(2026, 12, 1)


@pytest.mark.parametrize(("extra", "message"), [
    ({"F2209.xml": b"<Publication"}, "F2209.xml: cannot be read as XML"),
    ({"F2209.xml": (DUMP / "F2213.xml").read_bytes()}, "F2209.xml: holds fiche F2213, not F2209"),
])
def test_a_cited_fiche_that_is_not_usable_is_an_error(tmp_path: Path, extra: dict[str, bytes],
                                                      message: str) -> None:
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        for name, data in extra.items():
            zf.writestr(name, data)
    with pytest.raises(ArchiveError, match=message):
        read_archive(tmp_path / "bad.zip", ["F2209"])


def test_a_member_too_big_for_a_fiche_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stale, "MAX_FICHE_BYTES", 100)
    with pytest.raises(ArchiveError, match="too big for a fiche"):
        read_archive(make_zip(tmp_path / "v.zip"), ["F2209"])


def test_a_file_that_is_not_a_zip_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "fiches.tar").write_bytes(b"not a zip")
    with pytest.raises(ArchiveError, match="expected the ZIP of Service-Public XML fiches"):
        read_archive(tmp_path / "fiches.tar", ["F2209"])


# --- the command ------------------------------------------------------------------------------------------

@pytest.fixture
def pack(make_pack: MakePack, procedure_toml: str) -> Path:
    """Three guides: one on F2209 (changed after its check), one on F2213 (unchanged), one on F33071
    (a minor edit before its check) and a fiche the archive lacks."""
    guides = {"renewal": (("F2209", "2024-04-22"),), "naturalisation": (("F2213", "2024-06-06"),),
              "address": (("F33071", "2024-04-19"), ("F35807", "2025-06-13"))}
    roots = {make_pack(guide_text(procedure_toml, "2026-11-26", sources, name), name=name)
             for name, sources in guides.items()}
    (root,) = roots
    assert sorted(load_pack(root).procedures) == sorted(guides)
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_one_block_per_stale_guide_with_what_changed(pack: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    archive = make_zip(tmp_path / "vosdroits-latest.zip")
    code, out, err = run(["content", "stale", str(archive), "--pack", str(pack), "--since", str(CHECKED)],
                         capsys)
    assert (code, err) == (1, "")
    blocks = out.strip().split("\n\n")
    assert [b.split(" — ")[0] for b in blocks[:-1]] == ["address", "renewal"]   # not naturalisation
    address, renewal = blocks[0].splitlines(), blocks[1].splitlines()
    assert renewal[1] == ("  F2209: 2024-04-22 → 2026-12-01, changed after the guide was checked; "
                          "last important change 2026-12-01")
    assert renewal[2:] == [
        "    title: “Carte de séjour \"vie privée et familiale\" d'un étranger en France” → "
        f"“{F2209_DUMP_TITLE}”",
        "    section added: Démarche › Changement de statut", "    section added: Prix",
        "    section removed: Coût"]
    assert address[1:] == [
        "  F33071: 2024-04-19 → 2025-02-10, already newer when the guide was checked; "
        "no important change since (the last one: 2019-01-02)",
        "    title and sections: not compared (not in the earlier archive)",
        "  not in the archive: F35807"]
    assert blocks[-1].splitlines() == [
        "not in the archive (withdrawn, or not in this copy): F35807",
        f"2 of the 3 guides that cite fiches are stale; 3 of the 4 fiches they cite are in {archive}"]


def test_cli_without_since_says_how_to_compare_titles(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["content", "stale", str(DUMP), "--pack", str(pack)], capsys)
    assert code == 1
    assert "title and sections: not compared (give --since, the archive the guide was checked against)" in out


def test_cli_exits_0_when_nothing_changed(make_pack: MakePack, procedure_toml: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = make_pack(guide_text(procedure_toml, sources=(("F2213", "2024-06-06"),)))
    code, out, err = run(["content", "stale", str(DUMP), "--pack", str(root)], capsys)
    assert (code, err) == (0, "")
    assert out == f"0 of the 1 guides that cite fiches are stale; 1 of the 1 fiches they cite are in {DUMP}\n"


@pytest.mark.parametrize(("dump", "message"), [
    ("{tmp}/nowhere.zip", "no such file or directory"),
    ("", "an empty path"),
    ("{tmp}/notzip.zip", "expected the ZIP of Service-Public XML fiches, or a folder of them"),
    ("{tmp}/empty", "holds none of the 1 fiches the pack cites (F2209)"),
])
def test_cli_bad_archive_gets_one_line_and_exit_2(make_pack: MakePack, tmp_path: Path, dump: str,
                                                  message: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notzip.zip").write_bytes(b"PK but not really")
    (tmp_path / "empty").mkdir()
    root = make_pack()
    code, out, err = run(["content", "stale", dump.format(tmp=tmp_path), "--pack", str(root)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_cli_bad_pack_gets_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["content", "stale", str(DUMP), "--pack", str(tmp_path / "nopack")], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no such directory" in err


# --- the age rule: configuration and the mediator panel -------------------------------------------------

def test_recheck_after_days_is_an_option_with_bounds() -> None:
    assert config.Config().content.recheck_after_days == 180
    assert config.parse("[content]\nrecheck_after_days = 30\n", "k.toml").content.recheck_after_days == 30
    with pytest.raises(config.ConfigError, match="recheck_after_days: got 0, expected at least 1"):
        config.parse("[content]\nrecheck_after_days = 0\n", "k.toml")


def test_the_panel_says_a_guide_is_being_rechecked(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QWidget

    from kiosk.i18n import Translators
    from kiosk.mediator.ui.panel import MediatorPanel

    host = QWidget()
    qtbot.addWidget(host)
    panel = MediatorPanel(host)
    tr = Translators(None).get("fr")
    panel.show_for(tr, "med-01", "", "", [("intro", "Bienvenue")], {}, can_reprint=False,
                   rechecking=dt.date(2025, 1, 2))
    assert not panel.recheck.isHidden()
    assert panel.recheck.text() == ("Ce guide est en cours de revérification (dernière vérification le "
                                    "2 janvier 2025). Le visiteur le reçoit quand même.")
    panel.show_for(tr, "med-01", "", "", [("intro", "Bienvenue")], {}, can_reprint=False)
    assert panel.recheck.isHidden()
