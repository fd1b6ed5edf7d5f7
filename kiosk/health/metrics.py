"""Prometheus text format for node_exporter's textfile collector, written atomically.

node_exporter reads every `*.prom` file of its `--collector.textfile.directory`; a half-written file
would be read as garbage, so the file is written next to its final name and renamed over it.
Only anonymous figures: counts by outcome, states, versions, timestamps. Nothing about a visitor.

The kiosk keeps one `KioskMetrics`, updates it (session ended, device state seen, error logged) and
calls `write()` after each change and on its watchdog tick (cheap: a few hundred bytes).
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "pan_kiosk"
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


@dataclass(frozen=True)
class Sample:
    name: str
    value: float
    labels: tuple[tuple[str, str], ...] = ()

    def line(self) -> str:
        labels = ",".join(f'{k}="{escape_label(v)}"' for k, v in self.labels)
        value = repr(float(self.value)) if not float(self.value).is_integer() else str(int(self.value))
        return f"{self.name}{{{labels}}} {value}" if labels else f"{self.name} {value}"


@dataclass(frozen=True)
class Family:
    name: str
    kind: str               # gauge | counter
    help: str
    samples: tuple[Sample, ...]


def render(families: Iterable[Family]) -> str:
    out: list[str] = []
    for fam in families:
        if not _NAME.fullmatch(fam.name):
            raise ValueError(f"bad metric name {fam.name!r}")
        out.append(f"# HELP {fam.name} {fam.help}")
        out.append(f"# TYPE {fam.name} {fam.kind}")
        out.extend(sample.line() for sample in fam.samples)
    return "\n".join(out) + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")    # not *.prom: never read half-written
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def version_date(version: str) -> int:
    """A pack version "2026.11.26" (or "2026.11.26-2") as 20261126, so a fleet's versions compare in
    PromQL; 0 when the version is not a date."""
    m = re.match(r"(\d{4})\.(\d{1,2})\.(\d{1,2})(?!\d)", version)
    return int(f"{m[1]}{int(m[2]):02d}{int(m[3]):02d}") if m else 0


@dataclass
class KioskMetrics:
    """What the running kiosk exports. Device states: "ok", "fault", "absent", "simulated"; device
    faults by kind (e.g. the printer's media-empty, stopped). Visits are counted by procedure and
    language (ids and codes only, as the daily counters), sessions by outcome."""

    terminal: str
    path: Path | None = None
    clock: Callable[[], float] = time.time
    site: str = ""
    started_at: float = field(default=0.0)
    sessions: Counter[str] = field(default_factory=Counter)       # by outcome
    visits: Counter[tuple[str, str]] = field(default_factory=Counter)    # by (procedure, language)
    devices: dict[str, str] = field(default_factory=dict)
    faults: dict[str, tuple[str, ...]] = field(default_factory=dict)     # device -> fault kinds now
    content_version: str = ""
    content_hash: str = ""
    last_error_at: float = 0.0
    errors: int = 0
    wipe_failures: int = 0

    def __post_init__(self) -> None:
        if not self.started_at:
            self.started_at = self.clock()

    def session_ended(self, outcome: str, procedure: str | None = None, language: str = "",
                      wipe_ok: bool = True) -> None:
        self.sessions[outcome] += 1
        self.visits[(procedure or "none", language or "none")] += 1
        if not wipe_ok:
            self.wipe_failures += 1

    def device_state(self, device: str, state: str, faults: tuple[str, ...] = ()) -> None:
        self.devices[device] = state
        self.faults[device] = faults

    def content(self, version: str, content_hash: str = "") -> None:
        self.content_version, self.content_hash = version, content_hash

    def error(self) -> None:
        self.errors += 1
        self.last_error_at = self.clock()

    def families(self) -> list[Family]:
        term = ("terminal", self.terminal)
        now = self.clock()
        states = ("ok", "fault", "absent", "simulated")
        return [
            Family(f"{PREFIX}_up", "gauge", "1 while the kiosk runs.", (Sample(f"{PREFIX}_up", 1, (term,)),)),
            Family(f"{PREFIX}_terminal_info", "gauge", "The terminal and its site (value is always 1).",
                   (Sample(f"{PREFIX}_terminal_info", 1, (term, ("site", self.site))),)),
            Family(f"{PREFIX}_start_time_seconds", "gauge", "Unix time the kiosk started.",
                   (Sample(f"{PREFIX}_start_time_seconds", round(self.started_at), (term,)),)),
            Family(f"{PREFIX}_uptime_seconds", "gauge", "Seconds since the kiosk started.",
                   (Sample(f"{PREFIX}_uptime_seconds", round(now - self.started_at, 1), (term,)),)),
            Family(f"{PREFIX}_sessions_total", "counter", "Visitor sessions ended, by outcome.",
                   tuple(Sample(f"{PREFIX}_sessions_total", n, (term, ("outcome", o)))
                         for o, n in sorted(self.sessions.items()))),
            Family(f"{PREFIX}_visits_total", "counter", "Visitor sessions ended, by procedure and language.",
                   tuple(Sample(f"{PREFIX}_visits_total", n, (term, ("procedure", p), ("language", lang)))
                         for (p, lang), n in sorted(self.visits.items()))),
            Family(f"{PREFIX}_wipe_failures_total", "counter", "Session ends whose wipe failed a step.",
                   (Sample(f"{PREFIX}_wipe_failures_total", self.wipe_failures, (term,)),)),
            Family(f"{PREFIX}_content_version_date", "gauge", "Content version as YYYYMMDD (0: not a date).",
                   (Sample(f"{PREFIX}_content_version_date", version_date(self.content_version), (term,)),)),
            Family(f"{PREFIX}_device_fault", "gauge", "1 for each fault a device reports now, by kind.",
                   tuple(Sample(f"{PREFIX}_device_fault", 1, (term, ("device", d), ("kind", k)))
                         for d, kinds in sorted(self.faults.items()) for k in sorted(kinds))),
            Family(f"{PREFIX}_content_info", "gauge", "Content pack in use (value is always 1).",
                   (Sample(f"{PREFIX}_content_info", 1, (term, ("version", self.content_version),
                                                         ("hash", self.content_hash[:12]))),)),
            Family(f"{PREFIX}_device_state", "gauge", "1 for the current state of each device.",
                   tuple(Sample(f"{PREFIX}_device_state", int(state == s),
                                (term, ("device", d), ("state", s)))
                         for d, state in sorted(self.devices.items()) for s in states)),
            Family(f"{PREFIX}_errors_total", "counter", "Errors logged since start.",
                   (Sample(f"{PREFIX}_errors_total", self.errors, (term,)),)),
            Family(f"{PREFIX}_last_error_timestamp_seconds", "gauge", "Unix time of the last error, 0: none.",
                   (Sample(f"{PREFIX}_last_error_timestamp_seconds", round(self.last_error_at), (term,)),)),
        ]

    def render(self) -> str:
        return render(self.families())

    def write(self) -> None:
        if self.path is not None:
            write_atomic(self.path, self.render())
