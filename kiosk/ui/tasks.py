"""The one way slow work leaves the GUI thread: `Tasks.run(fn, on_done, on_error)`.

`fn` runs on a thread of a QThreadPool; `on_done(result)` or `on_error(exception)` are called back on
the GUI thread. `wait()` lets tests and the shutdown path finish outstanding work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object, object)      # (result, exception)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn, self._relay = fn, relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)


class Tasks:
    def __init__(self, max_threads: int = 2) -> None:
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        relay = _Relay()          # lives in the GUI thread: its signal is delivered there

        def finished(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()   # its connection holds this closure, which holds it: a cycle gc can't see
            if error is not None:
                on_error(error)
            else:
                on_done(result)

        relay.finished.connect(finished)
        self._relays.add(relay)
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._relays)
