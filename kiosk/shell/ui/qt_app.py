"""The QApplication of the kiosk and the environment Qt needs before it exists. Light on purpose:
the start screen is painted before the rest of the kiosk is imported (kiosk.shell.ui.start_screen)."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

# Harmless on the offscreen platform used by tests and screenshots.
QUIET_QT_MESSAGES = {"This plugin does not support propagateSizeHints()"}


def prepare_environment() -> None:
    """Environment Qt needs before the QApplication exists."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def _route_qt_messages() -> None:
    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if message in QUIET_QT_MESSAGES:
            return
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def application(argv: list[str] | None = None) -> QApplication:
    prepare_environment()
    # QtWebEngine is imported when the site is first opened, after the QApplication exists: it needs
    # contexts shared from the start (what importing it first would have set).
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    _route_qt_messages()
    app.setApplicationName("pan-kiosk")
    app.setFont(QFont(["Noto Sans", "Noto Sans Arabic", "Noto Sans Tamil", "Noto Sans Bengali",
                       "WenQuanYi Micro Hei"], 14))
    return app


__all__ = ["application", "prepare_environment"]
