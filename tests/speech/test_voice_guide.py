"""The kiosk's voice for visitors who cannot read (issue 19 point 5), through the real window: on the
language page a touch says the language's name in that language and highlights it, a second touch
chooses it, and read-aloud then guides from the first screen in that language; a language without a
voice answers with the chime and is still chosen; a screen reader's press or a key chooses at once and
leaves read-aloud off; the terminal can turn either part off; the speaker button still silences it."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtTest import QTest
from screen_input import click, touch

from kiosk.speech.chime import chime_frames
from kiosk.speech.engines import Said
from kiosk.visit.session import EndReason
from kiosk.visit.ui.language import HINT, TOUCH_AGAIN
from kiosk.visit.visit import Screen

GUIDE = '[devices]\nsay_language_names = true\n'


def to_language_page(kiosk, qtbot):  # noqa: ANN001, ANN201
    w = kiosk.window
    click(qtbot, w.attract._start)
    assert w.stack.currentWidget() is w.language_page
    return w.language_page


def test_a_touch_says_the_name_a_second_touch_chooses_and_the_voice_guides(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE + '[languages]\noffered = ["fr", "en", "ar"]\n')
    w, speech = kiosk.window, kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    assert page._hint.isVisible() and page._hint.text() == w.translators("fr").tr(HINT)
    touch(page.buttons["ar"])                                        # as a touch screen delivers it
    assert speech.said[-1] == Said("ar", "العربية", 100)           # in Arabic, by the Arabic voice
    assert w.stack.currentWidget() is page and page.selected == "ar"
    ar = page.buttons["ar"]
    assert ar.property("role") == "primary"                          # highlighted
    assert w.translators("ar").tr(TOUCH_AGAIN) in ar.text() and ar.accessibleName() == "العربية"
    touch(page.buttons["en"])                                        # another language: that one, said
    assert speech.said[-1] == Said("en", "English", 100)
    assert page.selected == "en" and ar.property("role") == "" and ar.text() == "العربية"
    assert kiosk.controller.visit.language == "fr" and not w.read_aloud.on   # nothing chosen yet
    before = len(speech.said)
    touch(page.buttons["en"])                                        # the second touch chooses
    assert kiosk.controller.visit.language == "en" and kiosk.controller.visit.screen is Screen.PROCEDURE
    assert w.read_aloud.on and w.read_aloud.button.isChecked()
    qtbot.waitUntil(lambda: len(speech.said) == before + 1)         # the first screen, read by itself
    assert speech.said[-1].language == "en" and "What do you want to do today?" in speech.said[-1].text
    click(qtbot, next(iter(w.procedure_page.buttons.values())))
    qtbot.waitUntil(lambda: len(speech.said) == before + 2)         # and every screen after it
    assert w.stack.currentWidget()._title.text() in speech.said[-1].text
    assert len(speech.said) == before + 2                            # once each
    kiosk.controller.end(EndReason.FINISHED)
    assert not w.read_aloud.on and page.selected is None


def finger(widget) -> None:  # noqa: ANN001
    """A finger on a touch screen: touch events, which Qt turns into the button's click."""
    window, device = widget.window().windowHandle(), QTest.createTouchDevice()
    point = widget.mapTo(widget.window(), widget.rect().center())
    QTest.touchEvent(window, device).press(0, point, window).commit()
    QTest.touchEvent(window, device).release(0, point, window).commit()


def test_a_finger_on_a_touch_screen_gets_the_same(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE)
    speech = kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    finger(page.buttons["ar"])
    qtbot.waitUntil(lambda: page.selected == "ar")
    assert speech.said[-1] == Said("ar", "العربية", 100)
    finger(page.buttons["ar"])
    qtbot.waitUntil(lambda: kiosk.controller.visit.screen is Screen.PROCEDURE)
    assert kiosk.controller.visit.language == "ar" and kiosk.window.read_aloud.on


def test_a_language_without_voice_answers_with_the_chime_and_is_still_chosen(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE + '[languages]\noffered = ["fr", "ps", "wo"]\n')
    w, speech = kiosk.window, kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    click(qtbot, page.buttons["ps"])
    assert speech.said[-1] == Said("", "", 100, chime=True)         # the chime alone, no other voice
    assert all(s.text == "" for s in speech.said) and page.selected == "ps"
    assert w.translators("ps").tr(TOUCH_AGAIN) in page.buttons["ps"].text()
    click(qtbot, page.buttons["ps"])
    assert kiosk.controller.visit.language == "ps" and kiosk.controller.visit.screen is Screen.PROCEDURE
    assert not w.read_aloud.on                  # nothing it could read: the speaker offers Dari instead
    assert all(s.text == "" for s in speech.said)


def test_a_screen_readers_press_or_a_key_chooses_at_once_and_the_voice_stays_off(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE)
    w, speech = kiosk.window, kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    action = QAccessible.queryAccessibleInterface(page.buttons["ar"]).actionInterface()
    action.doAction(QAccessibleActionInterface.pressAction())        # what AT-SPI's "press" does
    qtbot.waitUntil(lambda: kiosk.controller.visit.screen is Screen.PROCEDURE)
    assert kiosk.controller.visit.language == "ar" and speech.said == [] and not w.read_aloud.on
    click(qtbot, w.top_bar.language_button)
    assert w.stack.currentWidget() is page
    page.buttons["en"].setFocus()
    qtbot.keyClick(page.buttons["en"], Qt.Key.Key_Space)            # a hardware keyboard
    assert kiosk.controller.visit.language == "en" and speech.said == [] and not w.read_aloud.on


def test_the_terminal_can_turn_each_part_off(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[devices]\nsay_language_names = false\n')
    page = to_language_page(kiosk, qtbot)
    assert not page._hint.isVisible()
    click(qtbot, page.buttons["en"])                                 # one touch chooses, nothing said
    assert kiosk.controller.visit.language == "en" and kiosk.window.read_aloud.speech.said == []
    assert not kiosk.window.read_aloud.on
    kiosk = make_kiosk(GUIDE + 'read_aloud_from_start = false\n')
    speech = kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    click(qtbot, page.buttons["en"])
    click(qtbot, page.buttons["en"])
    assert kiosk.controller.visit.language == "en" and [s.text for s in speech.said] == ["English"]
    assert not kiosk.window.read_aloud.on                            # the name said, the guide silent


def test_the_speaker_button_silences_the_voice_and_turns_it_back_on(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE)
    w = kiosk.window
    ra, speech = w.read_aloud, w.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    click(qtbot, page.buttons["en"])
    click(qtbot, page.buttons["en"])
    qtbot.waitUntil(lambda: len(speech.said) == 2)
    speech.talking = True                        # it is still reading the screen
    click(qtbot, ra.button)
    assert not ra.on and not ra.button.isChecked() and not speech.talking
    click(qtbot, next(iter(w.procedure_page.buttons.values())))
    qtbot.wait(50)
    assert len(speech.said) == 2                 # silent from now on
    click(qtbot, ra.button)                      # silent: a press reads this screen and turns it on
    assert ra.on and ra.button.isChecked() and len(speech.said) == 3


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def test_espeak_says_the_name_in_its_own_voice_and_chimes_for_pashto(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    kiosk = make_kiosk(GUIDE + 'speech = "espeak"\n[languages]\noffered = ["fr", "ar", "ps"]\n')
    speech = kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    click(qtbot, page.buttons["ar"])
    assert speech.wait(30)
    said = speech.current.wav
    expected = tmp_path / "ar.wav"
    subprocess.run(["espeak-ng", "-v", "ar", "-a", "100", "-w", str(expected), "--stdin"],
                   input="العربية".encode(), check=True, timeout=30)
    assert _frames(said) == _frames(expected)                  # the Arabic voice saying «العربية»
    click(qtbot, page.buttons["ps"])
    assert speech.wait(30)
    assert _frames(speech.current.wav) == chime_frames(100)    # Pashto: the chime, no other voice
    click(qtbot, page.buttons["ps"])
    assert kiosk.controller.visit.language == "ps"


def test_a_recorded_name_is_played_for_a_language_espeak_cannot_say(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    """Wolof has no synthetic voice: once a speaker recorded its name (`pan-kiosk i18n audio-script wo`
    lists it first), a touch plays that recording instead of the chime."""
    from kiosk.speech.chime import write_chime
    from kiosk.speech.recordings import key

    recordings = tmp_path / "audio"
    (recordings / "wo").mkdir(parents=True)
    clip = write_chime(recordings / "wo" / f"{key('wo', 'Wolof')}.wav", 37)   # stands for the recording
    kiosk = make_kiosk(GUIDE + f'speech = "espeak"\nrecordings = "{recordings}"\n'
                       '[languages]\noffered = ["fr", "wo"]\n')
    speech = kiosk.window.read_aloud.speech
    page = to_language_page(kiosk, qtbot)
    click(qtbot, page.buttons["wo"])
    assert speech.wait(30)
    assert _frames(speech.current.wav) == _frames(clip)
