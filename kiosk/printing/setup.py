"""The printer from the terminal configuration, used by kiosk/app.py and `pan-kiosk receipt print-test`."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.printing.cups import CupsPrinter
from kiosk.printing.printer import FaultKind, Printer, SimulatedPrinter


def printer_for(config: Config) -> Printer:
    """The configured printer adapter; "none" is a printer that says so (receipt shown on screen)."""
    if config.devices.printer == "cups":
        return CupsPrinter(config.devices.printer_queue or None)
    if config.devices.printer == "none":
        return SimulatedPrinter(name="none", fault=FaultKind.MISSING)
    return SimulatedPrinter(print_s=1.0)
