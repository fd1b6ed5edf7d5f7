"""Layouts: A4 (two columns side by side, the visitor's language on the reading side) and 80 mm roll
(the visitor's language, then French, on one long page). Output: PDF bytes.

Every font in the PDF is embedded (PDF/A-minded): reportlab's own defaults are Helvetica, a standard
font it references without embedding, as the canvas' initial font (written at the top of each page)
and as every table cell's font (set before each cell, even one holding only flowables). Both are given
the embedded Latin font instead (`_base_font`); text itself is drawn by TextBlock with its own fonts.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from typing import Literal

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from kiosk.i18n import Translator
from kiosk.receipts.compose import Composer, Row, RowKind, Sheet
from kiosk.receipts.fonts import FontBook, Script
from kiosk.receipts.model import IncidentData, ReceiptData
from kiosk.receipts.qr import QrCode
from kiosk.receipts.textflow import Style, TextBlock

log = logging.getLogger(__name__)

Layout = Literal["a4", "80mm"]
LAYOUTS: tuple[Layout, ...] = ("a4", "80mm")
GREY = HexColor("#555555")
RULE = HexColor("#999999")
ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm

_A4_STYLES: dict[RowKind, Style] = {
    "title": Style(15, bold=True), "heading": Style(10.5, bold=True), "item": Style(10),
    "text": Style(10), "small": Style(8, color=GREY)}
_ROLL_STYLES: dict[RowKind, Style] = {
    "title": Style(12, bold=True, align="center"), "heading": Style(9.5, bold=True, space_after=1),
    "item": Style(9), "text": Style(9), "small": Style(7.5, color=GREY)}


class ReceiptRenderer:
    """Renders receipts and incident proofs to PDF. `translator_for(code)` gives a Translator
    (the composition root passes `Translators.get`); fonts are loaded once per renderer."""

    def __init__(self, fonts: FontBook, translator_for: Callable[[str], Translator]) -> None:
        self.fonts = fonts
        self.translator_for = translator_for

    def composer(self, language: str) -> Composer:
        return Composer(self.translator_for(language), self.translator_for("fr"))

    def receipt(self, data: ReceiptData, layout: Layout = "a4") -> bytes:
        return self.render(self.composer(data.language).receipt(data), layout)

    def incident(self, data: IncidentData, layout: Layout = "a4") -> bytes:
        return self.render(self.composer(data.language).incident(data), layout)

    def render(self, sheet: Sheet, layout: Layout) -> bytes:
        if layout == "a4":
            return self._a4(sheet)
        if layout == "80mm":
            return self._roll(sheet)
        raise ValueError(f"unknown layout {layout!r}")

    # --- pieces ---------------------------------------------------------------------------------

    def _text(self, text: str, style: Style, rtl: bool) -> TextBlock:
        return TextBlock(text, self.fonts, style, rtl)

    def _site(self, sheet: Sheet, styles: dict[RowKind, Style]) -> list[Flowable]:
        centred = Style(styles["item"].size, bold=True, align="center")
        small = Style(styles["small"].size, align="center", color=GREY)
        out: list[Flowable] = [self._text(sheet.site.name, centred, False)]
        if sheet.site.address:
            out.append(self._text(sheet.site.address, small, False))
        return out

    @property
    def _base_font(self) -> str:
        """What reportlab falls back to (canvas start, table cells): an embedded TrueType font."""
        return self.fonts.font(Script.LATIN)

    def _table(self, cells: Sequence[Sequence[object]], widths: Sequence[float],
               commands: list[tuple[object, ...]], **options: int) -> Table:
        table = Table(cells, colWidths=list(widths), **options)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self._base_font), *commands]))
        return table

    @staticmethod
    def _qr(url: str, size: float) -> QrCode:
        return QrCode(url, size)

    @staticmethod
    def _image(png: bytes, width: float, max_height: float) -> Image:
        image = Image(io.BytesIO(png))
        scale = min(width / image.imageWidth, max_height / image.imageHeight, 0.75)   # <= 96 dpi
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        return image

    # --- A4 -------------------------------------------------------------------------------------

    def _a4(self, sheet: Sheet) -> bytes:
        buffer = io.BytesIO()
        margin = 15 * mm
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin, title="PAN Kiosk",
                                author="", subject="", creator="PAN Kiosk",
                                initialFontName=self._base_font)
        width = A4[0] - 2 * margin
        story: list[Flowable] = [*self._site(sheet, _A4_STYLES), Spacer(1, 4 * mm)]
        story.append(self._rows_table(sheet.rows, sheet, width))
        if sheet.image_png and sheet.image_caption:
            story += [Spacer(1, 4 * mm), KeepTogether([
                self._rows_table([sheet.image_caption], sheet, width),
                self._image(sheet.image_png, width, 95 * mm)])]
        story.append(Spacer(1, 5 * mm))
        story.append(self._a4_footer(sheet, width))
        doc.build(story)
        return buffer.getvalue()

    def _cells(self, row: Row, sheet: Sheet, styles: dict[RowKind, Style]) -> list[Flowable]:
        style = styles[row.kind]
        visitor = self._text(row.visitor, style, sheet.visitor_rtl)
        if not sheet.bilingual:
            return [visitor]
        french = self._text(row.french, style, False)
        return [french, visitor] if sheet.visitor_rtl else [visitor, french]

    def _rows_table(self, rows: list[Row], sheet: Sheet, width: float) -> Table:
        columns = 2 if sheet.bilingual else 1
        gap = 6 * mm
        col = (width - gap * (columns - 1)) / columns
        data = [self._cells(row, sheet, _A4_STYLES) for row in rows]
        commands: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
        if columns == 2:
            commands += [("LEFTPADDING", (1, 0), (1, -1), gap / 2), ("RIGHTPADDING", (1, 0), (1, -1), 0),
                         ("LINEBEFORE", (1, 0), (1, -1), 0.3, RULE)]
        for i, row in enumerate(rows):
            if row.kind == "heading":
                commands += [("TOPPADDING", (0, i), (-1, i), 7),
                             ("LINEBELOW", (0, i), (-1, i), 0.5, RULE)]
            if row.kind == "title":
                commands += [("BOTTOMPADDING", (0, i), (-1, i), 5)]
        return self._table(data, [col + (gap / 2 if columns == 2 else 0)] * columns, commands,
                           splitByRow=1, repeatRows=0)

    def _a4_footer(self, sheet: Sheet, width: float) -> Table:
        qr_size = 28 * mm
        texts = [self._rows_table(sheet.footer, sheet, width - qr_size - 4 * mm)]
        cells = [[self._qr(sheet.qr_url, qr_size), texts]] if sheet.qr_url else [["", texts]]
        return self._table(cells, [qr_size + 4 * mm, width - qr_size - 4 * mm],
                           [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE)])

    # --- 80 mm roll ------------------------------------------------------------------------------

    def _roll(self, sheet: Sheet) -> bytes:
        width = ROLL_WIDTH - 2 * ROLL_MARGIN
        story: list[Flowable] = [*self._site(sheet, _ROLL_STYLES), Spacer(1, 2 * mm)]
        story += self._roll_rows(sheet, "visitor")
        if sheet.bilingual:
            story += [Spacer(1, 2 * mm), HRFlowable(width="100%", thickness=0.8, color=Color(0, 0, 0),
                                                    dash=(2, 2)), Spacer(1, 2 * mm)]
            story += self._roll_rows(sheet, "french")
        if sheet.image_png:
            story.append(self._image(sheet.image_png, width, 60 * mm))
        if sheet.qr_url:
            story += [Spacer(1, 3 * mm), self._table([[self._qr(sheet.qr_url, 30 * mm)]], [width], [])]
        height = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
        page_height = height + 2 * ROLL_MARGIN + 6 * mm
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(ROLL_WIDTH, page_height), initialFontName=self._base_font)
        canvas.setTitle("PAN Kiosk")
        canvas.setCreator("PAN Kiosk")
        frame = Frame(ROLL_MARGIN, ROLL_MARGIN, width, page_height - 2 * ROLL_MARGIN,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        frame.addFromList(story, canvas)
        if story:
            log.warning("80 mm receipt: %d flowable(s) did not fit", len(story))
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def _roll_rows(self, sheet: Sheet, side: Literal["visitor", "french"]) -> list[Flowable]:
        rtl = sheet.visitor_rtl and side == "visitor"
        out: list[Flowable] = []
        rows = sheet.rows + sheet.footer
        for row in rows:
            style = _ROLL_STYLES[row.kind]
            if row.kind == "heading":
                out.append(Spacer(1, 1.5 * mm))
            out.append(self._text(getattr(row, side), style, rtl))
        return out
