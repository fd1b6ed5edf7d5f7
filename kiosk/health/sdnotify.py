"""sd_notify in plain Python: READY=1, WATCHDOG=1 and STATUS= over $NOTIFY_SOCKET (a datagram socket).

systemd starts the kiosk unit with Type=notify, NotifyAccess=all (the app is a child of cage, not the
main process) and WatchdogSec=: the app sends READY once its first screen is shown, then WATCHDOG at
half the interval from the GUI thread's timer, so a frozen event loop gets the unit restarted.
Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class SdNotifier:
    def __init__(self, socket_path: str | None, watchdog_usec: int | None = None) -> None:
        self.socket_path = socket_path
        self.watchdog_usec = watchdog_usec

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SdNotifier:
        env = os.environ if environ is None else environ
        # WATCHDOG_PID names cage (the unit's main process), not us: it is ignored on purpose, the
        # unit's NotifyAccess=all lets the app, cage's child, feed the watchdog.
        raw = env.get("WATCHDOG_USEC", "")
        return cls(env.get("NOTIFY_SOCKET") or None, int(raw) if raw.isdigit() and int(raw) > 0 else None)

    @property
    def enabled(self) -> bool:
        return bool(self.socket_path)

    def watchdog_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1 (half the configured timeout), or None without a watchdog."""
        return self.watchdog_usec / 2_000_000 if self.watchdog_usec else None

    def notify(self, *assignments: str) -> bool:
        if not self.socket_path:
            return False
        address = self.socket_path
        if address.startswith("@"):
            address = "\0" + address[1:]          # abstract namespace
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(address)
                sock.sendall("\n".join(assignments).encode())
        except OSError as exc:
            log.warning("sd_notify failed: %s", exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")
