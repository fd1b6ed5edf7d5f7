"""The test doubles shared by every test folder: clocks and the mediator gate. One module, so a fake
behaves the same wherever it is used (tests/<capability>/ import from here, never define their own)."""

from __future__ import annotations

from kiosk.mediator.gate import Unlock


class FakeClock:
    """A clock that only moves when a test says so (`advance`, or `sleep` for code that sleeps),
    or, with `tick`, moves that much at every reading (a wall clock that is never read twice alike)."""

    def __init__(self, start: float = 1000.0, tick: float = 0.0) -> None:
        self.now = start
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    sleep = advance


class FakeGate:
    """Mediator mode's gate: code "2468" unlocks as med-01; wrong codes wait longer each time and lock
    after three; every journaled action is kept in `entries`."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, str]]] = []
        self.is_expired = False
        self.failures = 0

    def unlock(self, code: str) -> Unlock:
        if code == "2468":
            return Unlock(actor="med-01", role="mediator")
        self.failures += 1
        return Unlock(wait_s=2 ** self.failures, locked=self.failures >= 3)

    def touch(self) -> None:
        self.is_expired = False

    def expired(self) -> bool:
        return self.is_expired

    def journal(self, actor: str, action: str, **details: str) -> None:
        self.entries.append((actor, action, details))
