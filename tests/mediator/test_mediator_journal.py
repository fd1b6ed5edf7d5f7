"""The journal: chained entries, rotation, and `verify` finding every kind of alteration."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.mediator.journal import GENESIS, Journal, entry_hash, journal_files
from kiosk.mediator.verify import show, verify

MakeJournal = Callable[..., Journal]


def fill(journal: Journal, n: int) -> None:
    for i in range(n):
        journal.append("med-01", "jump", {"step": f"step-{i}"})


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def write(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def kinds(path: Path) -> list[str]:
    return [p.kind for p in verify(path).problems]


def test_entries_are_chained_and_verify_says_intact(make_journal: MakeJournal, journal_dir: Path) -> None:
    j = make_journal()
    first = j.append("med-01", "unlocked", {"role": "mediator"})
    second = j.append("med-01", "consent_given")
    assert first["prev_hash"] == GENESIS and second["prev_hash"] == first["hash"]
    assert set(first) == {"seq", "time", "terminal", "actor", "action", "details", "prev_hash", "hash"}
    assert first["terminal"] == "pref-69-01" and first["time"].endswith("Z")
    assert second["details"] == {} and entry_hash(second) == second["hash"]
    report = verify(journal_dir)
    assert report.ok and report.entries == 2 and report.notes == []
    assert (journal_dir.stat().st_mode & 0o777, journal_files(journal_dir)[0].stat().st_mode & 0o777) == (
        0o700, 0o600)


def test_verify_finds_an_edited_entry(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 5)
    f = journal_files(journal_dir)[0]
    lines = lines_of(f)
    lines[2] = lines[2].replace('"med-01"', '"med-02"')
    write(f, lines)
    problems = verify(journal_dir).problems
    assert [(p.kind, p.where) for p in problems] == [("edited", "journal-000001.jsonl line 3")]


def test_verify_finds_an_edit_whose_hash_was_recomputed(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 5)
    f = journal_files(journal_dir)[0]
    lines = lines_of(f)
    entry = json.loads(lines[1])
    entry["details"] = {"step": "elsewhere"}
    entry["hash"] = entry_hash(entry)
    lines[1] = json.dumps(entry) + "\n"
    write(f, lines)
    problems = verify(journal_dir).problems
    assert [(p.kind, p.where) for p in problems] == [("edited", "journal-000001.jsonl line 3")]
    assert "entry 2 or 3" in problems[0].message


def test_verify_finds_a_removed_entry(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 5)
    f = journal_files(journal_dir)[0]
    lines = lines_of(f)
    del lines[2]
    write(f, lines)
    problems = verify(journal_dir).problems
    assert [(p.kind, p.where) for p in problems] == [("removed", "journal-000001.jsonl line 3")]
    assert "entry 3 is missing" in problems[0].message


def test_verify_finds_reordered_entries(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 6)
    f = journal_files(journal_dir)[0]
    lines = lines_of(f)
    lines[2], lines[3] = lines[3], lines[2]
    write(f, lines)
    problems = verify(journal_dir).problems
    assert [(p.kind, p.where) for p in problems] == [("reordered", "journal-000001.jsonl line 4")]
    assert problems[0].message == "entry 3 comes after entry 4 (journal-000001.jsonl line 3)"


def test_verify_finds_a_cut_tail_and_an_incomplete_line(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 5)
    f = journal_files(journal_dir)[0]
    write(f, lines_of(f)[:3])
    problems = verify(journal_dir).problems
    assert [p.kind for p in problems] == ["truncated"] and "entries 4 to 5" in problems[0].message
    write(f, [*lines_of(f), '{"seq": 4, "ti'])                 # a write cut in the middle
    assert kinds(journal_dir) == ["truncated", "truncated"]


def test_a_duplicated_entry_is_reported(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(), 3)
    f = journal_files(journal_dir)[0]
    write(f, [*lines_of(f), lines_of(f)[1]])
    assert kinds(journal_dir) == ["duplicated"]


def test_rotation_keeps_the_chain_across_files(make_journal: MakeJournal, journal_dir: Path) -> None:
    j = make_journal(max_bytes=1000)
    fill(j, 20)
    files = journal_files(journal_dir)
    assert len(files) >= 4 and all(f.stat().st_size <= 1000 for f in files)
    last_of_first = json.loads(lines_of(files[0])[-1])
    first_of_second = json.loads(lines_of(files[1])[0])
    assert first_of_second["prev_hash"] == last_of_first["hash"]
    report = verify(journal_dir)
    assert report.ok and report.entries == 20
    assert json.loads((journal_dir / "head.json").read_text())["seq"] == 20


def test_verify_finds_a_broken_rotation_chain(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(max_bytes=1000), 20)
    files = journal_files(journal_dir)
    # Forge everything from the second file on as a consistent chain (head included) that does not
    # start from the last hash of the first file: only the link at the rotation can tell.
    prev = "f" * 64
    for f in files[1:]:
        out = []
        for line in lines_of(f):
            entry = json.loads(line)
            entry["prev_hash"] = prev
            entry["hash"] = prev = entry_hash(entry)
            out.append(json.dumps(entry) + "\n")
        write(f, out)
    head = json.loads((journal_dir / "head.json").read_text())
    (journal_dir / "head.json").write_text(json.dumps({**head, "hash": prev}))
    problems = verify(journal_dir).problems
    assert [(p.kind, p.where) for p in problems] == [("rotation_broken", f"{files[1].name} line 1")]
    assert problems[0].message.startswith(f"{files[1].name} does not continue {files[0].name}")
    assert kinds(files[1]) == ["rotation_broken"]     # one file alone is checked against the one before


def test_verify_finds_a_missing_file_and_a_removed_first_file(make_journal: MakeJournal,
                                                              journal_dir: Path) -> None:
    fill(make_journal(max_bytes=1000), 20)
    files = journal_files(journal_dir)
    files[1].unlink()
    assert kinds(journal_dir) == ["file_missing"]
    files[0].unlink()
    report = verify(journal_dir)            # like retention: a note, not an alteration
    assert report.ok and "earlier files were removed" in report.notes[0]


def test_retention_keeps_the_newest_files(make_journal: MakeJournal, journal_dir: Path) -> None:
    fill(make_journal(max_bytes=1000, keep_files=2), 30)
    files = journal_files(journal_dir)
    assert len(files) == 2 and files[0].name != "journal-000001.jsonl"
    assert verify(journal_dir).ok


def test_the_journal_resumes_and_records_a_cut_found_at_start(make_journal: MakeJournal,
                                                              journal_dir: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    fill(make_journal(), 3)
    again = make_journal()
    assert again.append("med-01", "unlocked")["seq"] == 4
    assert verify(journal_dir).ok
    f = journal_files(journal_dir)[0]
    write(f, lines_of(f)[:2])                                    # entries 3 and 4 cut while stopped
    with caplog.at_level(logging.ERROR):
        restarted = make_journal()
    assert "entries are missing" in caplog.text
    assert restarted.seq == 3 and json.loads(lines_of(f)[-1])["action"] == "journal_damaged"
    problems = verify(journal_dir).problems
    assert [p.kind for p in problems] == ["damage_recorded"]
    assert "expected entry 4, found 2" in problems[0].message


def test_after_an_interrupted_write_the_next_entry_starts_a_new_line(make_journal: MakeJournal,
                                                                     journal_dir: Path) -> None:
    fill(make_journal(), 2)
    f = journal_files(journal_dir)[0]
    with f.open("a") as out:
        out.write('{"seq": 3, "act')
    j = make_journal()
    j.append("med-01", "unlocked")
    assert [p.kind for p in verify(journal_dir).problems] == ["unreadable", "damage_recorded"]
    assert json.loads(lines_of(f)[-1])["action"] == "unlocked"


def test_details_off_the_whitelist_are_dropped(make_journal: MakeJournal,
                                               caplog: pytest.LogCaptureFixture) -> None:
    j = make_journal()
    with caplog.at_level(logging.DEBUG):
        entry = j.append("med-01", "jump", {"step": "upload", "note": "Mme Dupont", "language": "ar",
                                            "reason": "has spaces in it", "wait_s": True})
    assert entry["details"] == {"step": "upload", "language": "ar"}
    assert "Mme Dupont" not in caplog.text and "has spaces" not in caplog.text
    assert "dropped detail note" in caplog.text


def test_show_prints_entries_readably(make_journal: MakeJournal, journal_dir: Path) -> None:
    j = make_journal()
    j.append("med-01", "unlocked", {"role": "mediator"})
    j.append("med-01", "jump", {"step": "upload"})
    out = list(show(journal_dir))
    assert len(out) == 2 and "med-01" in out[1] and "jump" in out[1] and out[1].endswith("step=upload")
    assert out[0].split()[0] == "1" and "2026-" in out[0]
    assert list(show(journal_dir, last=1)) == out[1:]
