"""One content update check (`check()`), and the polling loop run by pan-kiosk-content.service.

The kiosk process itself does no network I/O for content: a separate service polls, installs and
switches `current`; the kiosk loads `current` when it starts and, between visitors, when the pack
it shows is no longer the current one (`ContentStore.current_path()` changed).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.sync.errors import SyncError
from kiosk.sync.fetch import HttpFetcher, require_https
from kiosk.sync.store import ContentStore, is_newer

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    NOT_MODIFIED = "not-modified"      # 304: the index did not change since the last check
    UP_TO_DATE = "up-to-date"          # the index offers nothing newer than the installed pack
    INSTALLED = "installed"
    REFUSED = "refused"                # a SyncError: the running pack is untouched


@dataclass(frozen=True)
class UpdateResult:
    outcome: Outcome
    version: str | None                # installed version after the check
    offered: str | None = None
    error: SyncError | None = None

    def __str__(self) -> str:
        text = f"{self.outcome}: installed {self.version or '-'}"
        if self.offered:
            text += f", offered {self.offered}"
        if self.error is not None:
            text += f": {self.error}"
        return text


class ContentUpdater:
    def __init__(self, store: ContentStore, fetcher: HttpFetcher, index_url: str,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        require_https(index_url)
        self.store = store
        self.fetcher = fetcher
        self.index_url = index_url
        self._now = now

    def check(self) -> UpdateResult:
        state = self.store.read_state()
        etag = state.get("etag") if state.get("index_url") == self.index_url else None
        offered = None
        try:
            answer = self.fetcher.index(self.index_url, etag)
            if answer.index is None:
                self._remember(etag)
                return UpdateResult(Outcome.NOT_MODIFIED, self.store.current_version())
            index = answer.index
            offered = index.version
            current = self.store.current_version()
            if not is_newer(index.version, current) or index.version == state.get("rolled_back"):
                self._remember(answer.etag)
                return UpdateResult(Outcome.UP_TO_DATE, current, offered)
            signature = self.fetcher.text(index.signature_url)
            archive = self.store.new_staging_file(".archive")
            try:
                self.fetcher.download(index.archive_url, archive, index.size, index.sha256)
                installed = self.store.install(archive, signature)
            finally:
                archive.unlink(missing_ok=True)
            self._remember(answer.etag)
            return UpdateResult(Outcome.INSTALLED, installed.version, offered)
        except SyncError as exc:
            log.warning("content update refused: %s", exc)
            self.store.write_state(last_check=self._now().isoformat(), last_error=str(exc),
                                   last_error_at=self._now().isoformat())
            return UpdateResult(Outcome.REFUSED, self.store.current_version(), offered, exc)

    def _remember(self, etag: str | None) -> None:
        self.store.write_state(etag=etag, index_url=self.index_url, last_check=self._now().isoformat(),
                               last_error=None)

    def watch(self, interval_s: float, stop: threading.Event,
              report: Callable[[UpdateResult], None] = lambda r: None, jitter: float = 0.1) -> None:
        """Check now, then every `interval_s` (± jitter, so a fleet does not poll in step) until stop."""
        while not stop.is_set():
            report(self.check())
            stop.wait(interval_s * (1 + random.uniform(-jitter, jitter)))
