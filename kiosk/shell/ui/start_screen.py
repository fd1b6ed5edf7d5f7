"""Start-up in two steps: the attract screen is painted first, the rest of the kiosk is built after.

Importing and building the whole kiosk (content pack, image pipeline, receipts, mediator, keyring…)
takes over a second; the screen would stay black all that time. `start()` shows the real attract page
in a window of its own within a few hundred milliseconds, then, once it is painted, imports and builds
the kiosk, shows its window at the same place and closes the start window. A touch on the start window
while the kiosk is being built is not lost: the visit starts as soon as the kiosk is ready.

Only light modules are imported here (Qt widgets, the configuration, the UI catalogs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QVBoxLayout

from kiosk.config import Config
from kiosk.i18n import Translators, pseudo
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.theme import Appearance
from kiosk.visit.ui.attract import AttractPage

if TYPE_CHECKING:
    from kiosk.app import Kiosk

log = logging.getLogger(__name__)


class StartWindow(KioskWindow):
    """The attract page alone, styled as the kiosk; remembers a touch."""

    def __init__(self, config: Config, fullscreen: bool) -> None:
        super().__init__(fullscreen)
        self.touched = False
        Appearance(self.setStyleSheet)
        translators = Translators(None, pseudo.languages(config.languages.pseudo))
        self.page = AttractPage(translators.get, config.languages.offered, config.terminal.site_name,
                                demo=config.demo, default=config.languages.default)
        self.page.touched.connect(self._on_page_touched)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)

    def _on_page_touched(self) -> None:
        self.touched = True

    def after_first_paint(self, then: Callable[[], None]) -> None:
        self._first_paint = _FirstPaint(then)
        self.page.installEventFilter(self._first_paint)


class _FirstPaint(QObject):
    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then: Callable[[], None] | None = then

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            QTimer.singleShot(0, then)          # after this paint has reached the screen
        return False


def start(config: Config, fullscreen: bool, build_kiosk: Callable[[], Kiosk],
          ready: Callable[[Kiosk], None] | None = None) -> StartWindow:
    """Show the start window now; once it is painted, call `build_kiosk` (the composition root, which
    imports the heavy part only then), hand the kiosk to `ready`, show it."""
    window = StartWindow(config, fullscreen)

    def build() -> None:
        try:
            kiosk = build_kiosk()
        except Exception:
            # Never an attract screen that looks alive and answers nothing: leave, and let the
            # service manager start the kiosk again (the unit restarts it; the error is in the journal).
            log.critical("the kiosk could not be built", exc_info=True)
            QApplication.exit(1)
            return
        if ready is not None:
            ready(kiosk)
        kiosk.show()
        QApplication.processEvents()            # touches queued during the build reach the start window
        window.allow_close = True
        window.close()
        window.deleteLater()
        if window.touched:
            kiosk.controller.touch_start()

    window.after_first_paint(build)
    window.show_like_a_kiosk(config.display.width, config.display.height)
    return window
