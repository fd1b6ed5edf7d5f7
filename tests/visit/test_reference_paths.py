"""Data paths: the number the visitor notes for the receipt is the same whatever put it in the field (the
kiosk's keyboard, a hardware keyboard, a paste, an assistive technology's text interface), and its
digits are kept as 0-9 whatever digits the visitor's script writes. The receipt is made from the
visit's model (kiosk.app's make_receipt), and the printed receipt says the same."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLineEdit
from screen_input import click

from kiosk.content.model import StepKind
from kiosk.shell import keyboards as kb
from kiosk.visit.session import EndReason
from kiosk.visit.ui.controller import latin_digits


def to_end(kiosk, qtbot, language: str) -> QLineEdit:  # noqa: ANN001
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons[language])
    click(qtbot, w.procedure_page.buttons["alpha"])
    kiosk.controller.next()
    kiosk.controller.choose("two")
    assert kiosk.visit.state.step.kind is StepKind.END
    field = w.router.end_page.reference_field
    click(qtbot, field)
    qtbot.waitUntil(lambda: field.hasFocus() and w.keyboard.isVisible())
    return field


def by_accessibility(kiosk, field: QLineEdit, text: str) -> None:  # noqa: ANN001
    """An AT-SPI client's EditableText.InsertText (as a braille display or dictation does)."""
    iface = QAccessible.queryAccessibleInterface(field).editableTextInterface()
    iface.insertText(0, text)


def by_paste(kiosk, field: QLineEdit, text: str) -> None:  # noqa: ANN001
    QGuiApplication.clipboard().setText(text)
    field.paste()


def by_hardware_keyboard(kiosk, field: QLineEdit, text: str) -> None:  # noqa: ANN001
    """Key events with their text through the window, as an Arabic or Persian keyboard layout sends
    them (QTest's key clicks know Latin keys only)."""
    window, plain = kiosk.window.windowHandle(), Qt.KeyboardModifier.NoModifier
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QGuiApplication.sendEvent(window, QKeyEvent(kind, Qt.Key.Key_unknown, plain, char))


def by_kiosk_keyboard(kiosk, field: QLineEdit, text: str) -> None:  # noqa: ANN001
    keyboard = kiosk.window.keyboard
    for char in text:
        if char.isdecimal() and keyboard.layout_name != "numeric":
            keyboard.press(kb.NUMBERS)
        elif not char.isdecimal() and keyboard.layout_name == "numeric":
            keyboard.press(kb.SWITCH)
        keyboard.press(char.lower())


SOURCES: dict[str, Callable[..., None]] = {
    "accessibility": by_accessibility, "paste": by_paste, "hardware": by_hardware_keyboard,
    "kiosk keyboard": by_kiosk_keyboard}


@pytest.mark.parametrize(("source", "typed", "language"), [
    ("accessibility", "٢٠٢٦-٤٥", "ar"), ("paste", "۲۰۲۶-۴۵", "fa"), ("hardware", "٢٠٢٦-۴۵", "ar"),
    ("kiosk keyboard", "2026-45", "fr")])
def test_the_receipt_has_the_number_whatever_typed_it(make_kiosk, qtbot, source: str, typed: str,  # noqa: ANN001
                                                       language: str) -> None:
    kiosk = make_kiosk()
    field = to_end(kiosk, qtbot, language)
    SOURCES[source](kiosk, field, typed)
    assert field.text() == typed                                  # what the visitor sees is theirs
    assert kiosk.sessions.current.references == ["2026-45"]      # what is kept is the prefecture's
    data, _directory = kiosk.window._make_receipt()
    assert [reference.value for reference in data.references] == ["2026-45"]
    field.clear()                                                 # cleared, by any means: nothing noted
    assert kiosk.sessions.current.references == []
    kiosk.controller.end(EndReason.FINISHED)


def test_the_printed_receipt_reads_the_model(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    printer = kiosk.window.printing.printer
    printer.print_s = 0.0
    field = to_end(kiosk, qtbot, "ar")
    by_accessibility(kiosk, field, "A-١٧٣")
    page = kiosk.window.router.end_page
    iface = QAccessible.queryAccessibleInterface(page.print_button)
    with qtbot.waitSignal(kiosk.window.printing.finished, timeout=20000):     # Press, as an AT does
        iface.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    pdf = kiosk.sessions.current.directory / "receipt.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "A-173" in text and "١٧٣" not in text
    kiosk.controller.end(EndReason.FINISHED)


def test_latin_digits() -> None:
    assert latin_digits("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ০১২ ௧௨ ０９ 42") == "0123456789 0123456789 012 12 09 42"
    assert latin_digits("AB-½²௰") == "AB-½²௰"                   # not decimal digits: as written
