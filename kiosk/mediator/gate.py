"""The mediator gate: who may unlock, when to wait, when mediator mode closes, and the journal.

Implements the `MediatorGate` protocol the UI (kiosk/ui/mediator.py) talks to:
`unlock(code) -> Unlock`, `touch()`, `expired()`, `journal(actor, action, **details)`.
Failed unlocks and lockouts are journaled here (actor "kiosk"); the code typed is never written or logged.
"""

from __future__ import annotations

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
