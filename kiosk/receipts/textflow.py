"""`TextBlock`: a reportlab flowable that sets any script correctly.

For each paragraph: bidi levels (kiosk.receipts.bidi), a font per character (kiosk.receipts.fonts),
line breaking on logical text (spaces, and between CJK characters), then per line the runs are put
in visual order and drawn one by one. Arabic-script runs and Tamil/Bengali runs are shaped by
HarfBuzz (reportlab's `shapeStr`, uharfbuzz); other runs are drawn as they are, reversed and
mirrored when they sit at a right-to-left level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus import Flowable

from kiosk.receipts import bidi
from kiosk.receipts.fonts import FontBook, Script, script_of

Align = Literal["start", "center", "end"]
_SHAPED = frozenset({Script.ARABIC, Script.TAMIL, Script.BENGALI})
_NO_BREAK_BEFORE = frozenset("，。、；：？！）」』》〉】,.;:!?)%")
_NO_BREAK_AFTER = frozenset("（「『《〈【(")
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True)
class Style:
    size: float = 10.0
    bold: bool = False
    leading: float = 0.0          # 0: 1.35 x size
    align: Align = "start"        # start/end follow the paragraph direction
    color: Color = black
    space_after: float = 0.0

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.35


@dataclass(frozen=True)
class Run:
    text: str | ShapedStr
    font: str
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float


@lru_cache(maxsize=4096)
def _shape(text: str, font: str, size: float) -> tuple[str | ShapedStr, float]:
    shaped = shapeStr(text, font, size)
    if isinstance(shaped, ShapedStr):
        return shaped, sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
    return shaped, pdfmetrics.stringWidth(shaped, font, size)


class Paragraph:
    """One paragraph laid out in logical order: characters with their font and level."""

    def __init__(self, text: str, fonts: FontBook, style: Style, rtl: bool) -> None:
        self.size = style.size
        levels = bidi.levels(text, rtl)
        kept = [i for i, c in enumerate(text) if c not in bidi.CONTROLS]
        self.text = "".join(text[i] for i in kept)
        self.levels = [levels[i] for i in kept]
        self.scripts = [script_of(c) for c in self.text]
        self.fonts = self._assign_fonts(fonts, style.bold)

    def _assign_fonts(self, fonts: FontBook, bold: bool) -> list[str]:
        out: list[str] = []
        prefer: Script | None = None
        for char, script in zip(self.text, self.scripts, strict=True):
            if char.isdigit() and char.isascii():
                out.append(fonts.font(Script.LATIN, bold))
                continue
            if script is not None:
                prefer = script
            if char in _JOINERS and out:
                out.append(out[-1])
                continue
            out.append(fonts.for_char(char, bold, prefer))
        return out

    def breaks(self) -> list[int]:
        """Indexes where a line may end (exclusive end of a word, spaces included)."""
        text, points = self.text, []
        for i in range(1, len(text)):
            prev, cur = text[i - 1], text[i]
            if prev == " " and cur != " ":
                points.append(i)
            elif (self.scripts[i] is Script.CJK or self.scripts[i - 1] is Script.CJK) and cur != " " \
                    and cur not in _NO_BREAK_BEFORE and prev not in _NO_BREAK_AFTER and prev != " ":
                points.append(i)
        points.append(len(text))
        return points

    def runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """Maximal ranges of one font and one level within [start, end)."""
        out, i = [], start
        while i < end:
            j = i + 1
            while j < end and self.fonts[j] == self.fonts[i] and self.levels[j] == self.levels[i]:
                j += 1
            out.append((i, j))
            i = j
        return out

    def run(self, start: int, end: int) -> Run:
        text, font, level = self.text[start:end], self.fonts[start], self.levels[start]
        scripts = {s for s in self.scripts[start:end] if s is not None}
        odd = level % 2 == 1
        if (odd and Script.ARABIC in scripts) or (not odd and scripts & {Script.TAMIL, Script.BENGALI}):
            shaped, width = _shape(text, font, self.size)
            return Run(shaped, font, width)
        visual = bidi.mirror(text) if odd else text
        return Run(visual, font, pdfmetrics.stringWidth(visual, font, self.size))

    def width(self, start: int, end: int) -> float:
        return sum(self.run(a, b).width for a, b in self.runs(start, end))

    def line(self, start: int, end: int) -> Line:
        while end > start and self.text[end - 1] == " ":
            end -= 1
        while start < end and self.text[start] == " ":
            start += 1
        spans = self.runs(start, end)
        ordered = bidi.visual_order(spans, [self.levels[a] for a, _ in spans])
        runs = tuple(self.run(a, b) for a, b in ordered)
        return Line(runs, sum(r.width for r in runs))

    def wrap(self, width: float) -> list[Line]:
        """Greedy line filling on words measured once each (shaping does not cross spaces)."""
        lines: list[Line] = []
        start = end = 0
        used = 0.0
        for point in self.breaks():
            word = self.width(end, point)
            if used + word - self._trailing(end, point) <= width:
                end, used = point, used + word
                continue
            if end > start:
                lines.append(self.line(start, end))
                start = end
            if word - self._trailing(start, point) > width:
                start = self._hard_break(start, point, width, lines)
            end, used = point, self.width(start, point)
        if start < len(self.text) or not lines:
            lines.append(self.line(start, len(self.text)))
        return lines

    def _trailing(self, start: int, end: int) -> float:
        chunk = self.text[start:end]
        spaces = len(chunk) - len(chunk.rstrip(" "))
        return pdfmetrics.stringWidth(" " * spaces, self.fonts[end - 1], self.size) if spaces else 0.0

    def _hard_break(self, start: int, end: int, width: float, lines: list[Line]) -> int:
        """A word longer than the line (a URL, a long reference): cut it where it fits."""
        while self.width(start, end) - self._trailing(start, end) > width:
            cut = start + 1
            while cut < end and self.width(start, cut + 1) <= width:
                cut += 1
            lines.append(self.line(start, cut))
            start = cut
        return start


class TextBlock(Flowable):  # type: ignore[misc]
    """Text in any script, wrapped to the available width; paragraphs separated by newlines."""

    def __init__(self, text: str, fonts: FontBook, style: Style, rtl: bool = False) -> None:
        super().__init__()
        self.text = text
        self.fonts = fonts
        self.style = style
        self.rtl = rtl
        self._lines: list[Line] = []
        self._avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth != self._avail or not self._lines:
            self._avail = availWidth
            self._lines = [line for para in self.text.split("\n")
                           for line in Paragraph(para, self.fonts, self.style, self.rtl).wrap(availWidth)]
        self.width = availWidth
        self.height = len(self._lines) * self.style.line_height + self.style.space_after
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.style.color)
        y = self.height - self.style.space_after - self.style.size * 1.05
        for line in self._lines:
            x = self._x(line.width)
            for run in line.runs:
                canvas.setFont(run.font, self.style.size)
                canvas.drawString(x, y, run.text)
                x += run.width
            y -= self.style.line_height

    def _x(self, line_width: float) -> float:
        align = self.style.align
        if align == "center":
            return (self._avail - line_width) / 2
        if (align == "end") != self.rtl:
            return self._avail - line_width
        return 0.0
