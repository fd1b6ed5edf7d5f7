"""Recorded voices for languages no synthesiser speaks (Wolof; Pashto later).

Wolof is chosen as the West African language because it is the lingua franca of Senegal, whose
nationals are among the most numerous African visitors at prefectures, and because it is mostly spoken,
rarely read: audio matters more than text. No offline synthesiser has a Wolof voice (espeak-ng has
none), so the kiosk plays recordings made by a Wolof speaker.

A recording is one WAV file per text as it appears on screen (the Wolof UI text, or the French text
where the content has no Wolof translation: the speaker then says it in Wolof). Its file name is
`key(language, text)`: a hash of the language and the normalised text, so recordings follow the text
and a changed text simply has no recording until it is recorded again. `pan-kiosk i18n audio-script wo`
writes the list to record (file name, text on screen, context); the files go to
assets/audio/<language>/. Texts with values filled in at run time ({placeholders}) cannot be recorded
and are read only if the screen has none.

A screen is read from recordings only when every piece of it has one; otherwise the kiosk says it
cannot read this language and offers the listen_in languages, as for any language without a voice.
"""

from __future__ import annotations

import hashlib
import re
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_INVISIBLE = re.compile("[\u2066-\u2069\u200e\u200f\u202a-\u202e]")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def normalise(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def key(language: str, text: str) -> str:
    """The recording's file name (without .wav) for this text in this language."""
    return hashlib.sha256(f"{language}\0{normalise(text)}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class RecordingBook:
    root: Path                      # assets/audio: one folder per language

    def folder(self, language: str) -> Path:
        return self.root / language

    def count(self, language: str) -> int:
        folder = self.folder(language)
        return sum(1 for _ in folder.glob("*.wav")) if folder.is_dir() else 0

    def has_language(self, language: str) -> bool:
        return self.count(language) > 0

    def clip(self, language: str, text: str) -> Path | None:
        path = self.folder(language) / f"{key(language, text)}.wav"
        return path if path.is_file() else None

    def clips(self, language: str, texts: Sequence[str]) -> list[Path] | None:
        """One recording per text, or None when any is missing (the screen is then not read)."""
        found = [self.clip(language, text) for text in texts if normalise(text)]
        return None if any(path is None for path in found) else [p for p in found if p is not None]


def join_wavs(clips: Sequence[Path], out: Path, pause_s: float = 0.35) -> None:
    """One WAV of the clips in turn, with a short silence between them. Every clip must have the
    format of the first one (the recording guide asks for mono 16-bit 22 050 Hz)."""
    with wave.open(str(clips[0]), "rb") as first:
        params = first.getparams()
    silence = b"\0" * int(params.framerate * pause_s) * params.sampwidth * params.nchannels
    with wave.open(str(out), "wb") as target:
        target.setparams(params)
        for i, clip in enumerate(clips):
            with wave.open(str(clip), "rb") as source:
                if (source.getnchannels(), source.getsampwidth(), source.getframerate()) != \
                        (params.nchannels, params.sampwidth, params.framerate):
                    raise ValueError(f"{clip.name}: not in the format of {clips[0].name}")
                if i:
                    target.writeframes(silence)
                target.writeframes(source.readframes(source.getnframes()))


@dataclass(frozen=True)
class ScriptLine:
    file: str
    text: str
    context: str
    recordable: bool          # False: the text has {placeholders} filled in at run time
    recorded: bool


def script(language: str, texts: Iterable[tuple[str, str]], book: RecordingBook) -> list[ScriptLine]:
    """What to record: (text on screen, context) pairs, each once, with the file name to give it."""
    seen: set[str] = set()
    lines = []
    for text, context in texts:
        clean = normalise(text)
        if not clean or clean in seen:
            continue
        seen.add(clean)
        lines.append(ScriptLine(f"{key(language, clean)}.wav", clean, context,
                                not PLACEHOLDER.search(clean), book.clip(language, clean) is not None))
    return lines
