"""Read-aloud figures (issue 4): time from speak() to the end of playback into a file sink, per voice.

    speech_ms                 max over the voiced languages of the median speak-to-played time
    speech_ms_<lang>          median per language (welcome sentence in that language)
    speech_rms_<lang>         RMS of the 16-bit samples of that WAV (silence is 0)
    speech_baseline_ms        the same sentence through a bare `espeak-ng -w` call (the floor)
    speech_stop_ms            median time for stop() to kill a playing utterance
"""

from __future__ import annotations

import array
import math
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WELCOME = "Welcome. This terminal helps you with your residence procedures."


def _rms(path: Path) -> float:
    """RMS of the 16-bit samples of a mono WAV (the tests measure the same way, tests/support)."""
    with wave.open(str(path), "rb") as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def run(runs: int = 5) -> dict[str, float]:
    from kiosk.i18n import LOCALE_DIR, Translators, catalogs
    from kiosk.i18n.languages import LANGUAGES
    from kiosk.speech.engines import EspeakSpeech

    catalogs.compile_dir(LOCALE_DIR, "kiosk")
    translators = Translators(None)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sink = Path(tmp) / "sink"
        sink.mkdir()
        speech = EspeakSpeech(Path(tmp) / "run", player=["cp", "-t", str(sink)])
        for code, lang in LANGUAGES.items():
            if not lang.voice:
                continue
            sentence = translators.get(code).tr(WELCOME)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                speech.speak([sentence], lang)
                speech.wait(10)
                times.append((time.perf_counter() - t0) * 1000)
            assert speech.current is not None
            figures[f"speech_ms_{code}"] = round(statistics.median(times), 1)
            figures[f"speech_rms_{code}"] = round(_rms(sink / speech.current.wav.name))
        figures["speech_ms"] = max(v for k, v in figures.items() if k.startswith("speech_ms_"))
        base = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(["espeak-ng", "-v", "fr", "-w", str(Path(tmp) / "b.wav"),
                            translators.get("fr").tr(WELCOME)], check=True)
            base.append((time.perf_counter() - t0) * 1000)
        figures["speech_baseline_ms"] = round(statistics.median(base), 1)
        slow = EspeakSpeech(Path(tmp) / "slow", player=["sh", "-c", "exec sleep 30", "player"])
        stops = []
        for _ in range(runs):
            slow.speak(["Bonjour."], LANGUAGES["fr"])
            while slow.current is None or slow.current.process is None or \
                    slow.current.process.args[0] != "sh":
                time.sleep(0.005)
            t0 = time.perf_counter()
            slow.stop()
            stops.append((time.perf_counter() - t0) * 1000)
        figures["speech_stop_ms"] = round(statistics.median(stops), 1)
        slow.close()
        speech.close()
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
