"""The replica's PDFs (the request's confirmation, the stamp): one page, marked as worthless practice."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kiosk.browser.replica.pages import BANNER

FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
              Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"))


def _font() -> str:
    for path in FONT_FILES:
        if path.exists():
            name = "PracticeSans"
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return name
    return "Helvetica"


def attestation_pdf(reference: str, rows: Sequence[tuple[str, str]], when: dt.datetime, *,
                    title: str = "Attestation de dépôt", number_label: str = "Numéro de demande",
                    date_label: str = "Date de dépôt") -> bytes:
    """The attestation (or another practice document: `title`) as PDF bytes (never written to disk by
    the site)."""
    font = _font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(f"{title} (entraînement)")
    width, height = A4
    pdf.saveState()
    pdf.setFillColorRGB(0.95, 0.85, 0.8)
    pdf.setFont(font, 44)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(45)
    pdf.drawCentredString(0, 0, "ENTRAÎNEMENT")
    pdf.drawCentredString(0, -56, "sans valeur")
    pdf.restoreState()
    y = height - 70
    pdf.setFont(font, 12)
    pdf.setFillColorRGB(0.7, 0.25, 0)
    pdf.drawString(50, y, BANNER)
    pdf.setFillColorRGB(0, 0, 0.57)
    pdf.setFont(font, 20)
    y -= 40
    pdf.drawString(50, y, title)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 12)
    y -= 30
    for label, value in ((number_label, reference), (date_label, when.strftime("%d/%m/%Y %H:%M")), *rows):
        pdf.drawString(50, y, f"{label} : {value}")
        y -= 20
    y -= 10
    pdf.drawString(50, y, "Ce document d'entraînement n'a aucune valeur et n'a été envoyé à personne.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
