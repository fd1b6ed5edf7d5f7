"""Simulated read-aloud (demo, training, UI tests): records what it was asked to say."""

from __future__ import annotations

from kiosk.i18n import isolate
from kiosk.i18n.languages import LANGUAGES
from kiosk.speech.engines import Said, Segment, SimulatedSpeech, SpeakStatus, spoken_text


def test_records_what_it_says_without_personal_data() -> None:
    speech = SimulatedSpeech()
    result = speech.speak(["Votre numéro :", Segment("AB 1234", personal=True), "Merci."], LANGUAGES["fr"])
    assert result.status is SpeakStatus.SPEAKING
    assert speech.said == [Said("fr", "Votre numéro :\nMerci.", 100)]


def test_a_headset_terminal_says_personal_segments() -> None:
    speech = SimulatedSpeech(headset=True)
    speech.speak(["Votre numéro :", Segment("AB 1234", personal=True)], LANGUAGES["fr"])
    assert speech.said[-1].text == "Votre numéro :\nAB 1234"


def test_isolates_and_direction_marks_are_not_read() -> None:
    text = spoken_text([f"الرقم {isolate('F2209')} \u200f  هنا"], headset=False)
    assert text == "الرقم F2209 هنا"


def test_no_voice_offers_languages_that_have_one() -> None:
    speech = SimulatedSpeech(voices={"fr", "en"})
    result = speech.speak(["سلام"], LANGUAGES["ps"])
    assert result.no_voice and result.alternatives == ("en", "fr")
    assert speech.said == []
    assert SimulatedSpeech(voices=set()).speak(["x"], LANGUAGES["fr"]).alternatives == ()


def test_every_speak_interrupts_and_reset_restores_the_defaults() -> None:
    speech = SimulatedSpeech()
    speech.set_volume(150)
    speech.speak(["Un."], LANGUAGES["fr"])
    speech.speak(["Deux."], LANGUAGES["fr"])
    assert speech.stops == 2 and speech.said[-1].volume == 150
    assert speech.repeat().status is SpeakStatus.SPEAKING and speech.said[-1].text == "Deux."
    speech.set_volume(1000)
    assert speech.volume == 200
    speech.reset()
    assert speech.volume == 100 and speech.resets == 1
    assert speech.repeat().status is SpeakStatus.NOTHING
