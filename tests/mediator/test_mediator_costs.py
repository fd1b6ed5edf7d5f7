"""The mediator panel lists the guide's payments: every figure with its source and date read, the ones
no primary source verifies marked NOT VERIFIED (the visitor's screen shows no amount for them)."""

from __future__ import annotations

from fakes import FakeGate
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFrame, QLabel

from kiosk.mediator.ui.assist import Assist


def unlock(qtbot, kiosk) -> Assist:  # noqa: ANN001
    assist = Assist(kiosk.window, kiosk.window, FakeGate(), "fr", check_ms=60000)
    widget = kiosk.window.top_bar.site_label
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assist._hold._timer.timeout.emit()        # the 3-second hold, without waiting 3 seconds
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    for key in "2468":
        assist.pin.press(key)
    assist.pin.press("OK")
    return assist


def test_the_panel_shows_every_payment_and_marks_the_unverified(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons["ar"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)
    assist = unlock(qtbot, kiosk)
    costs = assist.panel.costs
    assert costs.isVisible()
    heading, verified, secondary = costs.text().split("\n")[:3]
    assert heading == "Paiements de ce guide (pour le médiateur)"            # the mediator's language
    assert verified.startswith("Timbre fiscal : \u2068225,00\u00a0€\u2069, depuis le 1 mai 2021 (")
    assert secondary.startswith("Droit de timbre sur la carte : \u206850,00\u00a0€\u2069 — NON VÉRIFIÉ")
    assert "avant : \u206825,00\u00a0€\u2069" in secondary and "lu le 8 décembre 2026" in secondary
    assert costs.text().endswith("\u206825 € avant le 1er mai 2026.\u2069")
    assist.lock("relocked")
    kiosk.controller.next()
    kiosk.controller.choose("one")                       # the visitor's checklist: no secondary figure
    card = w.stack.currentWidget().findChild(QFrame, "costs")
    shown = [label.text() for label in card.findChildren(QLabel)]
    assert not any("50" in text for text in shown), shown
