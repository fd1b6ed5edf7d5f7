"""Where the focus goes, and what is announced, when the kiosk shows another screen (for screen readers).

A new screen (another page, another step of the guide, the visit's end): the focus goes to the page's
title, a level-1 heading, and the change is announced ("Step 2 of 5: <title>" on a step of the guide,
the title elsewhere). Re-rendering the same screen (a language switch, French shown too) moves nothing.
While an overlay is open, the focus stays in it and the new page's title becomes where it returns.
Overlays move the focus in and out themselves (kiosk.ui.overlays.Overlay).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import Qt

from kiosk.ui.accessibility import announce, refresh
from kiosk.ui.overlays import Overlay
from kiosk.ui.page import Page


class ScreenFocus:
    def __init__(self, overlays: Callable[[], list[Overlay]]) -> None:
        self._overlays = overlays
        self._screen: Hashable = None

    def shown(self, page: Page, screen: Hashable, announcement: Callable[[str], str]) -> None:
        """`page` shows `screen` (equal keys: the same screen); `announcement(title)` is what to say."""
        if screen == self._screen:
            return
        self._screen = screen
        refresh(page.window())                   # the window's own interface: hides what overlays cover
        heading = page.heading()
        title = " ".join(heading.text().split()) if heading is not None else ""
        covering = [o for o in self._overlays() if o.isVisible() and o.window() is page.window()]
        if covering:
            for overlay in covering:
                overlay.return_focus_to(heading)
            return
        if heading is not None:
            heading.setFocus(Qt.FocusReason.OtherFocusReason)
        announce(heading if heading is not None else page, announcement(title))
