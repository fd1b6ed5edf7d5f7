"""Receipts and incident proofs (reportlab, no Qt): what the visitor takes home.

`ReceiptRenderer(FontBook(), translators.get).receipt(data, "a4" | "80mm")` returns PDF bytes;
`.incident(data)` the proof that the online procedure could not be completed.
"""

from kiosk.receipts.fonts import FontBook
from kiosk.receipts.model import (
    Bilingual,
    HelpContact,
    IncidentData,
    NextStep,
    PreparedDocument,
    ReceiptData,
    Reference,
    Site,
)
from kiosk.receipts.render import LAYOUTS, Layout, ReceiptRenderer

__all__ = ["LAYOUTS", "Bilingual", "FontBook", "HelpContact", "IncidentData", "Layout", "NextStep",
           "PreparedDocument", "ReceiptData", "ReceiptRenderer", "Reference", "Site"]
