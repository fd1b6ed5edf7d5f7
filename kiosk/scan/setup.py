"""The scanner from the terminal configuration (kiosk/app.py builds the kiosk's with it)."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.scan.scanner import NoScanner, SaneScanner, Scanner, SimulatedScanner


def scanner_for(config: Config) -> Scanner:
    """The configured scanner adapter; "none" is a scanner that says there is none."""
    if config.devices.scanner == "sane":
        return SaneScanner()
    scanner = SimulatedScanner(scan_s=0.5)
    if config.devices.scanner == "none":
        scanner.inject(NoScanner)
    return scanner
