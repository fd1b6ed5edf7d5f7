"""Idle policy: when to warn a visitor who stopped touching the screen, and when to end the session.

Pure and clock-driven: the UI reports input with `touch(now)` and asks `state(now)` on a timer, so
tests drive it with a fake clock and never sleep.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Idle(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass
class IdleMonitor:
    timeout_s: float          # quiet time before the warning
    warning_s: float          # length of the warning countdown
    extension_s: float        # time granted by "I need more time"
    max_extensions: int
    last_input: float = 0.0
    extensions_used: int = 0
    _deadline: float = 0.0    # when the warning starts

    def reset(self, now: float) -> None:
        """A new session starts."""
        self.extensions_used = 0
        self.last_input = now
        self._deadline = now + self.timeout_s

    def touch(self, now: float) -> None:
        """Any input outside the warning keeps the session alive."""
        if self.state(now) is Idle.ACTIVE:
            self.last_input = now
            self._deadline = max(self._deadline, now + self.timeout_s)

    @property
    def can_extend(self) -> bool:
        return self.extensions_used < self.max_extensions

    def extend(self, now: float) -> bool:
        """The visitor asked for more time during the warning; False once extensions are used up."""
        if not self.can_extend or self.state(now) is Idle.EXPIRED:
            return False
        self.extensions_used += 1
        self.last_input = now
        self._deadline = now + max(self.timeout_s, self.extension_s)
        return True

    def state(self, now: float) -> Idle:
        if now < self._deadline:
            return Idle.ACTIVE
        if now < self._deadline + self.warning_s:
            return Idle.WARNING
        return Idle.EXPIRED

    def seconds_left(self, now: float) -> int:
        """Whole seconds left in the warning countdown (rounded up)."""
        left = self._deadline + self.warning_s - now
        return max(0, int(-(-left // 1)))
