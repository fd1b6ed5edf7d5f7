"""The queue of help requests: kept in memory, retried with backoff while the network is down.

The UI shows "help is on the way" once a request is QUEUED and "a mediator has been notified" once it is
DELIVERED (both told through `on_change`). A request that cannot be delivered before `give_up_after_s`,
or that the channel refuses for good, becomes FAILED (the UI then says to raise a hand or go to the
desk). Requests of a visitor who left are CANCELLED (register `cancel_all` as a session wipe step).

Time is injected: `pump(now)` does the work that is due and returns how long until the next try, so
tests drive it without sleeping; `HelpWorker` runs it on a thread, woken early by `submit`.
`on_change` is called on the thread that calls `submit`, `cancel*` or `pump` (the worker's thread):
the UI must hand it over to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.mediator.auth import Clock
from kiosk.mediator.errors import HelpDeliveryError
from kiosk.mediator.help import HelpChannel, HelpRequest

log = logging.getLogger(__name__)


class HelpState(StrEnum):
    QUEUED = "queued"           # accepted by the kiosk: "help is on the way"
    DELIVERED = "delivered"     # accepted by the channel: "a mediator has been notified"
    FAILED = "failed"           # given up: "raise your hand or go to the desk"
    CANCELLED = "cancelled"     # the visitor left


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_s: float = 2.0
    factor: float = 2.0
    max_delay_s: float = 60.0
    give_up_after_s: float = 900.0     # nobody waits a quarter of an hour at a kiosk

    def delay(self, attempts: int) -> float:
        return min(self.first_delay_s * self.factor ** max(attempts - 1, 0), self.max_delay_s)


@dataclass
class _Item:
    request: HelpRequest
    queued_at: float
    due: float
    attempts: int = 0
    in_flight: bool = False


class HelpQueue:
    def __init__(self, channel: HelpChannel, *, clock: Clock = time.monotonic,
                 policy: RetryPolicy = RetryPolicy(),
                 on_change: Callable[[HelpRequest, HelpState], None] = lambda request, state: None) -> None:
        self.channel = channel
        self.policy = policy
        self._clock = clock
        self._on_change = on_change
        self._items: list[_Item] = []
        self._lock = threading.Lock()
        self.wakeup = threading.Event()        # set when there is new work (the worker waits on it)
        self.delivered = 0
        self.failed = 0

    @property
    def pending(self) -> list[HelpRequest]:
        with self._lock:
            return [i.request for i in self._items]

    def submit(self, request: HelpRequest) -> HelpRequest:
        """Queue a request, or return the one already waiting (a visitor pressing the button twice)."""
        with self._lock:
            if self._items:
                return self._items[0].request
            now = self._clock()
            self._items.append(_Item(request, now, now))
        log.info("help request queued (%s)", self.channel.name)
        self._notify(request, HelpState.QUEUED)
        self.wakeup.set()
        return request

    def cancel(self, request_id: str) -> None:
        with self._lock:
            gone = [i for i in self._items if i.request.id == request_id]
            self._items = [i for i in self._items if i.request.id != request_id]
        for item in gone:
            self._notify(item.request, HelpState.CANCELLED)

    def cancel_all(self) -> None:
        """End of a visit: what was not delivered is no longer wanted."""
        with self._lock:
            gone, self._items = self._items, []
        for item in gone:
            self._notify(item.request, HelpState.CANCELLED)

    def pump(self, now: float | None = None) -> float | None:
        """Try every request that is due; return seconds until the next try (None: nothing pending)."""
        now = self._clock() if now is None else now
        with self._lock:
            due = [i for i in self._items if i.due <= now and not i.in_flight]
            for item in due:
                item.in_flight = True
        for item in due:
            self._attempt(item, now)
        with self._lock:
            waiting = [i.due for i in self._items if not i.in_flight]
        return max(0.0, min(waiting) - now) if waiting else None

    def _attempt(self, item: _Item, now: float) -> None:
        item.attempts += 1
        state: HelpState | None = None
        try:
            self.channel.send(item.request)
            state = HelpState.DELIVERED
        except HelpDeliveryError as exc:
            give_up = not exc.retryable or now - item.queued_at >= self.policy.give_up_after_s
            delay = max(self.policy.delay(item.attempts), exc.retry_after_s or 0.0)
            log.warning("help request not delivered (try %d, %s): %s", item.attempts,
                        "giving up" if give_up else f"next in {delay:.0f} s", exc.detail)
            if give_up:
                state = HelpState.FAILED
            else:
                item.due = now + delay
        except Exception:        # a channel bug must not kill the worker or lose the request silently
            log.exception("help channel %s failed", self.channel.name)
            item.due = now + self.policy.delay(item.attempts)
        with self._lock:
            item.in_flight = False
            present = item in self._items
            if state is not None and present:
                self._items.remove(item)
        if state is None or not present:       # still waiting, or cancelled meanwhile
            return
        if state is HelpState.DELIVERED:
            self.delivered += 1
            log.info("help request delivered (%s, try %d)", self.channel.name, item.attempts)
        else:
            self.failed += 1
        self._notify(item.request, state)

    def _notify(self, request: HelpRequest, state: HelpState) -> None:
        try:
            self._on_change(request, state)
        except Exception:
            log.exception("help request listener failed")


class HelpWorker:
    """Runs `queue.pump()` on a daemon thread until `stop()`; no busy loop, no sleep."""

    def __init__(self, queue: HelpQueue, idle_wait_s: float = 60.0) -> None:
        self.queue = queue
        self.idle_wait_s = idle_wait_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="help-requests", daemon=True)

    def start(self) -> HelpWorker:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stop.set()
        self.queue.wakeup.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.queue.wakeup.clear()
            wait = self.queue.pump()
            if self._stop.is_set():
                break
            self.queue.wakeup.wait(self.idle_wait_s if wait is None else min(wait, self.idle_wait_s))
