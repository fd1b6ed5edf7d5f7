"""What assistive technology is told, as Qt's accessibility interfaces say it (offscreen): headings,
dialogs and alerts, the page hidden under an overlay, where the focus goes on each screen change and
overlay, and the idle warning said by the kiosk's own voice. tests/shell/test_atspi_visit.py checks the
same through a real AT-SPI client, with the announcements."""

from __future__ import annotations

import wave
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import config as config_mod
from kiosk.i18n.languages import LANGUAGES
from kiosk.speech.chime import RATE, chime_frames
from kiosk.speech.engines import EspeakSpeech, Said
from kiosk.speech.setup import speech_for
from kiosk.ui.overlays import Overlay


def iface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None
    return found


def name(widget: QWidget) -> str:
    return iface(widget).text(QAccessible.Text.Name)


def focus(kiosk) -> QWidget | None:  # noqa: ANN001
    QApplication.processEvents()
    return kiosk.window.focusWidget()


def start(kiosk, language: str = "fr") -> None:  # noqa: ANN001
    kiosk.window.activateWindow()
    kiosk.controller.touch_start()
    kiosk.controller.choose_language(language)
    kiosk.controller.choose_procedure("alpha")


def test_each_new_screen_puts_the_focus_on_its_title_a_level_1_heading(make_kiosk) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    start(kiosk)
    title = kiosk.window.router.info_page._title
    assert focus(kiosk) is title and title.text() == "Bienvenue"
    heading = iface(title)
    assert heading.role() == QAccessible.Role.Heading and name(title) == "Bienvenue"
    attributes = heading.attributesInterface()
    assert attributes is not None and attributes.attributeValue(QAccessible.Attribute.Level) == 1
    kiosk.window.bottom_bar.help_button.setFocus()
    kiosk.window.update_view()                       # the same screen again: the focus stays
    assert focus(kiosk) is kiosk.window.bottom_bar.help_button
    kiosk.controller.next()
    question = kiosk.window.router.question_page
    assert focus(kiosk) is question._title and name(question._title) == "Quelle branche ?"
    kiosk.controller.back()
    assert focus(kiosk) is title


def test_an_overlay_is_a_named_modal_dialog_the_page_under_it_hidden(make_kiosk) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    start(kiosk, "ar")
    w = kiosk.window
    window = iface(w)
    shown = {window.child(i).object() for i in range(window.childCount())}
    assert w.stack in shown and w.bottom_bar in shown
    finish = w.bottom_bar.finish_button
    finish.setFocus()
    w.open_finish_confirmation()
    dialog = iface(w.confirm_overlay)
    title = w.translator.tr("Finish your visit?")
    assert dialog.role() == QAccessible.Role.Dialog
    assert name(w.confirm_overlay) == title != "Finish your visit?"
    assert dialog.state().modal and w.confirm_overlay.accessibleName() == title
    assert [window.child(i).object() for i in range(window.childCount())] == [w.confirm_overlay]
    assert window.indexOfChild(dialog) == 0 and window.indexOfChild(iface(w.stack)) == -1
    assert focus(kiosk) is w.confirm_overlay._title
    for _ in range(6):                                # Tab goes round the dialog's controls only
        QApplication.sendEvent(w.focusWidget(), _tab())
        assert w.confirm_overlay.isAncestorOf(focus(kiosk))
    w.confirm_overlay.cancelled.emit()
    assert focus(kiosk) is finish                     # back where it was
    assert w.stack in {window.child(i).object() for i in range(window.childCount())}


def test_the_idle_warning_is_an_alert_said_aloud_though_read_aloud_is_off(make_kiosk, clock) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[devices]\nalert_volume = 170\n[languages]\noffered = ["fr", "ps", "ar"]\n')
    start(kiosk, "ps")                                # Pashto has no voice: said in Dari, its listen-in
    w = kiosk.window
    assert w.read_aloud is not None and not w.read_aloud.on
    w.bottom_bar.help_button.setFocus()
    clock.advance(kiosk.config.session.idle_timeout_s + 1)
    kiosk.controller.tick()
    alert = iface(w.idle_overlay)
    assert alert.role() == QAccessible.Role.AlertMessage
    assert name(w.idle_overlay) == w.translator.tr("Are you still there?")
    assert focus(kiosk) is w.idle_overlay._more
    said = w.read_aloud.speech.said
    fa = w.translators("fa")
    assert said[-1] == Said("fa", said[-1].text, 170, chime=True)
    assert said[-1].text.split("\n") == [fa.tr("Are you still there?"), said[-1].text.split("\n")[1],
                                         fa.tr("I need more time")]
    kiosk.controller.tick()                           # the countdown goes on: said once
    assert said[-1].chime and len([s for s in said if s.chime]) == 1
    w.idle_overlay.more_time_requested.emit()
    assert not w.idle_overlay.isVisible() and focus(kiosk) is w.bottom_bar.help_button


def test_an_alert_is_the_chime_then_the_sentence_at_the_alert_volume(tmp_path: Path) -> None:
    sink = tmp_path / "sink"
    sink.mkdir()
    speech = EspeakSpeech(tmp_path / "run", player=["cp", "-t", str(sink)], alert_volume=60)
    speech.set_volume(190)                            # the visitor's volume is not the alert's
    assert speech.alert(["Êtes-vous toujours là ?"], LANGUAGES["fr"]).status.value == "speaking"
    assert speech.wait(20)
    with wave.open(str(next(sink.glob("utterance-*.wav"))), "rb") as wav:
        assert wav.getframerate() == RATE
        frames = wav.readframes(wav.getnframes())
    assert frames.startswith(chime_frames(60)) and len(frames) > len(chime_frames(60)) + RATE
    no_voice = speech.alert(["Ignored"], LANGUAGES["ps"])
    assert no_voice.no_voice and "fa" in no_voice.alternatives
    speech.close()


def test_alert_volume_is_a_device_option_passed_to_the_speech(tmp_path: Path) -> None:
    assert config_mod.parse("", "t.toml").devices.alert_volume == 100
    config = config_mod.parse(f'[session]\nroot = "{tmp_path}"\n[devices]\nspeech = "simulated"\n'
                              'alert_volume = 140\n', "t.toml")
    speech = speech_for(config)
    assert speech is not None and speech.alert_volume == 140
    try:
        config_mod.parse("[devices]\nalert_volume = 0\n", "t.toml")
    except config_mod.ConfigError as exc:
        assert "alert_volume" in str(exc)
    else:
        raise AssertionError("a silent alert was accepted")


def test_overlays_of_other_capabilities_are_named_by_their_title(make_kiosk) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    start(kiosk)
    printing = kiosk.window.print_overlay
    printing.busy(kiosk.window.translator)
    assert isinstance(printing, Overlay) and name(printing) == "Votre reçu"
    assert iface(printing).role() == QAccessible.Role.Dialog and focus(kiosk) is printing.title
    printing.hide()
    assert focus(kiosk) is kiosk.window.router.info_page._title


def _tab() -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
