"""Read-aloud from the terminal configuration (kiosk/app.py builds the kiosk's with it)."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config
from kiosk.paths import ASSETS
from kiosk.speech.engines import EspeakSpeech, SimulatedSpeech, Speech
from kiosk.speech.recordings import RecordingBook


def speech_for(config: Config) -> Speech | None:
    """Read-aloud: espeak-ng (sound files in a private folder under the session root, deleted at each
    wipe), simulated (demo: says nothing, records), or none (no speaker button)."""
    if config.devices.speech == "espeak":
        recordings = Path(config.devices.recordings) if config.devices.recordings else ASSETS / "audio"
        return EspeakSpeech(config.session_root() / ".speech", recordings=RecordingBook(recordings),
                            alert_volume=config.devices.alert_volume)
    if config.devices.speech == "simulated":
        return SimulatedSpeech(alert_volume=config.devices.alert_volume)
    return None
