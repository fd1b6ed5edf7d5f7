"""Recorded voices (Wolof): keys, joining clips, the audio script, and reading a screen from recordings
through real espeak-ng-made WAV files and the kiosk's speech adapter."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk.i18n.languages import LANGUAGES
from kiosk.speech.engines import EspeakSpeech, Segment, SpeakStatus
from kiosk.speech.recordings import RecordingBook, join_wavs, key, script


def record(book: RecordingBook, language: str, text: str) -> Path:
    """A stand-in for a speaker's recording: espeak-ng's French voice saying the text."""
    folder = book.folder(language)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key(language, text)}.wav"
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(path), text], check=True, timeout=30)
    return path


def test_key_follows_the_text_not_its_invisible_marks_or_spacing() -> None:
    assert key("wo", "Dalal  ak jàmm") == key("wo", "\u2068Dalal ak jàmm\u2069\n")
    assert key("wo", "Dalal ak jàmm") != key("wo", "Dalal ak jàmm!") != key("ps", "Dalal ak jàmm")


def test_script_lists_each_text_once_and_marks_placeholders(tmp_path: Path) -> None:
    book = RecordingBook(tmp_path)
    record(book, "wo", "Tëj")
    lines = script("wo", [("Tëj", "kiosk: Close"), ("Tëj", "again"), ("Jéego {n}", "kiosk: Step {n}")], book)
    assert [(x.text, x.recordable, x.recorded) for x in lines] == [("Tëj", True, True),
                                                                   ("Jéego {n}", False, False)]


def test_join_wavs_keeps_every_clip_in_order(tmp_path: Path) -> None:
    book = RecordingBook(tmp_path)
    a, b = record(book, "wo", "un"), record(book, "wo", "deux trois quatre")
    out = tmp_path / "joined.wav"
    join_wavs([a, b], out, pause_s=0.5)
    frames = [wave.open(str(p), "rb").getnframes() for p in (a, b, out)]
    rate = wave.open(str(a), "rb").getframerate()
    assert frames[2] == frames[0] + frames[1] + int(rate * 0.5)


def test_a_fully_recorded_screen_is_played_and_a_partly_recorded_one_offers_french(tmp_path: Path) -> None:
    book = RecordingBook(tmp_path / "audio")
    screen = ["Dalal ak jàmm", "Tànnal sa làkk"]
    for text in screen:
        record(book, "wo", text)
    sink = tmp_path / "played"
    sink.mkdir()
    speech = EspeakSpeech(tmp_path / "work", player=["cp", "-t", str(sink)], recordings=book)
    wolof = LANGUAGES["wo"]
    assert speech.has_voice(wolof) and not speech.synthesises(wolof)
    result = speech.speak([Segment(t) for t in screen], wolof)
    assert result.status is SpeakStatus.SPEAKING and speech.wait(30)
    [played] = sink.glob("*.wav")
    with wave.open(str(played), "rb") as joined:
        assert joined.getnframes() > sum(wave.open(str(book.clip("wo", t)), "rb").getnframes()
                                         for t in screen)
    missing = speech.speak([Segment(screen[0]), Segment("Xët wu bees")], wolof)
    assert missing.no_voice and missing.alternatives[0] == "fr"
    speech.close()


@pytest.mark.parametrize("code", ["wo"])
def test_audio_script_command_covers_ui_and_content(code: str, tmp_path: Path) -> None:
    out = tmp_path / "script.csv"
    done = subprocess.run([sys.executable, "-m", "kiosk", "i18n", "audio-script", code, "--out", str(out)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "kiosk: Close" in text and "content: " in text and ",no," in text   # placeholders listed
    assert text.splitlines()[1].split(",")[1] == "Wolof"       # first: its name, for the language page
