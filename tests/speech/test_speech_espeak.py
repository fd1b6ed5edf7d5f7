"""The real read-aloud path: espeak-ng synthesis, a player command, interruption, privacy, volume."""

from __future__ import annotations

import os
import select
from pathlib import Path

import pytest
from speech_helpers import measure  # noqa: E402

from kiosk.i18n import Translators
from kiosk.i18n.languages import LANGUAGES
from kiosk.speech.engines import EspeakSpeech, Segment, SpeakStatus

WELCOME = "Welcome. This terminal helps you with your residence procedures."
VOICED = [code for code, lang in LANGUAGES.items() if lang.voice]
MIN_RMS = 300.0        # 16-bit samples; espeak speech is in the thousands, silence is 0


def played(sink: Path, speech: EspeakSpeech) -> Path:
    assert speech.wait(10), "the utterance did not end"
    assert speech.current is not None and not speech.current.error, speech.current
    return sink / speech.current.wav.name


@pytest.mark.parametrize("code", VOICED)
@pytest.mark.usefixtures("ui_catalogs")
def test_each_voice_says_the_welcome_sentence_audibly(code: str, espeak: EspeakSpeech, sink: Path) -> None:
    sentence = Translators(None).get(code).tr(WELCOME)
    assert code == "en" or sentence != WELCOME, f"{code}: the welcome sentence is not translated"
    result = espeak.speak([sentence], LANGUAGES[code])
    assert result.status is SpeakStatus.SPEAKING
    duration, rms = measure(played(sink, espeak))
    assert duration > 0.3 and rms > MIN_RMS, f"{code}: {duration:.2f} s, RMS {rms:.0f}"


def test_the_registry_voices_exist_in_espeak(espeak: EspeakSpeech) -> None:
    missing = [code for code in VOICED if not espeak.has_voice(LANGUAGES[code])]
    assert missing == []
    assert not espeak.has_voice(LANGUAGES["ps"]) and not espeak.has_voice(LANGUAGES["wo"])


@pytest.mark.parametrize("code", ["ps", "wo"])
def test_a_language_without_voice_says_so_and_offers_others(code: str, espeak: EspeakSpeech,
                                                            sink: Path) -> None:
    result = espeak.speak(["Salam"], LANGUAGES[code])
    assert result.no_voice and result.message
    assert result.alternatives and all(espeak.has_voice(LANGUAGES[a]) for a in result.alternatives)
    assert result.alternatives[0] == LANGUAGES[code].listen_in[0]
    assert espeak.current is None and list(sink.iterdir()) == []


def test_personal_segments_are_not_said_on_the_loudspeaker(tmp_path: Path, espeak: EspeakSpeech,
                                                           sink: Path) -> None:
    french = LANGUAGES["fr"]
    assert espeak.speak([Segment("4521 8890", personal=True)], french).status is SpeakStatus.NOTHING
    assert espeak.current is None
    espeak.speak(["Votre numéro."], french)
    alone = played(sink, espeak).read_bytes()
    espeak.speak(["Votre numéro.", Segment("4521 8890", personal=True)], french)
    assert played(sink, espeak).read_bytes() == alone
    headset = EspeakSpeech(tmp_path / "headset", player=["cp", "-t", str(sink)], headset=True)
    try:
        headset.speak(["Votre numéro.", Segment("4521 8890", personal=True)], french)
        assert measure(played(sink, headset))[0] > measure(sink / "utterance-2.wav")[0] + 0.5
    finally:
        headset.close()


def wait_line(fd: int) -> str:
    ready, _, _ = select.select([fd], [], [], 10)
    assert ready, "the player did not start"
    return os.read(fd, 4096).decode()


def test_a_new_utterance_interrupts_the_previous_one(tmp_path: Path, sink: Path) -> None:
    fifo = tmp_path / "started"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    keep_open = os.open(fifo, os.O_WRONLY)      # so the reader never sees end-of-file
    # A "long" player: tells the test it started, then plays for a minute unless it is stopped.
    player = ["sh", "-c", f'cp "$1" {sink}/ && echo "$1" > {fifo} && exec sleep 60', "player"]
    speech = EspeakSpeech(tmp_path / "run", player=player)
    try:
        speech.speak(["Première phrase, assez longue."], LANGUAGES["fr"])
        first = speech.current
        assert first is not None and "utterance-1.wav" in wait_line(fd)
        assert speech.speaking
        speech.speak(["Deuxième phrase."], LANGUAGES["fr"])
        assert first.done.is_set() and first.cancelled
        assert first.process is not None and first.process.returncode is not None
        assert first.process.returncode < 0                       # killed, not finished
        assert "utterance-2.wav" in wait_line(fd) and speech.speaking
        second = speech.current
        speech.stop()
        assert not speech.speaking and second is not None and second.process is not None
        assert second.process.returncode is not None and second.process.returncode < 0
    finally:
        speech.close()
        os.close(fd)
        os.close(keep_open)


def test_repeat_says_the_last_utterance_again(espeak: EspeakSpeech, sink: Path) -> None:
    assert espeak.repeat().status is SpeakStatus.NOTHING
    espeak.speak(["Bonjour."], LANGUAGES["fr"])
    first = played(sink, espeak).read_bytes()
    assert espeak.repeat().status is SpeakStatus.SPEAKING
    assert played(sink, espeak).name == "utterance-2.wav"
    assert played(sink, espeak).read_bytes() == first


def test_volume_changes_loudness_and_the_session_end_resets_it(espeak: EspeakSpeech, sink: Path) -> None:
    french = LANGUAGES["fr"]
    espeak.speak(["Bonjour."], french)
    normal = measure(played(sink, espeak))[1]
    espeak.set_volume(40)
    espeak.speak(["Bonjour."], french)
    quiet = measure(played(sink, espeak))[1]
    assert quiet < normal * 0.6
    espeak.reset()
    assert espeak.volume == espeak.default_volume
    assert list(espeak.directory.rglob("*.wav")) == [] and espeak.repeat().status is SpeakStatus.NOTHING
    espeak.speak(["Bonjour."], french)
    assert measure(played(sink, espeak))[1] == pytest.approx(normal, rel=0.01)


def test_on_finished_is_called_when_an_utterance_ends_by_itself(tmp_path: Path, sink: Path) -> None:
    ended: list[bool] = []
    speech = EspeakSpeech(tmp_path / "run", player=["cp", "-t", str(sink)],
                          on_finished=lambda: ended.append(True))
    try:
        speech.speak(["Bonjour."], LANGUAGES["fr"])
        assert speech.wait(10)
        assert ended == [True] and not speech.speaking
    finally:
        speech.close()


def test_a_missing_player_is_reported_not_raised(tmp_path: Path) -> None:
    speech = EspeakSpeech(tmp_path / "run", player=[str(tmp_path / "no-such-player")])
    try:
        assert speech.speak(["Bonjour."], LANGUAGES["fr"]).status is SpeakStatus.SPEAKING
        assert speech.wait(10)
        assert speech.current is not None and "cannot run" in speech.current.error
    finally:
        speech.close()
