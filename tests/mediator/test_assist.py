"""Helper-assist mode through the real UI (gate faked here; its rules are tested in tests/mediator)."""

from __future__ import annotations

import datetime as dt

from fakes import FakeGate
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.mediator.ui.assist import Assist


def start_assist(kiosk, qtbot):  # noqa: ANN001, ANN201
    gate = FakeGate()
    assist = Assist(kiosk.window, kiosk.window, gate, "fr", check_ms=60000)
    return gate, assist


def hold(qtbot, widget, assist) -> None:  # noqa: ANN001
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assist._hold._timer.timeout.emit()        # the 3-second hold, without waiting 3 seconds
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def type_code(assist, code: str) -> None:  # noqa: ANN001
    for key in code:
        assist.pin.press(key)
    assist.pin.press("OK")


def test_unlock_assist_and_hand_back(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    gate, assist = start_assist(kiosk, qtbot)
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons["ar"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)
    hold(qtbot, w.top_bar.site_label, assist)
    assert assist.pin.isVisible() and assist.pin.title.text() == "Accès médiateur"
    type_code(assist, "1111")
    assert "Attendez" in assist.pin.message.text() and assist.actor is None
    type_code(assist, "2468")
    assert assist.panel.isVisible() and not assist.pin.isVisible()
    assert "med-01" in assist.panel.title.text()
    jump = assist.panel.findChild(object, "jump_docs")
    qtbot.mouseClick(jump, Qt.MouseButton.LeftButton)
    assert kiosk.visit.state.step.id == "docs"
    qtbot.mouseClick(assist.panel.findChild(object, "mlang_en"), Qt.MouseButton.LeftButton)
    assert kiosk.visit.language == "en" and kiosk.visit.state.step.id == "docs"
    qtbot.mouseClick(assist.panel.consent, Qt.MouseButton.LeftButton)
    assert assist.consent.isVisible() and assist.consent.yes.text() == "Yes, the mediator can help me"
    qtbot.mouseClick(assist.consent.yes, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(assist.panel.hand_back, Qt.MouseButton.LeftButton)
    assert not assist.panel.isVisible() and assist.actor is None
    actions = [a for _, a, _ in gate.entries]
    assert actions == ["unlocked", "jump", "language", "consent_given", "handed_back"]
    assert gate.entries[1][2] == {"step": "docs"} and gate.entries[2][2] == {"language": "en"}


def test_relock_after_inactivity_and_end_visit(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    gate, assist = start_assist(kiosk, qtbot)
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    hold(qtbot, w.top_bar.site_label, assist)
    type_code(assist, "2468")
    gate.is_expired = True
    assist.check_expiry()
    assert not assist.panel.isVisible() and assist.actor is None
    hold(qtbot, w.top_bar.site_label, assist)
    type_code(assist, "2468")
    assist.panel.note.setText("note-planted-93")
    assist.panel.note.textEdited.emit("note-planted-93")
    assert kiosk.sessions.current.references == ["note-planted-93"]
    qtbot.mouseClick(assist.panel.end_visit, Qt.MouseButton.LeftButton)
    assert not kiosk.visit.active and w.stack.currentWidget() is w.attract
    assert not assist.panel.isVisible() and assist.panel.note.text() == ""
    assert "note-planted-93" not in repr(gate.entries)
    assert [a for _, a, _ in gate.entries] == ["unlocked", "relocked", "unlocked", "end_visit", "handed_back"]


def test_pin_pad_reports_lockout(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    _, assist = start_assist(kiosk, qtbot)
    hold(qtbot, kiosk.window.attract.site_label, assist)
    for _ in range(3):
        type_code(assist, "0000")
    assert "Trop de codes faux" in assist.pin.message.text()


def test_the_panel_says_a_guide_past_its_age_is_being_rechecked(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    checked = kiosk.pack.procedures["alpha"].checked
    for days, shown in ((1, False), (10_000, True)):
        assist = Assist(w, w, FakeGate(), "fr", check_ms=60000, recheck_after_days=180,
                        today=lambda d=days: checked + dt.timedelta(days=d))
        if not kiosk.visit.active:
            qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(w.language_page.buttons["fr"], Qt.MouseButton.LeftButton)
            qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)
        hold(qtbot, w.top_bar.site_label, assist)
        type_code(assist, "2468")
        assert assist.panel.recheck.isVisible() is shown
        if shown:
            assert "re-check" in assist.panel.recheck.text() or "vérif" in assist.panel.recheck.text()
        assist.lock("relocked")
