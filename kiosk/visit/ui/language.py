"""Language picker: native names (CLDR), no flags.

For visitors who cannot read (`listen_first`, on when the terminal has a voice and
`[devices] say_language_names`): a touch on a language selects it visibly (highlighted, with "Touch again
to choose" in that language) and asks for its name to be said in that language (`language_touched`: the
kiosk's voice says it, or plays a chime when it has no voice for it); a second touch on the same language
chooses it (`chosen_after_hearing`, then `language_chosen`); a touch on another language selects and says
that one instead. A hint under the title tells readers the same.

Only a touch (a pointer's click) asks twice. A key (Space on a focused button) or an assistive
technology's "press" action chooses at once: a screen-reader user already heard the name from their
reader, and the kiosk's voice would talk over it. Leaving the page forgets the selection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.i18n import N_, Translator
from kiosk.i18n.languages import Language
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, direction, label, scroll_column
from kiosk.visit.ui.pictograms import LANGUAGE_PICTOGRAM, Pictogram, titled_row

TOUCH_AGAIN = N_("Touch again to choose")
TWO_LINES = 136        # px: in portrait every button has room for the name and "Touch again…" below it
                       # (a touch moves nothing); in landscape (no room) "Touch again…" follows the name
HINT = N_("Touch your language to hear its name. Touch it again to choose it.")


class LanguageButton(WrapButton):
    """A language's button; `by_pointer` is True while the click it emits comes from a touch or a mouse
    (Qt emits `clicked` from inside the release event), False for a key or an accessibility action."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self.by_pointer = False

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt naming
        self.by_pointer = True
        try:
            super().mouseReleaseEvent(event)
        finally:
            self.by_pointer = False


class LanguagePage(Page):
    """Signals: language_chosen(code); language_touched(code) — a first touch, say the name;
    chosen_after_hearing(code) — a second touch chose it (emitted just before language_chosen)."""

    language_chosen = Signal(str)
    language_touched = Signal(str)
    chosen_after_hearing = Signal(str)

    def __init__(self, languages: Mapping[str, Language],
                 translators: Callable[[str], Translator] | None = None) -> None:
        super().__init__()
        self._title = mark_heading(label("title"))
        self.pictogram = Pictogram()        # beside the title: two speech bubbles (issue 19 point 5)
        self._hint = label("muted")
        self._hint.hide()
        area, column = scroll_column()
        grid_host = QWidget()
        self._grid = QGridLayout(grid_host)
        self._grid.setSpacing(16)
        self._columns = 0
        self.buttons: dict[str, LanguageButton] = {}
        self._languages = languages
        self._translators = translators
        self.confirm_by_second_touch = False
        self.selected: str | None = None
        for code, lang in languages.items():
            btn = LanguageButton(f"lang_{code}")
            btn.setLayoutDirection(direction(lang.rtl))
            btn.clicked.connect(lambda _=False, c=code: self._on_clicked(c))
            self.buttons[code] = btn
        self._lay_out(2)
        column.addLayout(titled_row(self.pictogram, self._title))
        column.addWidget(self._hint)
        column.addWidget(grid_host)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def listen_first(self, enabled: bool) -> None:
        """A touch says the name and a second touch chooses (True), or one touch chooses (False)."""
        self.confirm_by_second_touch = enabled
        self._hint.setVisible(enabled)
        for btn in self.buttons.values():      # each name is said in its own voice when touched, not
            btn.setProperty("skip_reading", enabled)   # read in the page's language with the screen
        self._size_buttons()
        if not enabled:
            self._select(None)

    def _on_clicked(self, code: str) -> None:
        if not (self.confirm_by_second_touch and self.buttons[code].by_pointer):
            self._select(None)
            self.language_chosen.emit(code)
        elif self.selected == code:
            self._select(None)
            self.chosen_after_hearing.emit(code)
            self.language_chosen.emit(code)
        else:
            self._select(code)
            self.language_touched.emit(code)

    def _select(self, code: str | None) -> None:
        """Highlight `code`'s button with "Touch again to choose" in its own language (None: nothing)."""
        previous, self.selected = self.selected, code
        if previous is not None and previous != code:
            self._show_button(previous, selected=False)
        if code is not None:
            self._show_button(code, selected=True)

    def _show_button(self, code: str, selected: bool) -> None:
        btn, name = self.buttons[code], self._languages[code].native_name
        again = self._translators(code).tr(TOUCH_AGAIN) if self._translators is not None else ""
        btn.setText(f"{name}{self._between}{again}" if selected and again else name)
        btn.setAccessibleName(name)
        btn.setAccessibleDescription(again if selected else "")
        btn.setProperty("role", "primary" if selected else "")
        for widget in (btn, *btn.findChildren(QWidget)):   # the label's colour follows its button's role
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _lay_out(self, columns: int) -> None:
        """Every language at once, no scrolling: 2 columns on a portrait screen, 3 on a landscape one."""
        if columns == self._columns:
            return
        self._columns = columns
        for btn in self.buttons.values():
            self._grid.removeWidget(btn)
        for i, btn in enumerate(self.buttons.values()):
            self._grid.addWidget(btn, i // columns, i % columns)
        self._size_buttons()

    @property
    def _between(self) -> str:
        return "\n" if self._columns == 2 else " · "

    def _size_buttons(self) -> None:
        two_lines = self.confirm_by_second_touch and self._columns == 2
        for btn in self.buttons.values():
            btn.setMinimumHeight(TWO_LINES if two_lines else 72)
        if self.selected is not None:
            self._show_button(self.selected, selected=True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._lay_out(3 if self.width() > self.height() else 2)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt naming
        super().hideEvent(event)
        self._select(None)                  # a selection is for this look at the page only

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("Choose your language"))
        self.pictogram.draw(LANGUAGE_PICTOGRAM, self._title.text())
        self._hint.setText(tr.tr(HINT))
        for code, btn in self.buttons.items():
            if not btn.text():          # CLDR names load on first show, not at start-up
                btn.setText(self._languages[code].native_name)

    def reset(self) -> None:
        self._select(None)
