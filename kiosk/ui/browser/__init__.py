"""The locked browser: QtWebEngine view, per-visitor off-the-record profile, refusal of escapes.

Pure rules (allow-list, schemes, guide-step matching) live in kiosk.browser_policy.
"""

from kiosk.ui.browser.widget import LockedBrowser

__all__ = ["LockedBrowser"]
