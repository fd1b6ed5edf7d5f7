"""A QR code flowable: one rectangle per run of dark modules (reportlab's QrCodeWidget draws one
shape object per module, which costs about 0.1 s per receipt)."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.platypus import Flowable


class QrCode(Flowable):  # type: ignore[misc]
    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(data)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        n = len(self.matrix)
        cell = self.width / n
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.matrix):
            y = self.height - (r + 1) * cell
            c = 0
            while c < n:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < n and row[c]:
                    c += 1
                canvas.rect(start * cell, y, (c - start) * cell + 0.05, cell + 0.05, stroke=0, fill=1)
