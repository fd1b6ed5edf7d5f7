"""The bars above and below the pages: where the visitor is and the display options on top,
Back, Help and Finish at the bottom. They render the visit; their buttons are wired by the window."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QSizePolicy, QStyle, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, button, label
from kiosk.visit.visit import Screen, Visit


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
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
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
            self.progress.setRange(0, state.total)
            self.progress.setValue(state.position)
            self.progress_label.setText(tr.tr("Step {current} of {total}", current=state.position,
                                              total=state.total))


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
        for b in (self.back_button, self.help_button, self.finish_button):
            bottom.addWidget(b)

    def update_view(self, tr: Translator, can_go_back: bool, help_text: str) -> None:
        self.back_button.setText(tr.tr("Back"))
        arrow = QStyle.StandardPixmap.SP_ArrowRight if tr.rtl else QStyle.StandardPixmap.SP_ArrowLeft
        self.back_button.setIcon(self.style().standardIcon(arrow))
        self.back_button.setEnabled(can_go_back)
        self.help_button.setText(help_text)
        self.finish_button.setText(tr.tr("Finish"))
