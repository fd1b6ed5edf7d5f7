"""Read-aloud: the `Speech` protocol, espeak-ng speech played by a player command, and simulated speech.

What a screen says is a list of `Segment`s. A segment marked `personal=True` (a name, a file number, an
address) is never said on the loudspeaker; it is said only when the terminal is configured with a
headset (`headset=True`). Every call to `speak` interrupts what was being said; `stop` silences;
`repeat` says the last utterance again; `reset` (a session wipe step) stops, forgets the last utterance,
deletes the sound files and puts the volume back to the default.

A language whose `voice` is None (or whose voice espeak-ng lacks) is never read with another language's
voice: `speak` returns a `SpeakResult` with status NO_VOICE, a msgid that says so, and the languages
to offer instead (`Language.listen_in`, those that have a voice).

`EspeakSpeech` synthesises a WAV with `espeak-ng --stdin -w` (20–40 ms a sentence) into a private
temporary directory inside the directory it is given, then plays it with a player command (`paplay`,
`aplay -q`, or, with no audio device, `cp -t <sink>`: a file sink). Both run off the caller's thread;
`on_finished` is called from that worker thread when an utterance ends by itself.

`alert` says something that cannot wait (the idle warning), whether or not the visitor turned read-aloud
on: a chime (kiosk.speech.chime), then the sentence, both at the terminal's `alert_volume`; the chime
alone in a language without a voice.

`chime` plays the chime alone at the visitor's volume: what the language page gives for a touched
language the kiosk cannot say (kiosk.speech.ui.ReadAloud.say_language_name).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from kiosk.i18n import N_
from kiosk.i18n.languages import LANGUAGES, Language
from kiosk.speech.chime import write_chime
from kiosk.speech.recordings import RecordingBook, join_wavs

log = logging.getLogger(__name__)

NO_VOICE_MESSAGE = N_("The kiosk cannot read this language aloud. You can listen in another language.")
LISTEN_IN = N_("Listen in {language}")
DEFAULT_VOLUME = 100           # percent; espeak-ng amplitude 100 is its default loudness
MAX_VOLUME = 200
_INVISIBLE = re.compile("[\u2066-\u2069\u200e\u200f\u202a-\u202e]")   # isolates, marks, embeddings


@dataclass(frozen=True)
class Segment:
    """A piece of what a screen says. `personal` text is said only through a headset."""

    text: str
    personal: bool = False


class SpeakStatus(StrEnum):
    SPEAKING = "speaking"      # started (EspeakSpeech) or recorded (SimulatedSpeech)
    NO_VOICE = "no-voice"      # this language has no voice: say so, offer `alternatives`
    NOTHING = "nothing"        # nothing may be said (empty, or only personal text on the loudspeaker)


@dataclass(frozen=True)
class SpeakResult:
    status: SpeakStatus
    language: str
    alternatives: tuple[str, ...] = ()     # language codes to offer when status is NO_VOICE
    message: str = ""                      # msgid to show (translate with Translator.tr) when NO_VOICE

    @property
    def no_voice(self) -> bool:
        return self.status is SpeakStatus.NO_VOICE


class Speech(Protocol):
    """What the UI needs from read-aloud. Every method returns quickly (work runs elsewhere)."""

    @property
    def volume(self) -> int: ...
    @property
    def alert_volume(self) -> int: ...
    @property
    def speaking(self) -> bool: ...
    def has_voice(self, language: Language) -> bool: ...
    def speak(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult: ...
    def alert(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult: ...
    def chime(self) -> None: ...
    def stop(self) -> None: ...
    def repeat(self) -> SpeakResult: ...
    def set_volume(self, percent: int) -> None: ...
    def reset(self) -> None: ...


def spoken_text(segments: Sequence[Segment | str], headset: bool) -> str:
    """The text that may be said: personal segments only through a headset, invisible marks removed."""
    parts = []
    for segment in segments:
        seg = segment if isinstance(segment, Segment) else Segment(segment)
        if seg.personal and not headset:
            continue
        text = " ".join(_INVISIBLE.sub("", seg.text).split())
        if text:
            parts.append(text)
    return "\n".join(parts)


class _SpeechBase:
    """What both implementations share: segment filtering, no-voice results, volume, last utterance."""

    def __init__(self, headset: bool, default_volume: int, alert_volume: int = DEFAULT_VOLUME) -> None:
        self.headset = headset
        self.default_volume = _clamp(default_volume)
        self._volume = self.default_volume
        self._alert_volume = _clamp(alert_volume)
        self._last: tuple[tuple[Segment | str, ...], Language] | None = None

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def alert_volume(self) -> int:
        """The loudness of alerts, set per terminal ([devices] alert_volume); the visitor's volume
        buttons do not change it."""
        return self._alert_volume

    def _alert_text(self, segments: Sequence[Segment | str], language: Language) -> str:
        """What an alert says after its chime: nothing in a language without a voice."""
        return spoken_text(segments, self.headset) if self.has_voice(language) else ""

    def _alert_result(self, text: str, language: Language) -> SpeakResult:
        return SpeakResult(SpeakStatus.SPEAKING, language.code) if text else self._no_voice(language)

    def set_volume(self, percent: int) -> None:
        self._volume = _clamp(percent)

    def has_voice(self, language: Language) -> bool:
        raise NotImplementedError

    def speak(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult:
        raise NotImplementedError

    def repeat(self) -> SpeakResult:
        if self._last is None:
            return SpeakResult(SpeakStatus.NOTHING, "")
        segments, language = self._last
        return self.speak(segments, language)

    def _prepare(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult | str:
        """The text to say, or the result to return at once (no voice, nothing to say)."""
        self._last = (tuple(segments), language)
        if not self.has_voice(language):
            return self._no_voice(language)
        text = spoken_text(segments, self.headset)
        return text or SpeakResult(SpeakStatus.NOTHING, language.code)

    def _no_voice(self, language: Language) -> SpeakResult:
        alternatives = tuple(code for code in (*language.listen_in, "fr", "en")
                             if code in LANGUAGES and code != language.code
                             and self.has_voice(LANGUAGES[code]))
        return SpeakResult(SpeakStatus.NO_VOICE, language.code, tuple(dict.fromkeys(alternatives)),
                           NO_VOICE_MESSAGE)

    def _forget(self) -> None:
        self._last = None
        self._volume = self.default_volume


@dataclass(frozen=True)
class Said:
    language: str
    text: str
    volume: int
    chime: bool = False        # an alert: the chime, then the text


class SimulatedSpeech(_SpeechBase):
    """Records what it was asked to say (demo, training, tests). Says it instantly.

    `voices`: the voices it pretends to have; None means every registry language with a `voice`.
    An empty set behaves like a terminal without read-aloud.
    """

    def __init__(self, voices: set[str] | None = None, headset: bool = False,
                 default_volume: int = DEFAULT_VOLUME, alert_volume: int = DEFAULT_VOLUME) -> None:
        super().__init__(headset, default_volume, alert_volume)
        self._voices = voices
        self.said: list[Said] = []
        self.stops = 0
        self.resets = 0
        self.talking = False          # tests set it: "still speaking" (it says everything instantly)

    @property
    def speaking(self) -> bool:
        return self.talking

    def has_voice(self, language: Language) -> bool:
        return language.voice is not None and (self._voices is None or language.voice in self._voices)

    def speak(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult:
        self.stop()
        prepared = self._prepare(segments, language)
        if isinstance(prepared, SpeakResult):
            return prepared
        self.said.append(Said(language.code, prepared, self.volume))
        return SpeakResult(SpeakStatus.SPEAKING, language.code)

    def alert(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult:
        self.stop()
        text = self._alert_text(segments, language)
        self.said.append(Said(language.code, text, self.alert_volume, chime=True))
        return self._alert_result(text, language)

    def chime(self) -> None:
        self.stop()
        self.said.append(Said("", "", self.volume, chime=True))

    def stop(self) -> None:
        self.stops += 1
        self.talking = False

    def reset(self) -> None:
        self.stop()
        self._forget()
        self.resets += 1


@dataclass
class Utterance:
    """One thing being said: synthesis, then playback, each a child process that `stop` can kill."""

    number: int
    wav: Path
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    process: subprocess.Popen[bytes] | None = None
    error: str = ""


def default_player(sink: Path) -> list[str]:
    """paplay when a PulseAudio/PipeWire server answers, aplay when ALSA has a playback device,
    otherwise a file sink (the WAV is copied into `sink`)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if shutil.which("paplay") and (os.environ.get("PULSE_SERVER")
                                   or (runtime and Path(runtime, "pulse", "native").exists())):
        return ["paplay"]
    snd = Path("/dev/snd")
    if shutil.which("aplay") and snd.is_dir() and any(snd.glob("pcmC*p")):
        return ["aplay", "-q"]
    log.info("no audio device: speech goes to a file sink")
    sink.mkdir(parents=True, exist_ok=True)
    return ["cp", "-t", str(sink)]


class EspeakSpeech(_SpeechBase):
    """espeak-ng synthesis into `work_dir/<private tmp>/utterance-N.wav`, played by `player` + [wav].

    `player`: the command that plays a WAV given as last argument; None picks `default_player`.
    `on_finished`: called (from a worker thread) when an utterance ended by itself, not when stopped.
    """

    def __init__(self, work_dir: Path, player: Sequence[str] | None = None, headset: bool = False,
                 default_volume: int = DEFAULT_VOLUME, espeak: str = "espeak-ng",
                 on_finished: Callable[[], None] | None = None,
                 recordings: RecordingBook | None = None, alert_volume: int = DEFAULT_VOLUME) -> None:
        super().__init__(headset, default_volume, alert_volume)
        work_dir.mkdir(parents=True, exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix="speech-", dir=work_dir))
        self.player = list(player) if player is not None else default_player(self.directory / "played")
        self._espeak = espeak
        self._on_finished = on_finished
        self._lock = threading.Lock()
        self._current: Utterance | None = None
        self._count = 0
        self._languages: frozenset[str] | None = None
        self.recordings = recordings

    @property
    def speaking(self) -> bool:
        current = self._current
        return current is not None and not current.done.is_set()

    @property
    def current(self) -> Utterance | None:
        return self._current

    def voices(self) -> frozenset[str]:
        """The language names espeak-ng has voices for (`espeak-ng --voices`, read once)."""
        if self._languages is None:
            try:
                out = subprocess.run([self._espeak, "--voices"], capture_output=True, text=True,
                                     check=True, timeout=10).stdout
            except (OSError, subprocess.SubprocessError):
                log.warning("espeak-ng is not usable: no voice at all")
                out = ""
            self._languages = frozenset(line.split()[1] for line in out.splitlines()[1:]
                                        if len(line.split()) > 1)
        return self._languages

    def synthesises(self, language: Language) -> bool:
        voice = language.voice
        return voice is not None and any(name == voice or name.startswith(voice + "-")
                                         for name in self.voices())

    def has_voice(self, language: Language) -> bool:
        """espeak-ng speaks it, or a speaker recorded it (kiosk.speech.recordings)."""
        return self.synthesises(language) or (
            self.recordings is not None and self.recordings.has_language(language.code))

    def speak(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult:
        self.stop()
        prepared = self._prepare(segments, language)
        if isinstance(prepared, SpeakResult):
            return prepared
        clips = None
        if not self.synthesises(language):
            assert self.recordings is not None
            clips = self.recordings.clips(language.code, prepared.split("\n"))
            if not clips:
                return self._no_voice(language)       # part of this screen was never recorded
        with self._lock:
            self._count += 1
            utterance = Utterance(self._count, self.directory / f"utterance-{self._count}.wav")
            self._current = utterance
        if clips is not None:
            join_wavs(clips, utterance.wav)
            target, args = self._play, (utterance,)
        else:
            assert language.voice is not None
            command = [self._espeak, "-v", language.voice, "-a", str(self.volume), "-w",
                       str(utterance.wav), "--stdin"]
            target, args = self._run, (utterance, command, prepared)   # type: ignore[assignment]
        threading.Thread(target=target, args=args, daemon=True, name=f"speech-{utterance.number}").start()
        return SpeakResult(SpeakStatus.SPEAKING, language.code)

    def alert(self, segments: Sequence[Segment | str], language: Language) -> SpeakResult:
        self.stop()
        text = self._alert_text(segments, language) if self.synthesises(language) else ""
        with self._lock:
            self._count += 1
            utterance = Utterance(self._count, self.directory / f"utterance-{self._count}.wav")
            self._current = utterance
        threading.Thread(target=self._alert, args=(utterance, language.voice, text), daemon=True,
                         name=f"speech-{utterance.number}").start()
        return self._alert_result(text, language)

    def chime(self) -> None:
        """The chime alone at the visitor's volume, played off the caller's thread."""
        self.stop()
        with self._lock:
            self._count += 1
            utterance = Utterance(self._count, self.directory / f"utterance-{self._count}.wav")
            self._current = utterance
        write_chime(utterance.wav, self.volume)
        threading.Thread(target=self._play, args=(utterance,), daemon=True,
                         name=f"speech-{utterance.number}").start()

    def _alert(self, utterance: Utterance, voice: str | None, text: str) -> None:
        """The chime, then the sentence synthesised at the alert volume, as one WAV; played."""
        clips = [write_chime(utterance.wav.with_suffix(".chime.wav"), self.alert_volume)]
        try:
            if text and voice is not None:
                said = utterance.wav.with_suffix(".text.wav")
                command = [self._espeak, "-v", voice, "-a", str(self.alert_volume), "-w", str(said),
                           "--stdin"]
                if self._start(utterance, command, stdin=True):
                    assert utterance.process is not None
                    utterance.process.communicate(text.encode("utf-8"))
                    if utterance.process.returncode == 0:
                        clips.append(said)
            join_wavs(clips, utterance.wav, pause_s=0.15)
        except (OSError, ValueError) as exc:
            log.warning("alert speech failed: %s", exc)
        self._play(utterance)

    def _play(self, utterance: Utterance) -> None:
        """Play a recorded utterance (its WAV is already made)."""
        finished = False
        try:
            if self._start(utterance, [*self.player, str(utterance.wav)], stdin=False):
                assert utterance.process is not None
                utterance.process.wait()
                finished = not utterance.cancelled
        except OSError as exc:
            utterance.error = f"cannot run {exc.filename}"
            log.warning("speech failed: %s", utterance.error)
        finally:
            utterance.done.set()
        if finished and self._on_finished is not None:
            self._on_finished()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current utterance ended (tests, command line); False on timeout."""
        current = self._current
        return current is None or current.done.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            current = self._current
            if current is None:
                return
            current.cancelled = True
            _kill(current.process)
        current.done.wait(5)

    def reset(self) -> None:
        """Session end: silence, forget the last utterance, delete the sound files, default volume."""
        self.stop()
        self._forget()
        with self._lock:
            self._current = None
        for path in self.directory.rglob("*"):
            if path.is_file():
                path.unlink()

    def close(self) -> None:
        self.reset()
        shutil.rmtree(self.directory, ignore_errors=True)
        with contextlib.suppress(OSError):          # the shared work folder, once no kiosk uses it
            self.directory.parent.rmdir()

    def _run(self, utterance: Utterance, command: list[str], text: str) -> None:
        finished = False
        try:
            if self._start(utterance, command, stdin=True):
                assert utterance.process is not None
                utterance.process.communicate(text.encode("utf-8"))
                if utterance.process.returncode != 0:
                    utterance.error = f"espeak-ng exited with {utterance.process.returncode}"
                elif self._start(utterance, [*self.player, str(utterance.wav)], stdin=False):
                    assert utterance.process is not None
                    utterance.process.wait()
                    finished = not utterance.cancelled
                    if finished and utterance.process.returncode != 0:
                        utterance.error = f"player exited with {utterance.process.returncode}"
        except OSError as exc:
            utterance.error = f"cannot run {exc.filename}"
        finally:
            if utterance.error and not utterance.cancelled:
                log.warning("speech failed: %s", utterance.error)
            utterance.done.set()
        if finished and self._on_finished is not None:
            self._on_finished()

    def _start(self, utterance: Utterance, command: list[str], stdin: bool) -> bool:
        with self._lock:
            if utterance.cancelled:
                return False
            utterance.process = subprocess.Popen(
                command, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            return True


def _kill(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _clamp(percent: int) -> int:
    return max(0, min(MAX_VOLUME, int(percent)))
