"""The alert chime: two short soft tones (E6 then A5, 0.4 s), made here rather than shipped, in the
format of espeak-ng's output (mono, 16-bit, 22 050 Hz) so that the sentence can follow it in one file.

Its loudness follows the terminal's alert volume as espeak-ng's amplitude does (percent of the default
loudness: 100 gives peaks of a third of full scale, 200 twice that).
"""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path

RATE = 22050
TONES = ((1318.5, 0.18), (880.0, 0.22))     # Hz, seconds
PEAK_AT_100 = 11000                          # 16-bit sample value at volume 100
FADE_S = 0.012                               # no click at the start and end of each tone


def chime_frames(volume: int) -> bytes:
    """The chime's 16-bit samples at `volume` percent (0-200)."""
    peak = min(32000.0, PEAK_AT_100 * max(0, volume) / 100)
    samples = array.array("h")
    fade = int(RATE * FADE_S)
    for frequency, seconds in TONES:
        count = int(RATE * seconds)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade) * (1 - 0.5 * i / count)   # soft decay
            samples.append(int(peak * envelope * math.sin(2 * math.pi * frequency * i / RATE)))
    return samples.tobytes()


def write_chime(path: Path, volume: int) -> Path:
    """Write the chime at `volume` percent as a WAV file; returns `path`."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(chime_frames(volume))
    return path
