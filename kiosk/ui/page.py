"""The page contract: every page can show itself in any language and forget everything."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.i18n import Translator
from kiosk.ui.accessibility import HEADING_LEVEL, mark_heading, refresh


class Page(QWidget):
    def retranslate(self, tr: Translator) -> None:
        """Show every text in the language of `tr` (called on each language switch)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget everything of the visitor (called by the session wipe)."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        """True when nothing of a visitor is shown (checked after the wipe)."""
        return True

    def heading(self) -> QLabel | None:
        """The page's title, a level-1 heading: where the focus goes when the page shows. The label
        marked with kiosk.ui.accessibility.mark_heading, else the first title shown (made a heading)."""
        titles = [w for w in self.findChildren(QLabel) if w.isVisibleTo(self) and w.text()]
        marked = [w for w in titles if w.property(HEADING_LEVEL) == 1]
        if marked:
            refresh(marked[0])
            return marked[0]
        first = next((w for w in titles if w.property("role") in ("title", "attract")), None)
        return mark_heading(first) if first is not None else None
