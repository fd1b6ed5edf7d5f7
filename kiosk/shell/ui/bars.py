"""The bars above and below the pages: where the visitor is and the display options on top,
Back, Help and Finish at the bottom. They render the visit; their buttons are wired by the window."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStyle, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, button, label
from kiosk.visit.visit import Screen, Visit


class StepIndicator(QLabel):
    """How far the visitor is in the guide: a bar to see, a text for assistive technology ("Step 2 of
    7"). Not a QProgressBar: Qt exposes its value, and the AT-SPI bridge then offers Increase and
    Decrease actions on it, as on a slider the visitor could move. Drawn in the theme's muted text
    colour (the label's role), as the border of the bar it replaces."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("step_indicator")
        self.setProperty("role", "muted")
        self.setFixedHeight(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.position, self.total = 0, 1

    def show_step(self, position: int, total: int, name: str) -> None:
        self.position, self.total = position, max(total, 1)
        if self.accessibleName() != name:
            self.setAccessibleName(name)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt naming
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        outline = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        done = QRectF(outline)
        done.setWidth(outline.width() * min(self.position, self.total) / self.total)
        if self.isRightToLeft():
            done.moveRight(outline.right())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 2))
        painter.drawRoundedRect(outline, 6, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(done, 6, 6)
        painter.end()


class TopBar(QFrame):
    def __init__(self, site_name: str) -> None:
        super().__init__()
        self.setProperty("role", "bar")
        top = QHBoxLayout(self)
        top.setContentsMargins(24, 12, 24, 12)
        self.site_label = label("muted")
        self.site_label.setText(site_name)
        self.site_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.site_label.setMinimumWidth(1)
        self.progress_label = label("muted", wrap=False)
        self.progress = StepIndicator()
        self.language_button = button(name="nav_language")
        self.text_size_button = button(name="nav_text_size")
        self.contrast_button = button(name="nav_contrast")
        self.french_button = button(name="nav_french")
        self.french_button.setCheckable(True)
        self._tools = QHBoxLayout()
        self._tools.addWidget(self.site_label, 1)
        for b in (self.text_size_button, self.contrast_button, self.french_button, self.language_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self._tools.addWidget(b)
        second = QHBoxLayout()
        second.addWidget(self.progress_label)
        second.addWidget(self.progress, 1)
        rows = QVBoxLayout()
        rows.addLayout(self._tools)
        rows.addLayout(second)
        top.addLayout(rows)

    def add_tool(self, widget: QWidget) -> None:
        """A button of another capability (read-aloud), first after the terminal's name."""
        widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._tools.insertWidget(1, widget)

    def update_view(self, tr: Translator, visit: Visit) -> None:
        self.language_button.setText(tr.tr("Language"))
        self.text_size_button.setText("\u2066A+\u2069")
        self.text_size_button.setAccessibleName(tr.tr("Larger text"))
        self.contrast_button.setText("◐")
        self.contrast_button.setAccessibleName(tr.tr("High contrast"))
        self.french_button.setText("FR")
        self.french_button.setAccessibleName(tr.tr("Show the French text too"))
        self.french_button.setVisible(visit.language != "fr")
        self.language_button.setVisible(visit.screen is not Screen.LANGUAGE)
        state = visit.state if visit.screen is Screen.STEP else None
        self.progress.setVisible(state is not None)
        self.progress_label.setVisible(state is not None)
        if state is not None:
            where = tr.tr("Step {current} of {total}", current=state.position, total=state.total)
            self.progress.show_step(state.position, state.total, where)
            self.progress_label.setText(where)


class BottomBar(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "bar")
        bottom = QHBoxLayout(self)
        bottom.setContentsMargins(24, 12, 24, 12)
        bottom.setSpacing(16)
        self.back_button = button(name="nav_back")
        self.help_button = WrapButton(name="nav_help")         # "Help is on the way" in long languages
        self.finish_button = WrapButton("danger", name="nav_finish")
        self.email_button = WrapButton(name="nav_email_help")   # on the site's sign-up pages (email_help.py)
        self.email_button.hide()
        for b in (self.back_button, self.email_button, self.help_button, self.finish_button):
            bottom.addWidget(b)

    def update_view(self, tr: Translator, can_go_back: bool, help_text: str) -> None:
        self.back_button.setText(tr.tr("Back"))
        arrow = QStyle.StandardPixmap.SP_ArrowRight if tr.rtl else QStyle.StandardPixmap.SP_ArrowLeft
        self.back_button.setIcon(self.style().standardIcon(arrow))
        self.back_button.setEnabled(can_go_back)
        self.help_button.setText(help_text)
        self.finish_button.setText(tr.tr("Finish"))

    def show_email_help(self, text: str | None) -> None:
        """The way to the e-mail address guide (its label), or None to hide it."""
        self.email_button.setVisible(text is not None)
        self.email_button.setText(text or "")
