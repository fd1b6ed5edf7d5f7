"""The locked browser: QtWebEngine view, per-visitor off-the-record profile, refusal of escapes.

Pure rules (allow-list, schemes, guide-step matching) live in kiosk.browser.policy. `LockedBrowser` is
imported on first use (QtWebEngine is heavy; the kiosk loads it when a visitor first opens the site).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.browser.ui.widget import LockedBrowser

__all__ = ["LockedBrowser"]


def __getattr__(name: str) -> Any:
    if name == "LockedBrowser":
        from kiosk.browser.ui.widget import LockedBrowser

        return LockedBrowser
    raise AttributeError(name)
