"""No text is clipped or overflows, portrait and landscape, at normal and at the largest text size."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.paths import DEFAULT_PACK
from kiosk.shell.ui.screens import tour
from kiosk.ui.widgets import WrapButton

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def clipped(window) -> list[str]:  # noqa: ANN001
    problems = []
    for lbl in window.findChildren(QLabel):
        if not lbl.isVisible() or not lbl.text() or (lbl.pixmap() is not None and not lbl.pixmap().isNull()):
            continue
        rect = lbl.contentsRect()
        if lbl.wordWrap():
            need = lbl.heightForWidth(rect.width())
            if need > rect.height() + 2:
                problems.append(f"label {lbl.text()[:40]!r}: needs {need}px height, has {rect.height()}")
        else:
            need = max(lbl.fontMetrics().horizontalAdvance(line) for line in lbl.text().split("\n"))
            if need > rect.width() + 2:
                problems.append(f"label {lbl.text()[:40]!r}: needs {need}px width, has {rect.width()}")
    for button in window.findChildren(QPushButton):
        if not button.isVisible():
            continue
        if isinstance(button, WrapButton):
            continue                                  # its inner label is checked above
        if button.text():
            need = button.fontMetrics().horizontalAdvance(button.text()) + button.iconSize().width()
            if need > button.width() - 8:
                problems.append(f"button {button.text()[:40]!r}: needs {need}px width, has {button.width()}")
    return problems


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("scale_steps", [0, 2])
@pytest.mark.parametrize("language", ["fr", "ar", "en", "qps", "qps-rtl"])
def test_nothing_clipped(make_kiosk, language: str, scale_steps: int, orientation: str) -> None:
    kiosk = make_kiosk("[languages]\npseudo = true\n", pack=DEFAULT_PACK)
    kiosk.window.resize(*SIZES[orientation])
    for _ in range(scale_steps):
        kiosk.window.appearance.next_text_size()
    problems: set[str] = set()
    for screen in tour(kiosk, language, ["renewal"]):
        for _ in range(3):                 # let nested height-for-width layouts settle
            QApplication.processEvents()
        problems |= {f"{screen}: {p}" for p in clipped(kiosk.window)}
    assert not problems, "\n".join(sorted(problems)[:15])
