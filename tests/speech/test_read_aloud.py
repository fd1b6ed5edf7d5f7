"""Read-aloud through the real window: the speaker button, automatic reading, no-voice languages, privacy."""

from __future__ import annotations

from pathlib import Path

from screen_input import click, start_procedure

from kiosk.visit.session import EndReason


def test_speaker_reads_the_screen_then_every_new_screen(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    ra = w.read_aloud
    speech = ra.speech
    start_procedure(kiosk, qtbot, "en")
    assert speech.said == []                       # nothing is read before the visitor asks
    click(qtbot, ra.button)
    first = speech.said[-1]
    assert first.language == "en" and w.stack.currentWidget()._title.text() in first.text
    assert "Step 1 of" in first.text                # the bars are read too
    click(qtbot, w.stack.currentWidget()._next)
    qtbot.waitUntil(lambda: len(speech.said) == 2)  # read by itself once read-aloud is on
    question = w.stack.currentWidget()
    assert all(b.text() in speech.said[-1].text for b in question.answer_buttons)
    click(qtbot, w.bottom_bar.help_button)
    qtbot.waitUntil(lambda: len(speech.said) == 3)
    assert "raise your hand" in speech.said[-1].text     # the open overlay is what is read
    kiosk.controller.end(EndReason.FINISHED)
    assert not ra.on and speech.resets == 1


def test_what_the_visitor_typed_is_never_read(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    start_procedure(kiosk, qtbot, "en")
    click(qtbot, w.stack.currentWidget()._next)
    click(qtbot, w.stack.currentWidget().answer_buttons[0])
    click(qtbot, w.stack.currentWidget()._next)               # -> end step
    end = w.stack.currentWidget()
    qtbot.keyClicks(end.reference_field, "ZX-PLANTED-991")
    click(qtbot, w.read_aloud.button)
    said = w.read_aloud.speech.said[-1].text
    assert end._title.text() in said and "ZX-PLANTED-991" not in said


def test_a_language_without_voice_offers_listening_in_another(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[languages]\noffered = ["fr", "en", "ps", "fa"]\n')
    w = kiosk.window
    ra = w.read_aloud
    start_procedure(kiosk, qtbot, "ps")
    click(qtbot, ra.button)
    assert ra.speech.said == [] and ra.no_voice_bar.isVisible()
    choice = ra.no_voice_bar.findChild(object, "listen_in_fa")
    assert choice is not None and "دری" in choice.text()
    click(qtbot, choice)
    said = ra.speech.said[-1]
    fa_title = w.stack.currentWidget()._title.text()
    assert said.language == "fa" and not ra.no_voice_bar.isVisible()
    page = w.stack.currentWidget()
    assert page._next.text() == w.translators("ps").tr("Continue")   # the screen stays in Pashto
    assert w.translators("fa").tr("Continue") in said.text           # but was read in Dari
    assert fa_title in said.text


def test_espeak_really_speaks_and_the_wipe_deletes_the_sound(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[devices]\nspeech = "espeak"\n')
    w = kiosk.window
    speech = w.read_aloud.speech
    start_procedure(kiosk, qtbot, "fr")
    click(qtbot, w.read_aloud.button)
    assert speech.wait(30)
    sounds = list(Path(speech.directory).rglob("*.wav"))
    assert sounds and all(f.stat().st_size > 10_000 for f in sounds)
    assert sounds[0].read_bytes()[:4] == b"RIFF"
    kiosk.controller.end(EndReason.FINISHED)
    assert list(Path(speech.directory).rglob("*.wav")) == []
