"""Idle warning, 'I need more time', and the wipe, driven by a fake clock (no sleeping)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from screen_input import touch

from kiosk.visit.visit import Screen

CONFIG = """
[session]
idle_timeout_s = 60
warning_s = 20
extension_s = 30
max_extensions = 10
"""


def start(kiosk, qtbot) -> None:
    qtbot.mouseClick(kiosk.window.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.window.language_page.buttons["fr"], Qt.MouseButton.LeftButton)


def test_warning_then_wipe(make_kiosk, qtbot, clock, tmp_path) -> None:
    kiosk = make_kiosk(CONFIG.replace("[session]", f'[session]\nroot = "{tmp_path}/s"'))
    start(kiosk, qtbot)
    directory = kiosk.sessions.current.directory
    clock.advance(59)
    kiosk.controller.tick()
    assert not kiosk.window.idle_overlay.isVisible()
    clock.advance(2)
    kiosk.controller.tick()
    overlay = kiosk.window.idle_overlay
    assert overlay.isVisible() and overlay._more.isVisible()
    assert "19" in overlay._count.text()
    clock.advance(19)
    kiosk.controller.tick()
    assert kiosk.visit.screen is Screen.ATTRACT and not directory.exists()
    assert not overlay.isVisible()


def test_input_before_the_warning_postpones_it(make_kiosk, qtbot, clock) -> None:
    kiosk = make_kiosk(CONFIG)
    start(kiosk, qtbot)
    clock.advance(50)
    touch(kiosk.window.bottom_bar.help_button)                  # input through the window, as from the screen
    clock.advance(50)
    kiosk.controller.tick()
    assert not kiosk.window.idle_overlay.isVisible() and kiosk.visit.active


def test_more_time_at_least_ten_times_then_no_more(make_kiosk, qtbot, clock) -> None:
    kiosk = make_kiosk(CONFIG)
    start(kiosk, qtbot)
    overlay = kiosk.window.idle_overlay
    for _ in range(10):
        clock.advance(61)
        kiosk.controller.tick()
        assert overlay.isVisible() and overlay._more.isVisible()
        qtbot.mouseClick(overlay._more, Qt.MouseButton.LeftButton)
        assert not overlay.isVisible()
        clock.advance(29)                     # the extension gives at least 20 s more
        kiosk.controller.tick()
        assert kiosk.visit.active and not overlay.isVisible()
        clock.advance(-29)
    clock.advance(61)
    kiosk.controller.tick()
    assert overlay.isVisible() and not overlay._more.isVisible()   # extensions used up
    clock.advance(20)
    kiosk.controller.tick()
    assert not kiosk.visit.active
