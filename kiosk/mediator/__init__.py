"""Mediator mode without Qt: accounts and unlock rules, the tamper-evident journal, help requests.

The UI (kiosk/mediator/ui/panel.py, kiosk/mediator/ui/assist.py) talks to `Gate` through its
`MediatorGate` protocol and to `HelpQueue` for the "I need help" button; `kiosk/app.py` builds
them with `build_gate` and `build_help`.
"""

from __future__ import annotations

from kiosk.mediator.auth import (
    Account,
    Capability,
    RelockPolicy,
    Role,
    Throttle,
    ThrottlePolicy,
    can,
    hash_code,
    load_accounts,
)
from kiosk.mediator.errors import AccountError, HelpDeliveryError, JournalError, MediatorError
from kiosk.mediator.gate import Gate, Unlock
from kiosk.mediator.help import HelpChannel, HelpRequest, MatrixChannel, SimulatedChannel, WebhookChannel
from kiosk.mediator.help_queue import HelpQueue, HelpState, HelpWorker, RetryPolicy
from kiosk.mediator.journal import Journal

__all__ = [
    "Account", "AccountError", "Capability", "Gate", "HelpChannel", "HelpDeliveryError", "HelpQueue",
    "HelpRequest", "HelpState", "HelpWorker", "Journal", "JournalError", "MatrixChannel", "MediatorError",
    "RelockPolicy", "RetryPolicy", "Role", "SimulatedChannel", "Throttle", "ThrottlePolicy", "Unlock",
    "WebhookChannel", "can", "hash_code", "load_accounts",
]
