"""Checking and reading the mediator journal (`pan-kiosk journal verify|show`).

`verify` tells whether the journal was altered and where: an edited entry (its hash no longer matches,
or its successor no longer links to it), removed entries (a gap in the numbers), reordered entries,
a rotated file that does not continue the previous one, a missing file, a tail cut off (the head file
says more entries were written), an incomplete last line.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.mediator.journal import (
    FIELDS,
    GENESIS,
    entry_hash,
    file_number,
    journal_files,
    read_head,
)


@dataclass(frozen=True)
class Line:
    file: Path
    number: int
    entry: dict[str, Any] | None       # None: not a readable entry
    last_partial: bool = False         # the file's last line, without its line end

    @property
    def where(self) -> str:
        return f"{self.file.name} line {self.number}"

    @property
    def seq(self) -> int:
        assert self.entry is not None
        seq: int = self.entry["seq"]
        return seq


@dataclass(frozen=True)
class Finding:
    kind: str       # edited | removed | reordered | duplicated | unreadable | truncated | rotation_broken
                    # | file_missing | start_missing | head_mismatch | damage_recorded
    where: str
    message: str


@dataclass
class Report:
    files: list[Path]
    entries: int = 0
    problems: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, where: str, message: str) -> None:
        self.problems.append(Finding(kind, where, message))


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict) or set(entry) != set(FIELDS):
        return False
    return (isinstance(entry["seq"], int) and entry["seq"] > 0 and isinstance(entry["details"], dict)
            and all(isinstance(entry[k], str) for k in FIELDS if k not in ("seq", "details")))


def read_lines(path: Path) -> Iterator[Line]:
    data = path.read_bytes()
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, start=1):
        partial = number == len(raw_lines) and not data.endswith(b"\n")
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            entry = None
        yield Line(path, number, entry if _well_formed(entry) else None, partial)


def files_of(path: Path) -> list[Path]:
    return journal_files(path) if path.is_dir() else [path]


def verify(path: Path) -> Report:
    """Check a journal directory (every file, the chain across files, the head) or a single file."""
    files = files_of(path)
    report = Report(files)
    lines = [line for f in files for line in read_lines(f)]
    entries = []
    for line in lines:
        if line.entry is None:
            kind = "truncated" if line.last_partial else "unreadable"
            report.add(kind, line.where, "the last line is incomplete (file cut, or a write interrupted)"
                       if line.last_partial else "not a journal entry (damaged or inserted)")
            continue
        entries.append(line)
        if entry_hash(line.entry) != line.entry["hash"]:
            report.add("edited", line.where, f"entry {line.seq} was changed after it was written")
        if line.entry["action"] == "journal_damaged":
            d = line.entry["details"]
            report.add("damage_recorded", line.where,
                       "at start-up the kiosk found the journal damaged "
                       f"({d.get('reason', 'entries missing')}: "
                       f"expected entry {d.get('expected_seq', '?')}, found {d.get('found_seq', '?')})")
    report.entries = len(entries)
    _check_order(entries, report)
    chain = _check_chain(entries, report)
    if chain:
        _check_start(path, chain[0], report)
        if path.is_dir():
            _check_head(path, chain[-1], report)
    _check_file_numbers(files, report)
    report.problems.sort(key=_position)       # stable: same place keeps the order of the checks
    return report


def _position(finding: Finding) -> tuple[int, int]:
    match = re.match(r"journal-(\d+)\.jsonl(?: line (\d+))?", finding.where)
    if not match:
        return (1 << 30, 0)
    return (int(match.group(1)), int(match.group(2) or 1 << 30))


def _check_order(entries: list[Line], report: Report) -> None:
    highest: Line | None = None
    seen: dict[int, Line] = {}
    group: list[Line] = []

    def flush() -> None:
        if group and highest is not None:
            seqs = ", ".join(str(g.seq) for g in group)
            verb = "comes" if len(group) == 1 else "come"
            report.add("reordered", group[0].where,
                       f"{_entries(seqs, len(group))} {verb} after entry {highest.seq} ({highest.where})")
        group.clear()

    for line in entries:
        if line.seq in seen:
            flush()
            same = seen[line.seq].entry == line.entry
            report.add("duplicated", line.where, f"entry {line.seq} appears twice (first at "
                       f"{seen[line.seq].where}){'' if same else ' with different content'}")
            continue
        seen[line.seq] = line
        if highest is not None and line.seq < highest.seq:
            group.append(line)
            continue
        flush()
        highest = line
    flush()


def _check_chain(entries: list[Line], report: Report) -> list[Line]:
    """Follow the entries in number order; report gaps and broken links. Returns that order."""
    unique: dict[int, Line] = {}
    for line in entries:
        unique.setdefault(line.seq, line)
    chain = [unique[s] for s in sorted(unique)]
    for a, b in itertools.pairwise(chain):
        assert a.entry is not None and b.entry is not None
        across = a.file != b.file
        if b.seq > a.seq + 1:
            if across and file_number(b.file) > file_number(a.file) + 1:
                continue        # told once by _check_file_numbers
            report.add("removed", b.where, f"{_span(a.seq + 1, b.seq - 1)} missing (between {a.where} "
                       f"and {b.where}{', at a file rotation' if across else ''})")
        elif b.entry["prev_hash"] != a.entry["hash"]:
            if across:
                report.add("rotation_broken", b.where, f"{b.file.name} does not continue {a.file.name}: its "
                           f"first entry does not carry the last hash of {a.file.name}")
            else:
                report.add("edited", b.where, f"entry {a.seq} or {b.seq} was changed and its hash recomputed "
                           "(the chain between them is broken)")
    return chain


def _entries(seqs: str, count: int) -> str:
    return f"entry {seqs}" if count == 1 else f"entries {seqs}"


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"


def _check_start(path: Path, first: Line, report: Report) -> None:
    assert first.entry is not None
    if first.seq == 1:
        if first.entry["prev_hash"] != GENESIS:
            report.add("edited", first.where, "the first entry does not start the chain")
        return
    previous = _previous_file(first.file)
    if previous is not None and not path.is_dir():
        lines = [line for line in read_lines(previous) if line.entry is not None]
        if lines and lines[-1].entry is not None and lines[-1].entry["hash"] != first.entry["prev_hash"]:
            report.add("rotation_broken", first.where,
                       f"{first.file.name} does not continue {previous.name}")
        return
    if path.is_dir() and file_number(first.file) > 1:
        report.notes.append(f"the journal starts at entry {first.seq} in {first.file.name}: earlier files "
                            "were removed (retention, [mediator] journal_keep_files) or are missing")
    elif path.is_dir():
        report.add("start_missing", first.where, f"{_span(1, first.seq - 1)} missing at the start")


def _previous_file(file: Path) -> Path | None:
    candidate = file.with_name(f"journal-{file_number(file) - 1:06d}.jsonl")
    return candidate if file_number(file) > 1 and candidate.exists() else None


def _check_head(directory: Path, last: Line, report: Report) -> None:
    assert last.entry is not None
    head = read_head(directory)
    if head is None or not isinstance(head.get("seq"), int):
        report.notes.append("no head file (head.json): a cut tail cannot be detected")
        return
    if head["seq"] > last.seq:
        report.add("truncated", f"{head.get('file', '?')} after entry {last.seq}",
                   f"the tail was cut: {_span(last.seq + 1, head['seq'])} missing "
                   f"(head.json records entry {head['seq']})")
    elif head["seq"] == last.seq and head.get("hash") != last.entry["hash"]:
        report.add("edited", last.where, f"entry {last.seq} differs from the one recorded in head.json")
    elif head["seq"] == last.seq - 1:
        report.notes.append("head.json is one entry behind (interrupted after the last write)")
    elif head["seq"] < last.seq:
        report.add("head_mismatch", last.where, f"head.json says entry {head['seq']} is the newest, "
                   f"the files go to {last.seq}")


def _check_file_numbers(files: list[Path], report: Report) -> None:
    numbers = [file_number(f) for f in files if file_number(f)]
    for a, b in itertools.pairwise(numbers):
        if b > a + 1:
            gone = ", ".join(f"journal-{n:06d}.jsonl" for n in range(a + 1, b))
            report.add("file_missing", f"journal-{b:06d}.jsonl", f"file(s) {gone} missing")


def format_entry(entry: dict[str, Any]) -> str:
    details = " ".join(f"{k}={v}" for k, v in sorted(entry.get("details", {}).items()))
    return (f"{entry.get('seq', '?'):>6}  {entry.get('time', '?')}  {entry.get('terminal', '?')}  "
            f"{entry.get('actor', '?'):<12}  {entry.get('action', '?'):<18}  {details}").rstrip()


def show(path: Path, last: int | None = None) -> Iterator[str]:
    """Readable lines, oldest first (the last `last` entries if given); unreadable lines are marked."""
    out = []
    for line in (line for f in files_of(path) for line in read_lines(f)):
        out.append(format_entry(line.entry) if line.entry is not None
                   else f"{'!':>6}  ({line.where}: not a journal entry)")
    yield from out[-last:] if last else out
