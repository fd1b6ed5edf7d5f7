"""Anonymous daily counters: the only thing that survives a visitor session.

One CSV per terminal with one row per (day, procedure, language, duration bucket, outcome) and a count.
No time of day, no session id, nothing typed by the visitor.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kiosk.visit.session import SessionRecord

log = logging.getLogger(__name__)

BUCKETS = ((5 * 60, "0-5min"), (15 * 60, "5-15min"), (30 * 60, "15-30min"), (60 * 60, "30-60min"))
FIELDS = ("day", "procedure", "language", "duration", "outcome", "count")

_SAFE = re.compile(r"-|[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,63}")   # no leading = + - @ (spreadsheet formulas)


def safe_value(value: str) -> str:
    """Counters hold ids and codes only: anything else (free text by mistake) becomes "other"."""
    return value if _SAFE.fullmatch(value) else "other"


def bucket(seconds: float) -> str:
    return next((label for limit, label in BUCKETS if seconds < limit), "60min+")


class DailyCounters:
    def __init__(self, directory: Path, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.file = directory / "counters.csv"
        self._today = today

    def read(self) -> Counter[tuple[str, ...]]:
        counts: Counter[tuple[str, ...]] = Counter()
        try:
            with self.file.open(newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    counts[tuple(row[k] for k in FIELDS[:-1])] += int(row["count"])
        except FileNotFoundError:
            pass
        return counts

    def record(self, record: SessionRecord) -> None:
        key = (self._today().isoformat(), safe_value(record.procedure or "-"), safe_value(record.language),
               bucket(record.duration_s), safe_value(record.outcome))
        try:
            counts = self.read()
            counts[key] += 1
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(".tmp")
            with tmp.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(FIELDS)
                for k in sorted(counts):
                    writer.writerow((*k, counts[k]))
            os.replace(tmp, self.file)
        except (OSError, ValueError, KeyError):
            log.exception("could not update the anonymous counters")

    def export(self, out: TextIO, since: dt.date | None = None, until: dt.date | None = None) -> int:
        """Write the counters as CSV (header + one row per key, sorted), days in [since, until].
        Returns the number of rows. Cells are re-checked, so nothing but ids and numbers leaves."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        counts = self.read()
        rows = 0
        for key in sorted(counts):
            day = key[0]
            if (since and day < since.isoformat()) or (until and day > until.isoformat()):
                continue
            writer.writerow((*(safe_value(k) for k in key), counts[key]))
            rows += 1
        return rows
