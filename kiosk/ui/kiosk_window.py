"""A top-level window that behaves as a kiosk: full-screen on the whole screen (or a window of the
configured size for development), refusing to close or leave full-screen until the kiosk allows it.
The start window and the main window are both such windows; this is the one place that does it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QWidget


class KioskWindow(QWidget):
    def __init__(self, fullscreen: bool) -> None:
        super().__init__()
        self.fullscreen_mode = fullscreen
        self.allow_close = not fullscreen
        self.setWindowTitle("PAN Kiosk")
        self.setObjectName("main_window")
        if fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)

    def show_like_a_kiosk(self, width: int, height: int) -> None:
        """Full-screen over the primary screen (its geometry first: without a window manager Qt keeps
        the size hint), or a window of `width` × `height`; then active (without a window manager nothing
        else gives it the keyboard focus, which screen readers follow)."""
        if self.fullscreen_mode:
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.resize(width, height)
            self.show()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if self.fullscreen_mode and not self.allow_close and not self.isFullScreen() and self.isVisible():
            self.showFullScreen()
