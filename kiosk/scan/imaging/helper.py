"""The imaging pipeline's second thread: the terminal has two cores, and the parts of a page's work
that do not depend on each other (the full-size resampling and the small copy's analysis, the halves
of the legibility check) run side by side. OpenCV and numpy release the GIL in their loops.

One thread for every pipeline of the process (work queues behind work already there). Work started
from that thread itself runs at once on it instead (no thread waits for itself).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

_lock = threading.Lock()
_pool: list[ThreadPoolExecutor] = []       # made at the first use
_local = threading.local()


def _mark() -> None:
    _local.helper = True


def start(work: Callable[[], T]) -> Future[T]:
    """`work` on the helper thread; its result (or exception) from the returned future."""
    if getattr(_local, "helper", False):
        done: Future[T] = Future()
        try:
            done.set_result(work())
        except BaseException as exc:  # noqa: BLE001 - handed over to whoever reads the future
            done.set_exception(exc)
        return done
    with _lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan-helper",
                                            initializer=_mark))
        return _pool[0].submit(work)


def both(first: Callable[[], T], second: Callable[[], U]) -> tuple[T, U]:
    """`first` on the helper thread while `second` runs on this one; both results."""
    pending = start(first)
    try:
        other = second()
    except BaseException:
        wait([pending])                 # no work left running behind a failure
        raise
    return pending.result(), other
