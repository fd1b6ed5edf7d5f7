"""The kiosk's own on-screen keyboard: types into the focused field, never covers it, forgets it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, Qt

from kiosk.content.model import StepKind
from kiosk.shell import keyboards as kb

PLANTED = "REF-7Q3Z-planted"


def go_to_end(kiosk, qtbot, language: str) -> None:  # noqa: ANN001
    w = kiosk.window
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons[language], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)
    kiosk.controller.next()
    kiosk.controller.choose("two")
    assert kiosk.visit.state.step.kind is StepKind.END


def test_typing_a_reference_with_the_keyboard(make_kiosk, qtbot, caplog, tmp_path) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    kiosk = make_kiosk()
    w = kiosk.window
    go_to_end(kiosk, qtbot, "ar")
    field = w.step_pages[StepKind.END].reference_field
    assert not w.keyboard.isVisible()
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.keyboard.isVisible)
    assert w.keyboard.layout_name == "arabic"
    w.keyboard.press(kb.SWITCH)                      # Latin letters for a file number
    assert w.keyboard.layout_name == kb.LATIN
    for key in "ref-":
        qtbot.mouseClick(w.keyboard.keys[key], Qt.MouseButton.LeftButton)
    w.keyboard.press(kb.NUMBERS)
    for key in "73":
        w.keyboard.press(key)
    w.keyboard.press(kb.BACKSPACE)
    assert field.text() == "ref-7" and field.hasFocus()
    qtbot.waitUntil(lambda: field.visibleRegion().boundingRect().height() == field.height())
    top_of_keyboard = w.keyboard.mapTo(w, QPoint(0, 0)).y()
    assert field.mapTo(w, QPoint(0, field.height())).y() <= top_of_keyboard   # never covered
    field.setText(PLANTED)
    field.textEdited.emit(PLANTED)
    assert kiosk.sessions.current.references == [PLANTED]
    kiosk.controller.end(kiosk_reason())
    assert field.text() == "" and not w.keyboard.isVisible()
    assert PLANTED not in caplog.text
    assert PLANTED not in (tmp_path / "state" / "counters.csv").read_text()


def kiosk_reason():  # noqa: ANN201
    from kiosk.visit.session import EndReason
    return EndReason.FINISHED


def test_layouts_are_complete() -> None:
    for name, rows in kb.LAYOUTS.items():
        keys = [k for row in rows for k in row]
        assert len(keys) == len(set(keys)), name
        assert kb.BACKSPACE in keys and kb.SPACE in keys, name
    for language in ("fr", "ar", "fa", "ps", "ru", "uk", "tr"):
        assert kb.layout_for(language) in kb.LAYOUTS


def test_keys_are_lower_in_landscape_but_still_a_touch_target(make_kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    kiosk = make_kiosk()
    w = kiosk.window
    go_to_end(kiosk, qtbot, "fr")
    qtbot.mouseClick(w.step_pages[StepKind.END].reference_field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.keyboard.isVisible)
    heights = {}
    for name, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        w.resize(*size)
        for _ in range(3):
            QApplication.processEvents()
        heights[name] = w.keyboard.keys["a"].height()
    assert 44 <= heights["landscape"] < heights["portrait"], heights
