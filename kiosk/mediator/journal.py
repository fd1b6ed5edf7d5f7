"""The mediator journal: an append-only, hash-chained record of mediator and admin actions.

One JSON object per line, in numbered files `journal-000001.jsonl`, `journal-000002.jsonl`…:

    {"seq": 12, "time": "2026-11-26T21:08:14Z", "terminal": "prefecture-69-01", "actor": "med-01",
     "action": "jump", "details": {"step": "upload"}, "prev_hash": "…", "hash": "…"}

`hash` is the SHA-256 of the entry's canonical JSON without `hash`; `prev_hash` is the previous entry's
hash (64 zeros for the first entry ever). When a file would grow past `max_bytes`, the next entry starts
a new file and still carries the last hash of the previous file, so the chain runs across files.
`head.json` holds the newest (seq, hash), replaced atomically after every entry: a file cut short is told
apart from a file that simply ended.

No visitor data: details are a whitelist of keys, each value checked against a narrow pattern (ids,
language codes, numbers). A detail off the list is dropped, never written, and its value never logged.
This proves alteration by someone who edits the files by hand; someone who can rewrite the whole chain
and the head can forge it, unless the head is also kept elsewhere (monitoring).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiosk.i18n import N_
from kiosk.mediator.errors import JournalError

log = logging.getLogger(__name__)

GENESIS = "0" * 64
FILE_RE = re.compile(r"journal-(\d{6})\.jsonl")
HEAD = "head.json"
SYSTEM_ACTOR = "kiosk"      # entries written by the kiosk itself (failed unlocks, lockouts, start-up)

_ID = r"[A-Za-z0-9_.:-]{1,64}"
DETAIL_RULES: dict[str, re.Pattern[str]] = {
    key: re.compile(pattern) for key, pattern in {
        "step": _ID, "procedure": _ID, "screen": _ID, "reason": _ID, "device": _ID, "result": _ID,
        "channel": _ID, "capability": _ID,
        "language": r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?",
        "role": r"mediator|admin",
        "failures": r"\d{1,6}", "wait_s": r"\d{1,9}", "expected_seq": r"\d{1,12}", "found_seq": r"\d{1,12}",
        "version": r"[A-Za-z0-9_.+-]{1,40}",
    }.items()
}
ACTOR_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
ACTION_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
TERMINAL_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
FIELDS = ("seq", "time", "terminal", "actor", "action", "details", "prev_hash", "hash")


def canonical(entry: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def clean_details(details: Mapping[str, object]) -> dict[str, str]:
    """Keep whitelisted keys whose value fits the key's pattern; drop (and log the key of) the rest."""
    kept: dict[str, str] = {}
    for key, value in details.items():
        rule = DETAIL_RULES.get(key)
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if rule is None or text is None or not rule.fullmatch(text):
            log.warning("journal: dropped detail %s (not on the whitelist or not the expected form)",
                        key if key in DETAIL_RULES or ACTION_RE.fullmatch(key) else "(unnamed)")
            continue
        kept[key] = text
    return kept


def journal_files(directory: Path) -> list[Path]:
    """The journal's files, oldest first (by number)."""
    try:
        found = [p for p in directory.iterdir() if FILE_RE.fullmatch(p.name)]
    except FileNotFoundError:
        return []
    return sorted(found, key=lambda p: int(FILE_RE.fullmatch(p.name).group(1)))  # type: ignore[union-attr]


def file_number(path: Path) -> int:
    match = FILE_RE.fullmatch(path.name)
    return int(match.group(1)) if match else 0


def read_head(directory: Path) -> dict[str, Any] | None:
    try:
        head = json.loads((directory / HEAD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return head if isinstance(head, dict) else None


def _last_entry(path: Path) -> tuple[dict[str, Any] | None, bool]:
    """The last readable entry of a file, and whether the file ends with an incomplete line."""
    data = path.read_bytes()
    partial = bool(data) and not data.endswith(b"\n")
    for line in reversed(data.splitlines()):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("seq"), int) \
                and isinstance(entry.get("hash"), str):
            return entry, partial
    return None, partial


def tail_entries(directory: Path, limit: int = 200) -> list[dict[str, Any]]:
    """The newest readable entries (at most `limit`, oldest first), from the last two files."""
    entries: list[dict[str, Any]] = []
    for path in journal_files(directory)[-2:]:
        for raw in path.read_bytes().splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("details"), dict):
                entries.append(entry)
    return entries[-limit:]


class Journal:
    """Appends entries; safe to call from several threads. Files are 0600 in a 0700 directory."""

    def __init__(self, directory: Path, terminal: str, *, wall_clock: Callable[[], float] = time.time,
                 max_bytes: int = 1 << 20, keep_files: int = 0) -> None:
        if not TERMINAL_RE.fullmatch(terminal):
            raise JournalError(N_("The mediator journal cannot be used."), f"bad terminal id {terminal!r}")
        self.directory = directory
        self.terminal = terminal
        self.max_bytes = max_bytes
        self.keep_files = keep_files            # 0: keep every file
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            files = journal_files(self.directory)
            self._file = files[-1] if files else self.directory / "journal-000001.jsonl"
            last, partial = _last_entry(self._file) if files else (None, False)
        except OSError as exc:
            raise JournalError(N_("The mediator journal cannot be used."), str(exc)) from exc
        if partial:
            with self._file.open("ab") as f:    # the next entry must start on its own line
                f.write(b"\n")
        self.seq = last["seq"] if last else 0
        self.last_hash: str = last["hash"] if last else GENESIS
        head = read_head(self.directory)
        if head is not None and isinstance(head.get("seq"), int) and head["seq"] != self.seq:
            log.error("journal: the newest entry is %d but the head says %d: entries are missing",
                      self.seq, head["seq"])
            self.append(SYSTEM_ACTOR, "journal_damaged",
                        {"expected_seq": head["seq"], "found_seq": self.seq})
        elif partial:
            log.error("journal: the last line was incomplete (interrupted write)")
            self.append(SYSTEM_ACTOR, "journal_damaged", {"found_seq": self.seq, "reason": "partial_line"})

    def append(self, actor: str, action: str, details: Mapping[str, object] | None = None) -> dict[str, Any]:
        """Write one entry and return it. Raises JournalError when the disk refuses."""
        if not ACTOR_RE.fullmatch(actor) or not ACTION_RE.fullmatch(action):
            raise JournalError(N_("The mediator journal cannot be used."), "bad actor or action name")
        clean = clean_details(details or {})
        with self._lock:
            stamp = dt.datetime.fromtimestamp(self._wall_clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            entry: dict[str, Any] = {"seq": self.seq + 1, "time": stamp, "terminal": self.terminal,
                                     "actor": actor, "action": action, "details": clean,
                                     "prev_hash": self.last_hash}
            entry["hash"] = entry_hash(entry)
            line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
            try:
                self._rotate_if_needed(len(line))
                fd = os.open(self._file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                self._write_head(entry)
            except OSError as exc:
                log.error("journal: could not write an entry: %s", exc.strerror)
                raise JournalError(N_("The mediator journal cannot be used."), str(exc)) from exc
            self.seq, self.last_hash = entry["seq"], entry["hash"]
        log.info("journal: %s by %s (seq %d)", action, actor, entry["seq"])
        return entry

    def _rotate_if_needed(self, incoming: int) -> None:
        try:
            size = self._file.stat().st_size
        except FileNotFoundError:
            return
        if size == 0 or size + incoming <= self.max_bytes:
            return
        self._file = self.directory / f"journal-{file_number(self._file) + 1:06d}.jsonl"
        log.info("journal: rotated to %s", self._file.name)
        if self.keep_files > 0:       # the new file counts as one of the files kept
            older = journal_files(self.directory)
            for old in older[:max(0, len(older) - (self.keep_files - 1))]:
                old.unlink(missing_ok=True)

    def _write_head(self, entry: Mapping[str, Any]) -> None:
        tmp = self.directory / (HEAD + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps({"file": self._file.name, "seq": entry["seq"],
                                     "hash": entry["hash"]}).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.directory / HEAD)
