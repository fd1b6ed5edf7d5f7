"""The mediator gate: who may unlock, when to wait, when mediator mode closes, and the journal.

Implements the `MediatorGate` protocol the UI (kiosk/mediator/ui/panel.py) talks to:
`unlock(code) -> Unlock`, `touch()`, `expired()`, `journal(actor, action, **details)`.
Failed unlocks and lockouts are journaled here (actor "kiosk"); the code typed is never written or logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.mediator.auth import Account, Capability, RelockPolicy, Throttle, can, find_account, normalize
from kiosk.mediator.errors import JournalError
from kiosk.mediator.journal import SYSTEM_ACTOR, Journal

log = logging.getLogger(__name__)

CLOSING_ACTIONS = frozenset({"handed_back", "relocked", "end_visit"})   # journaled by the UI as it locks


@dataclass(frozen=True)
class Unlock:
    """What the gate says about a code: `actor` when accepted, else why not and for how long."""
    actor: str | None = None
    role: str = ""
    wait_s: int = 0            # try again in … seconds (growing delay)
    locked: bool = False       # too many failures: locked for wait_s


class Gate:
    """One per terminal. Unlock may take a few hundred ms per account (scrypt): call it off the GUI thread
    when several accounts are configured."""

    def __init__(self, accounts: Sequence[Account], throttle: Throttle, relock: RelockPolicy,
                 journal: Journal) -> None:
        self.accounts = list(accounts)
        self.throttle = throttle
        self.relock = relock
        self._journal = journal
        self.actor: Account | None = None

    def unlock(self, code: str) -> Unlock:
        wait = self.throttle.wait_s()
        if wait > 0:                                   # not even checked: does not count as a try
            return Unlock(wait_s=math.ceil(wait), locked=self.throttle.locked)
        if not normalize(code):
            return Unlock()
        account = find_account(self.accounts, code) if self.accounts else None
        if account is None:
            delay = self.throttle.failed()
            locked = self.throttle.locked
            log.warning("mediator unlock refused (%s)", "locked out" if locked else "wrong code")
            failures = self.throttle.policy.max_failures if locked else self.throttle.failures
            self.journal(SYSTEM_ACTOR, "locked_out" if locked else "unlock_failed",
                         wait_s=str(math.ceil(delay)), failures=str(failures))
            return Unlock(wait_s=math.ceil(delay), locked=locked)
        self.throttle.succeeded()
        self.relock.start()
        self.actor = account
        log.info("mediator mode opened by %s (%s)", account.id, account.role.value)
        return Unlock(actor=account.id, role=account.role.value)

    def touch(self) -> None:
        self.relock.touch()

    def expired(self) -> bool:
        return self.relock.expired()

    def lock(self) -> None:
        """Close mediator mode (hand back, end of visit, re-lock)."""
        self.relock.stop()
        self.actor = None

    def may(self, capability: Capability) -> bool:
        """Whether the mediator who unlocked may do this (e.g. MAINTENANCE needs an admin)."""
        return self.actor is not None and not self.relock.expired() and can(self.actor.role, capability)

    def journal(self, actor: str, action: str, **details: str) -> None:
        """Record an action; a journal that cannot be written is logged, never shown to the visitor.

        The actions that close mediator mode (CLOSING_ACTIONS) also lock the gate."""
        if action in CLOSING_ACTIONS:
            self.lock()
        try:
            self._journal.append(actor, action, details)
        except JournalError:
            log.exception("journal: %s by %s not recorded", action, actor)


def throttle_state(entries: Sequence[dict[str, object]], wall_now: float) -> tuple[int, int, float]:
    """(failures, lockouts, seconds still to wait) from the journal's newest entries, so that a restart
    does not give an attacker a fresh set of tries. Counts since a mediator last acted (any entry of a
    mediator's id means a right code was typed)."""
    failures = lockouts = 0
    wait = 0.0
    for entry in entries:
        action = entry.get("action")
        if entry.get("actor") != SYSTEM_ACTOR:
            failures = lockouts = 0
            wait = 0.0
        elif action in ("unlock_failed", "locked_out"):
            details = entry.get("details")
            wait_s = details.get("wait_s", "0") if isinstance(details, dict) else "0"
            try:
                when = dt.datetime.strptime(str(entry.get("time")), "%Y-%m-%dT%H:%M:%SZ")
                at = when.replace(tzinfo=dt.UTC).timestamp()
                wait = min(float(wait_s), max(0.0, at + float(wait_s) - wall_now))
            except ValueError:
                wait = float(wait_s) if str(wait_s).isdigit() else 0.0
            if action == "locked_out":
                lockouts, failures = lockouts + 1, 0
            else:
                failures += 1
    return failures, lockouts, wait
