"""The mediator panel's note for the receipt reaches the visit whatever typed it (issue 19 point 4):
text set through the field's text interface (what an assistive technology or the kiosk's keyboard
does: QLineEdit.setText, no textEdited), a paste, typing; and locking the panel, which empties the
field, leaves the note on the receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_assist import hold, start_assist, type_code


def unlocked(kiosk, qtbot):  # noqa: ANN001, ANN201
    w = kiosk.window
    gate, assist = start_assist(kiosk, qtbot)
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    hold(qtbot, w.top_bar.site_label, assist)
    type_code(assist, "2468")
    assert assist.panel.isVisible() and assist.actor is not None
    return gate, assist


def test_the_note_is_read_from_the_field_whatever_typed_it(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    _, assist = unlocked(kiosk, qtbot)
    note = assist.panel.note
    note.setText("AT-SET-4417")                     # the text interface: no keystroke at all
    assert kiosk.sessions.current.references == ["AT-SET-4417"]
    note.clear()
    QGuiApplication.clipboard().setText("PASTED-٢٠٢٦")
    note.paste()
    assert kiosk.sessions.current.references == ["PASTED-2026"]    # digits as the prefecture reads them
    QGuiApplication.clipboard().clear()
    note.clear()
    qtbot.keyClicks(note, "TYPED-77")
    assert kiosk.sessions.current.references == ["TYPED-77"]


def test_locking_the_panel_empties_the_field_but_keeps_the_note(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    gate, assist = unlocked(kiosk, qtbot)
    assist.panel.note.setText("KEEP-ME-12")
    qtbot.mouseClick(assist.panel.hand_back, Qt.MouseButton.LeftButton)
    assert assist.actor is None and assist.panel.note.text() == ""
    assert kiosk.sessions.current.references == ["KEEP-ME-12"]
    assert "KEEP-ME-12" not in repr(gate.entries)           # never in the journal
