"""The guide beside the locked browser: the guide page of the page shown, its French labels explained,
where the visitor is when they left the procedure's pages, refusals explained, the documents
downloaded from the site, and the "The site is not working" button (always visible).

Signals:
    back_requested()            "Back to the expected page" was pressed
    incident_requested()        "The site is not working" was pressed
    show_requested(str path)    a downloaded document's "Show" was pressed
    print_requested(str path)   a downloaded document's "Print" was pressed
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.browser.policy import REFUSAL_MESSAGES, GuidePage, Position, RefusalReason
from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.widgets import WrapButton, button, clear_layout, headed_card, label, scroll_column
from kiosk.visit.ui.pictograms import SITE_PICTOGRAM, Pictogram, titled_row

PRACTICE = N_("Practice — nothing is sent")
OPENING = N_("Opening the official site…")
SITE_TITLE = N_("The official site")
FOLLOW = N_("Follow the pages of the site. Ask a mediator if you are not sure what to do.")
GENERIC = N_("Fill in the pages of the official site. The words below explain the French labels you "
             "will see.")
OFF_TITLE = N_("You left the pages of the procedure")
OFF_TEXT = N_("You are on {site}. This page is not part of your procedure.")
BACK = N_("Back to the expected page")
WORDS = N_("Words on this page")
DOWNLOADS = N_("Documents from the site")
SHOW = N_("Show")
PRINT = N_("Print")
SITE_DOWN = N_("The site is not working")

PRACTICE_STYLE = "background: #b34000; color: #ffffff; font-weight: bold; padding: 8px; border-radius: 8px;"


def page_text(tr: Translator, page: GuidePage, text: str) -> str:
    """A guide page's text (a content pack text) in the visitor's language; with the "FR" toggle, its
    French under it."""
    return tr.content(text)


class GuidePanel(QWidget):
    back_requested = Signal()
    incident_requested = Signal()
    show_requested = Signal(str)
    print_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browser_guide")
        self._tr: Translator | None = None
        self.position: Position | None = None
        self.refusal: RefusalReason | None = None
        self.practice = False
        self.downloads: list[Path] = []
        self._build_cards()
        area, column = scroll_column()
        column.setContentsMargins(16, 16, 16, 16)
        column.addWidget(self.refusal_card)
        column.addWidget(self.off_card)
        column.addLayout(titled_row(self.pictogram, self.title))
        for w in (self.text, self.downloads_card, self.glossary_card):
            column.addWidget(w)
        column.addStretch(1)
        self.scroll_area = area
        self.incident_button = WrapButton(name="browser_site_down")
        self.incident_button.clicked.connect(self.incident_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.setSpacing(8)
        layout.addWidget(self.practice_badge)
        layout.addWidget(area, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(16, 0, 16, 0)
        bottom.addWidget(self.incident_button)
        layout.addLayout(bottom)
        self._render()

    def _build_cards(self) -> None:
        self.practice_badge = label()
        self.practice_badge.setObjectName("practice_badge")
        self.practice_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.practice_badge.setStyleSheet(PRACTICE_STYLE)
        self.practice_badge.hide()
        self.refusal_card, refusal_heading, box = headed_card("browser_refusal")
        self.refusal_text = label()
        self.refusal_text.setObjectName("refusal_text")
        refusal_heading.hide()
        box.addWidget(self.refusal_text)
        self.off_card, self.off_title, box = headed_card("browser_off_path")
        self.off_text = label()
        self.back_button = button("primary", "browser_back_to_path")
        self.back_button.clicked.connect(self.back_requested)
        box.addWidget(self.off_text)
        box.addWidget(self.back_button)
        self.title = label("title")
        self.title.setObjectName("guide_title")
        self.pictogram = Pictogram()       # beside the title: the official site (issue 19 point 5)
        self.text = label()
        self.text.setObjectName("guide_text")
        self.glossary_card, self.glossary_heading, box = headed_card("browser_glossary")
        self._terms = QVBoxLayout()
        box.addLayout(self._terms)
        self.downloads_card, self.downloads_heading, box = headed_card("browser_downloads")
        self._entries = QVBoxLayout()
        box.addLayout(self._entries)

    # --- state -----------------------------------------------------------------------------------

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        self._render()

    def set_position(self, position: Position | None) -> None:
        self.position = position
        self._render()

    def set_refusal(self, reason: RefusalReason | None) -> None:
        self.refusal = reason
        self._render()

    def set_practice(self, practice: bool) -> None:
        self.practice = practice
        self._render()

    def add_download(self, path: Path) -> None:
        self.downloads.append(path)
        self._render()
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.downloads_card, 0, 16))

    def clear(self) -> None:
        self.position = self.refusal = None
        self.practice = False
        self.downloads = []
        self._render()
        self.scroll_area.verticalScrollBar().setValue(0)

    # --- drawing ---------------------------------------------------------------------------------

    def _render(self) -> None:
        tr = self._tr
        if tr is None:
            return
        self.practice_badge.setText(tr.text(PRACTICE))
        self.practice_badge.setVisible(self.practice)
        self.refusal_card.setVisible(self.refusal is not None)
        if self.refusal is not None:
            self.refusal_text.setText(tr.text(REFUSAL_MESSAGES[self.refusal]))
        self._render_position(tr)
        self._render_downloads(tr)
        self.incident_button.setText(tr.tr(SITE_DOWN))

    def _render_position(self, tr: Translator) -> None:
        position = self.position
        off = position is not None and not position.on_path
        self.off_card.setVisible(off)
        if position is not None and off:
            self.off_title.setText(tr.text(OFF_TITLE))
            where = position.host or position.url
            self.off_text.setText(tr.text(OFF_TEXT, site=isolate(where)))
            self.back_button.setText(tr.tr(BACK))
        page = position.page if position is not None else None
        clear_layout(self._terms)
        if position is None:
            self.title.setText(tr.text(OPENING))
            self.text.setText("")
        elif page is None:
            self.title.setText(tr.text(SITE_TITLE))
            self.text.setText("" if off else tr.text(FOLLOW))
        else:
            self.title.setText(page_text(tr, page, page.title))
            self.text.setText(page_text(tr, page, page.text) if page.text else tr.text(GENERIC))
        self.pictogram.draw(SITE_PICTOGRAM, self.title.text())
        self.text.setVisible(bool(self.text.text()))
        glossary = page.glossary if page is not None else ()
        self.glossary_card.setVisible(bool(glossary))
        self.glossary_heading.setText(tr.text(WORDS))
        for french, explanation in glossary:
            term = label()
            term.setObjectName("glossary_term")
            term.setText(f"{tr.lead}« {isolate(french)} »")
            term.setStyleSheet("font-weight: bold;")
            meaning = label()
            meaning.setText(page_text(tr, page, explanation) if page is not None else "")
            self._terms.addWidget(term)
            self._terms.addWidget(meaning)

    def _render_downloads(self, tr: Translator) -> None:
        clear_layout(self._entries)
        self.downloads_card.setVisible(bool(self.downloads))
        self.downloads_heading.setText(tr.text(DOWNLOADS))
        for path in self.downloads:
            name = QLabel(tr.lead + isolate(path.name))
            name.setWordWrap(True)
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setObjectName("download_name")
            row = QWidget()
            buttons = QHBoxLayout(row)
            buttons.setContentsMargins(0, 0, 0, 8)
            show, print_ = button(name="download_show"), button("primary", "download_print")
            show.setText(tr.tr(SHOW))
            print_.setText(tr.tr(PRINT))
            show.clicked.connect(lambda _=False, p=str(path): self.show_requested.emit(p))
            print_.clicked.connect(lambda _=False, p=str(path): self.print_requested.emit(p))
            print_.setVisible(path.suffix.lower() == ".pdf")
            buttons.addWidget(show)
            buttons.addWidget(print_)
            self._entries.addWidget(name)
            self._entries.addWidget(row)

    def is_empty(self) -> bool:
        return self.position is None and not self.downloads and self.refusal is None
