"""Small building blocks shared by pages: labels with a role, large touch buttons, a scrollable column."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.accessibility import mark_heading


def direction(rtl: bool) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight


def label(role: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel()
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def button(role: str = "", name: str = "") -> QPushButton:
    widget = QPushButton()
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    widget.setMinimumHeight(72)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


class WrapButton(QPushButton):
    """A push button whose label wraps onto several lines (long answers, long languages).

    With a `symbol`, the symbol (a picture: not read aloud) stands at the start of the line and the
    word follows it, aligned to the start instead of centred."""

    def __init__(self, role: str = "", name: str = "", symbol: str = "") -> None:
        super().__init__()
        self._label = label()
        self.mark: QLabel | None = None
        layout: QHBoxLayout | QVBoxLayout
        if symbol:
            self.mark = label("title", wrap=False)
            self.mark.setText(symbol)
            self.mark.setProperty("skip_reading", True)
            layout = QHBoxLayout(self)
            layout.setContentsMargins(16, 8, 16, 8)
            layout.setSpacing(12)
            layout.addWidget(self.mark)
        else:
            self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout = QVBoxLayout(self)
            layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self._label, 1)
        self._box = layout
        for part in (self.mark, self._label):
            if part is not None:
                part.setObjectName("wrap_label")          # styled by the theme (colour of its button)
                part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(72)
        if role:
            self.setProperty("role", role)
        if name:
            self.setObjectName(name)

    def setText(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._label.text()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(max(self.width(), 200 if self.mark else 232)))
        return hint

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        """Height the wrapped label needs at this width, plus the button's margins and border."""
        m = self._box.contentsMargins()
        beside = self.mark.sizeHint().width() + 12 if self.mark is not None else 0
        inner = max(width - m.left() - m.right() - beside - 8, 40 if self.mark else 50)
        return max(72, self._label.heightForWidth(inner) + m.top() + m.bottom() + 8)


def svg_pixmap(path: Path, size: int, ratio: float = 1.0) -> QPixmap | None:
    """The SVG at `path` drawn into a size x size pixmap, sharp at the screen's pixel ratio; None if Qt
    cannot read it. Drawn as is: never mirrored, whatever the layout direction."""
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        return None
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def headed_card(name: str) -> tuple[QFrame, QLabel, QVBoxLayout]:
    """A framed group with a heading to fill later; returns the frame, the heading and the layout."""
    card = QFrame()
    card.setProperty("role", "card")
    card.setObjectName(name)
    box = QVBoxLayout(card)
    heading = mark_heading(label("title"), level=2)
    box.addWidget(heading)
    return card, heading, box


def titled_card(name: str, title: str) -> tuple[QFrame, QVBoxLayout]:
    """A framed group with a heading; returns the frame and the layout to fill."""
    card, heading, box = headed_card(name)
    heading.setText(title)
    return card, box


def scroll_column() -> tuple[QScrollArea, QVBoxLayout]:
    """A vertical, scrollable column for content that may not fit (long texts, large text size)."""
    inner = QWidget()
    column = QVBoxLayout(inner)
    column.setSpacing(16)
    column.setContentsMargins(32, 24, 32, 24)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(inner)
    return area, column


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
