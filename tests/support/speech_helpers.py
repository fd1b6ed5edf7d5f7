"""WAV measurements for the read-aloud tests (a module with a unique name: importable from any test)."""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path


def measure(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS of the 16-bit samples) of a mono WAV."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        frames = wav.readframes(wav.getnframes())
        duration = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return duration, rms
