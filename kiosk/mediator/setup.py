"""Building mediator mode from the terminal configuration (called by kiosk/app.py and the CLI)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from keyring.errors import KeyringError

from kiosk.config import Config
from kiosk.mediator.auth import (
    Clock,
    RelockPolicy,
    Throttle,
    ThrottlePolicy,
    accounts_from_keyring,
    load_accounts,
)
from kiosk.mediator.errors import AccountError
from kiosk.mediator.gate import Gate, throttle_state
from kiosk.mediator.help import HelpChannel, HelpRequest, MatrixChannel, SimulatedChannel, WebhookChannel
from kiosk.mediator.help_queue import HelpQueue, HelpState, RetryPolicy
from kiosk.mediator.journal import Journal, tail_entries

log = logging.getLogger(__name__)

SERVICE = "pan-kiosk"
GetPassword = Callable[[str, str], str | None]     # keyring.get_password


def journal_dir(config: Config) -> Path:
    if config.mediator.journal_dir:
        return Path(config.mediator.journal_dir)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "pan-kiosk" / "journal"


def open_journal(config: Config, wall_clock: Clock = time.time) -> Journal:
    m = config.mediator
    return Journal(journal_dir(config), config.terminal.id, wall_clock=wall_clock,
                   max_bytes=m.journal_max_kb * 1024, keep_files=m.journal_keep_files)


def build_gate(config: Config, get_password: GetPassword | None = None, extra: Sequence[str] = (), *,
               clock: Clock = time.monotonic, wall_clock: Clock = time.time,
               journal: Journal | None = None) -> Gate:
    """Accounts from the config file plus the keyring credential `mediator-accounts` (if any), plus
    `extra` (the demo account of the built-in defaults).

    A malformed entry raises AccountError (the terminal configuration must be fixed)."""
    entries = [*config.mediator.accounts, *extra]
    if get_password is not None:
        try:
            entries += accounts_from_keyring(get_password, SERVICE)
        except (KeyringError, OSError) as exc:        # e.g. NoKeyringError off a terminal
            log.warning("mediator accounts: the keyring could not be read (%s)", type(exc).__name__)
    accounts = load_accounts(entries)
    if not accounts:
        log.warning("no mediator account configured: mediator mode cannot be opened")
    m = config.mediator
    journal = journal or open_journal(config, wall_clock)
    throttle = Throttle(ThrottlePolicy(max_failures=m.max_failures, lockout_s=float(m.lockout_s)), clock)
    try:
        throttle.restore(*throttle_state(tail_entries(journal.directory), wall_clock()))
    except OSError as exc:
        log.warning("mediator: could not read the journal to restore the failure count (%s)", exc.strerror)
    if throttle.wait_s() > 0 or throttle.failures:
        log.warning("mediator: %d wrong code(s) and %d lockout(s) carried over a restart",
                    throttle.failures, throttle.lockouts)
    return Gate(accounts, throttle, RelockPolicy(float(m.relock_after_s), clock), journal)


def make_channel(config: Config, get_password: GetPassword) -> HelpChannel | None:
    h = config.help

    def token() -> str | None:
        try:
            return get_password(SERVICE, h.token_name)
        except (KeyringError, OSError) as exc:
            log.warning("help channel: the keyring could not be read (%s)", type(exc).__name__)
            return None

    if h.channel == "webhook" and h.url:
        return WebhookChannel(h.url, token=token, timeout_s=h.timeout_s)
    if h.channel == "matrix" and h.url and h.matrix_room:
        return MatrixChannel(h.url, h.matrix_room, token, timeout_s=h.timeout_s)
    if h.channel == "simulated":
        return SimulatedChannel()
    if h.channel != "none":
        log.warning("help channel %s is missing its url or room: help requests are off", h.channel)
    return None


@dataclass
class HelpService:
    """What the UI holds: `request(step, language)` for the button; `queue` for cancel_all and pump."""
    terminal: str
    queue: HelpQueue
    site: str = ""

    def request(self, step: str | None, language: str) -> HelpRequest:
        return self.queue.submit(HelpRequest(self.terminal, step, language, site=self.site))


def build_help(config: Config, get_password: GetPassword, *, clock: Clock = time.monotonic,
               on_change: Callable[[HelpRequest, HelpState], None] = lambda r, s: None,
               policy: RetryPolicy | None = None) -> HelpService | None:
    """None when no channel is configured (the help overlay then says to go to the desk)."""
    channel = make_channel(config, get_password)
    if channel is None:
        return None
    queue = HelpQueue(channel, clock=clock, policy=policy or RetryPolicy(), on_change=on_change)
    return HelpService(config.terminal.id, queue, site=config.terminal.site_name)


__all__ = ["AccountError", "HelpService", "build_gate", "build_help", "journal_dir", "make_channel",
           "open_journal"]
