"""Touch targets, accessible names and roles, visible focus, on every screen of the tour."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk.paths import DEFAULT_PACK
from kiosk.shell.ui.screens import tour

MIN_TARGET = 44
ROLES = {QAbstractButton: {QAccessible.Role.Button, QAccessible.Role.CheckBox},
         QLineEdit: {QAccessible.Role.EditableText}}


def interactive(window) -> list[QWidget]:  # noqa: ANN001
    return [w for w in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit)
            if w.isVisible() and w.isEnabled()]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_control_is_big_enough_named_and_has_a_role(make_kiosk, language: str) -> None:
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    problems: set[str] = set()
    seen = 0
    for screen in tour(kiosk, language, ["renewal"]):
        QApplication.processEvents()
        for widget in interactive(kiosk.window):
            seen += 1
            name = widget.objectName() or type(widget).__name__
            if widget.width() < MIN_TARGET or widget.height() < MIN_TARGET:
                problems.add(f"{screen}: {name} is {widget.width()}x{widget.height()}")
            iface = QAccessible.queryAccessibleInterface(widget)
            if iface is None or not iface.text(QAccessible.Text.Name).strip():
                problems.add(f"{screen}: {name} has no accessible name")
            wanted = next(roles for cls, roles in ROLES.items() if isinstance(widget, cls))
            if iface is not None and iface.role() not in wanted:
                problems.add(f"{screen}: {name} has role {iface.role()}")
    assert seen > 100
    assert not problems, "\n".join(sorted(problems)[:20])


def test_focus_is_visible_in_both_themes(make_kiosk) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    for _ in range(2):
        sheet = kiosk.window.styleSheet()
        assert "QPushButton:focus" in sheet and "QLineEdit:focus" in sheet
        kiosk.window.appearance.toggle_contrast()
