"""The page contract: every page can show itself in any language and forget everything."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.i18n import Translator


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
