"""Colours, sizes and the style sheet. Body text contrast is at least 7:1 on its background."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    surface: str
    text: str
    muted: str
    accent: str          # primary buttons
    accent_text: str
    danger: str
    danger_text: str
    focus: str
    base_pt: int = 20    # body text size at scale 1.0

    def stylesheet(self, scale: float = 1.0) -> str:
        pt = round(self.base_pt * scale)
        return f"""
        QWidget {{ background: {self.background}; color: {self.text}; font-size: {pt}pt; }}
        QLabel[role="title"] {{ font-size: {round(pt * 1.5)}pt; font-weight: bold; }}
        QLabel[role="notice"] {{ font-weight: bold; }}
        QLabel[role="muted"] {{ color: {self.muted}; font-size: {round(pt * 0.8)}pt; }}
        QLabel[role="attract"] {{ font-size: {round(pt * 2)}pt; font-weight: bold; }}
        QFrame[role="card"] {{ background: {self.surface}; border-radius: 12px; }}
        QFrame[role="card"] QLabel {{ background: {self.surface}; }}
        QFrame[role="bar"] {{ background: {self.surface}; }}
        QFrame[role="bar"] QLabel {{ background: {self.surface}; }}
        QPushButton {{
            background: {self.surface}; color: {self.text}; border: 2px solid {self.muted};
            border-radius: 12px; padding: 12px 20px; min-height: 64px; min-width: 64px;
        }}
        QPushButton[role="primary"] {{
            background: {self.accent}; color: {self.accent_text}; border-color: {self.accent};
        }}
        QPushButton[role="danger"] {{
            background: {self.danger}; color: {self.danger_text}; border-color: {self.danger};
        }}
        QLabel#wrap_label {{ background: transparent; color: {self.text}; }}
        QPushButton[role="primary"] QLabel#wrap_label {{ color: {self.accent_text}; }}
        QPushButton[role="danger"] QLabel#wrap_label {{ color: {self.danger_text}; }}
        QPushButton:focus {{ border: 4px solid {self.focus}; }}
        QPushButton:pressed {{ border: 4px solid {self.focus}; }}
        QWidget#keyboard QPushButton {{ min-width: 0px; padding: 2px; border-radius: 8px;
                                        font-size: {min(pt, 24)}pt; }}
        QWidget#keyboard[compact="true"] QPushButton {{ min-height: 48px; }}
        QLineEdit {{ background: {self.background}; color: {self.text}; border: 2px solid {self.muted};
                     border-radius: 8px; padding: 8px; }}
        QLineEdit:focus {{ border: 4px solid {self.focus}; }}
        QProgressBar {{ border: 2px solid {self.muted}; border-radius: 6px; background: {self.background};
                        max-height: 16px; }}
        QProgressBar::chunk {{ background: {self.accent}; }}
        QScrollArea {{ border: none; }}
        QWidget#overlay {{ background: {self.background}; }}
        """


DEFAULT = Theme(
    name="default", background="#ffffff", surface="#eef2f7", text="#111111", muted="#4a4f57",
    accent="#0b4f9c", accent_text="#ffffff", danger="#9b1c1c", danger_text="#ffffff", focus="#a14a07",
)

HIGH_CONTRAST = Theme(
    name="high-contrast", background="#000000", surface="#111111", text="#ffffff", muted="#e5e5e5",
    accent="#ffd400", accent_text="#000000", danger="#ff8a80", danger_text="#000000", focus="#00e5ff",
)


class Appearance:
    """Text size and contrast chosen by the visitor; applied to the whole application."""

    SCALES = (1.0, 1.5, 2.0)

    def __init__(self, apply: Callable[[str], None],
                 themes: tuple[Theme, Theme] = (DEFAULT, HIGH_CONTRAST)) -> None:
        self._apply = apply
        self._themes = themes
        self.scale_index = 0
        self.high_contrast = False
        self.apply()

    @property
    def theme(self) -> Theme:
        return self._themes[1] if self.high_contrast else self._themes[0]

    @property
    def scale(self) -> float:
        return self.SCALES[self.scale_index]

    def apply(self) -> None:
        self._apply(self.theme.stylesheet(self.scale))

    def next_text_size(self) -> None:
        self.scale_index = (self.scale_index + 1) % len(self.SCALES)
        self.apply()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.apply()

    def reset(self) -> None:
        if self.scale_index or self.high_contrast:
            self.scale_index, self.high_contrast = 0, False
            self.apply()
