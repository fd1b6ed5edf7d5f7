"""One page per step kind of the guided flow: information, question, document checklist, end.

Every page has its pictogram beside its title (kiosk.visit.ui.pictograms): the step's own, else its
kind's; the checklist's cards also have each document's.

Each page renders the current step in the visitor's language; `retranslate` re-renders it, so a
language switch keeps the visitor exactly where they were.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.content.model import Document, Pack, Procedure, Step, StepKind
from kiosk.content.pack import PICTOGRAMS, pictogram_file
from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, clear_layout, label, scroll_column, svg_pixmap, titled_card
from kiosk.visit.costs import HEADING as COSTS_HEADING
from kiosk.visit.costs import SITE_SHOWS, amount_text, visitor_costs
from kiosk.visit.documents import PreparedDocuments
from kiosk.visit.ui.pictograms import Pictogram, step_pictogram, titled_row

log = logging.getLogger(__name__)

PICTOGRAM_SIZE = 88     # px: large enough to recognise at arm's length on a touch screen
OPEN_SITE = N_("Open the official site")
OPEN_PRACTICE = N_("Open the practice site")


class StepPage(Page):
    """Common frame: title, text, then what the kind adds. Signals: next_requested(), site_requested().

    `site_label` (OPEN_SITE, OPEN_PRACTICE or None when the terminal has no browser) names the button
    that opens the site; it shows on the steps that happen on the site: those with a glossary of its
    labels, the document checklists (to send the files) and the end.
    """

    next_requested = Signal()
    site_requested = Signal()
    site_label: str | None = None

    def __init__(self, pack: Pack) -> None:
        super().__init__()
        self._pack = pack
        self.step: Step | None = None
        self.procedure: Procedure | None = None
        self.answers: tuple[tuple[str, str], ...] = ()     # the visit's (FlowState.answers): costs
        self._tr: Translator | None = None
        self._title = mark_heading(label("title"))
        self._text = label()
        self.pictogram = Pictogram(Path(pack.path))   # beside the title: the step's, else its kind's
        area, column = scroll_column()
        self._column = column                    # kinds insert their own widgets into it
        column.addLayout(titled_row(self.pictogram, self._title))
        column.addWidget(self._text)
        self._body = QVBoxLayout()
        self._body.setSpacing(16)
        column.addLayout(self._body)
        column.addStretch(1)
        self.site_button = WrapButton(name="step_open_site")
        self.site_button.clicked.connect(self.site_requested)
        column.addWidget(self.site_button)
        self._next = WrapButton("primary", "step_next")
        self._next.clicked.connect(self.next_requested)
        column.addWidget(self._next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def show_step(self, step: Step, tr: Translator) -> None:
        self.step = step
        self.retranslate(tr)

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        if self.step is None:
            return
        self._title.setText(tr.content(self.step.title))
        self.pictogram.draw(step_pictogram(self.step), self._title.text())
        self._text.setText(tr.content(self.step.text))
        self._text.setVisible(bool(self.step.text))
        self._next.setText(tr.tr("Continue"))
        clear_layout(self._body)
        self._fill(self.step, tr)
        if self.step.glossary:
            self._body.addWidget(self._glossary(self.step, tr))
        on_site = bool(self.step.glossary) or self.step.kind in (StepKind.CHECKLIST, StepKind.END)
        self.site_button.setVisible(self.site_label is not None and on_site)
        self.site_button.setText(tr.tr(self.site_label) if self.site_label is not None else "")

    def _glossary(self, step: Step, tr: Translator) -> QFrame:
        """The French labels the visitor will meet on the official site, explained."""
        card, box = titled_card("glossary", tr.text("Words you will see on the site"))
        for french, explanation in step.glossary:
            term = label()
            term.setText(f"{tr.lead}« {isolate(french)} »")
            term.setStyleSheet("font-weight: bold;")
            meaning = label()
            meaning.setText(tr.content(explanation))
            box.addWidget(term)
            box.addWidget(meaning)
        return card

    def _fill(self, step: Step, tr: Translator) -> None:
        """Add what this kind of step shows below the text."""

    def reset(self) -> None:
        self.step = None
        self._title.clear()
        self.pictogram.clear()
        self._text.clear()
        clear_layout(self._body)

    def is_empty(self) -> bool:
        return self.step is None and not self._title.text() and self._body.count() == 0


class InfoPage(StepPage):
    kind = StepKind.INFO


class QuestionPage(StepPage):
    """Signals: answer_chosen(answer_id)."""

    kind = StepKind.QUESTION
    answer_chosen = Signal(str)

    def __init__(self, pack: Pack) -> None:
        super().__init__(pack)
        self._next.hide()
        self.answer_buttons: list[WrapButton] = []

    def _fill(self, step: Step, tr: Translator) -> None:
        self.answer_buttons = []
        for answer in step.answers:
            btn = WrapButton(name=f"answer_{answer.id}")
            btn.setText(tr.content(answer.label))
            btn.clicked.connect(lambda _=False, a=answer.id: self.answer_chosen.emit(a))
            self._body.addWidget(btn)
            self.answer_buttons.append(btn)

    def reset(self) -> None:
        super().reset()
        self.answer_buttons = []


class _Card(QFrame):
    """One document's card; its widgets are kept to be filled again."""

    name: QLabel
    picture: QLabel | None
    explanation: QLabel
    pages: QLabel
    alternatives: QLabel
    limits: QLabel
    done: QLabel
    scan: WrapButton


class ChecklistPage(StepPage):
    """Signals: scan_requested(document id). `documents` gives the visitor's prepared documents (which
    already have a file).

    Each card starts with the document's pictogram (the pack's own drawing or the kiosk's
    `pictograms` folder) beside its name; a drawing that is missing or unreadable is logged once and
    the card shows the name alone."""

    kind = StepKind.CHECKLIST
    scan_requested = Signal(str)

    def __init__(self, pack: Pack, can_scan: bool = False, pictograms: Path = PICTOGRAMS,
                 documents: Callable[[], PreparedDocuments] = PreparedDocuments) -> None:
        super().__init__(pack)
        self.can_scan = can_scan
        self._documents = documents
        self._pictograms = pictograms
        self._pixmaps: dict[tuple[str, float], QPixmap | None] = {}
        self._missing: set[str] = set()
        self._cards: dict[str, _Card] = {}
        self._cards_host = QWidget()             # the cards, above the costs and the glossary
        self._cards_box = QVBoxLayout(self._cards_host)
        self._cards_box.setContentsMargins(0, 0, 0, 0)
        self._cards_box.setSpacing(16)
        column = self._column
        column.insertWidget(column.indexOf(self._text) + 1, self._cards_host)

    def _fill(self, step: Step, tr: Translator) -> None:
        for card in self._cards.values():
            self._cards_box.removeWidget(card)
            card.hide()
        for doc_id in step.documents:
            doc = self._pack.documents[doc_id]
            if doc_id not in self._cards:
                self._cards[doc_id] = self._card(doc)
            card = self._cards[doc_id]
            self._fill_card(card, doc, tr)
            self._cards_box.addWidget(card)
            card.show()
        if self.procedure is not None and (costs := self._costs(self.procedure, tr)) is not None:
            self._body.addWidget(costs)

    def reset(self) -> None:
        super().reset()
        for card in self._cards.values():
            self._cards_box.removeWidget(card)
            card.hide()
            card.done.clear()               # "File ready: 2 pages": of the visitor who left
            card.scan.setText("")

    def _costs(self, procedure: Procedure, tr: Translator) -> QFrame | None:
        """What the visitor pays, for their answers (kiosk.visit.costs): what each payment is for, then
        its amount (Babel, the visitor's locale) when a primary source verifies it, else that the site
        shows the amount before paying; None when nothing is to pay."""
        lines = visitor_costs(procedure, self.answers, dt.date.today())
        if not lines:
            return None
        card, box = titled_card("costs", tr.text(COSTS_HEADING))
        for line in lines:
            item = label()
            item.setObjectName(f"cost_{line.id}")
            item.setStyleSheet("font-weight: bold;")
            item.setText(tr.content(line.label))
            amount = label("muted" if line.amount_eur is None else "")
            amount.setObjectName(f"cost_{line.id}_amount")
            amount.setText(tr.lead + isolate(amount_text(line, tr)) if line.amount_eur is not None
                           else tr.text(SITE_SHOWS))
            box.addWidget(item)
            box.addWidget(amount)
            if line.note:
                note = label("muted")
                note.setText(tr.content(line.note))
                box.addWidget(note)
        return card

    def _pictogram(self, doc: Document) -> QLabel | None:
        """The document's pictogram, named for screen readers; drawn as is (pictograms are not text:
        a right-to-left page moves it to the start of the line but does not mirror it)."""
        if not doc.pictogram:
            return None
        ratio = self.devicePixelRatioF()
        key = (doc.pictogram, ratio)
        if key not in self._pixmaps:
            path = pictogram_file(doc.pictogram, Path(self._pack.path), self._pictograms)
            self._pixmaps[key] = svg_pixmap(path, PICTOGRAM_SIZE, ratio) if path else None
        pixmap = self._pixmaps[key]
        if pixmap is None:
            if doc.pictogram not in self._missing:
                self._missing.add(doc.pictogram)
                log.warning("pictogram %r of document %r cannot be drawn (no readable %s.svg); "
                            "its card shows no picture", doc.pictogram, doc.id, doc.pictogram)
            return None
        picture = QLabel()
        picture.setObjectName(f"pictogram_{doc.id}")
        picture.setPixmap(pixmap)
        picture.setFixedSize(PICTOGRAM_SIZE, PICTOGRAM_SIZE)
        return picture

    def _card(self, doc: Document) -> _Card:
        """The card of one document, made once per kiosk and filled at each render (making ~8
        styled widgets per document at every render cost a checklist 60–80 ms)."""
        card = _Card(self._cards_host)
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        box.setContentsMargins(20, 16, 20, 20)
        box.setSpacing(10)
        card.name = mark_heading(label("title"), level=2)
        header = QHBoxLayout()
        header.setSpacing(20)
        card.picture = self._pictogram(doc)
        if card.picture is not None:
            header.addWidget(card.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(card.name, 1)
        box.addLayout(header)
        card.explanation, card.pages, card.alternatives = label(), label(), label()
        card.limits, card.done = label("muted"), label()
        for line in (card.explanation, card.pages, card.alternatives, card.limits, card.done):
            box.addWidget(line)
        card.scan = WrapButton(name=f"scan_{doc.id}")
        card.scan.clicked.connect(lambda _=False, d=doc.id: self.scan_requested.emit(d))
        box.addWidget(card.scan)
        card.scan.setVisible(self.can_scan)         # once in the card: a parentless shown widget is a window
        return card

    def _fill_card(self, card: _Card, doc: Document, tr: Translator) -> None:
        card.name.setText(tr.content(doc.name))
        if card.picture is not None:
            card.picture.setAccessibleName(card.name.text())
        for line, text in ((card.explanation, doc.explanation), (card.pages, doc.pages)):
            line.setText(tr.content(text) if text else "")
            line.setVisible(bool(text))
        if doc.alternatives:
            items = "".join(f"\n• {isolate(tr.content(a))}" for a in doc.alternatives)
            text = tr.tr("Also accepted: {items}", items=items)
            # no space left at the end of a line: Qt counts it at the start of a right-to-left
            # line and pushes the first letter past the label's edge
            card.alternatives.setText("\n".join(line.rstrip() for line in text.split("\n")))
        card.alternatives.setVisible(bool(doc.alternatives))
        card.limits.setText(tr.text("File for the site: {formats}, at most {size} MB",
                                    formats=" / ".join(f.upper() for f in doc.formats),
                                    size=format(doc.max_mb, "g")))
        ready = self._documents().get(doc.id) if self.can_scan else None
        card.done.setText("" if ready is None else "✓ " + tr.trn(
            "File ready: {n} page, {size} MB", "File ready: {n} pages, {size} MB", ready.pages,
            size=format(ready.megabytes, ".1f")))
        card.done.setVisible(ready is not None)
        card.scan.setText(tr.tr("Scan this document") if ready is None else tr.tr("See or change the pages"))


class EndPage(StepPage):
    """Signals: finish_requested() — the visitor is done; reference_changed(str) — the reference
    number the visitor wants on the receipt changed, whatever changed the field: typing on either
    keyboard, a paste, an assistive technology setting the text (textChanged, not textEdited, which
    only typing emits). The receipt prints the model's value, never the field's."""

    kind = StepKind.END
    finish_requested = Signal()
    reference_changed = Signal(str)
    print_requested = Signal()

    def __init__(self, pack: Pack) -> None:
        super().__init__(pack)
        self._next.clicked.disconnect()
        self._next.clicked.connect(self.finish_requested)
        self._next.setObjectName("step_finish")
        self.finish_button = self._next      # a side guide's end relabels it (router: back to the procedure)
        self._reference_label = label()
        self.reference_field = QLineEdit()
        self.reference_field.setObjectName("reference_field")
        self.reference_field.setMinimumHeight(64)
        self.reference_field.setMaxLength(64)
        self.reference_field.textChanged.connect(self.reference_changed)
        column = self._column
        index = column.indexOf(self._next)
        column.insertWidget(index, self._reference_label)
        column.insertWidget(index + 1, self.reference_field)
        self.print_button = WrapButton("primary", "print_receipt")
        self.print_button.clicked.connect(self.print_requested)
        column.insertWidget(index + 2, self.print_button)
        self._next.setProperty("role", "")

    def _fill(self, step: Step, tr: Translator) -> None:
        note = label("muted")
        note.setText(tr.text("This guide explains the procedure. The official site decides."))
        self._body.addWidget(note)

    def retranslate(self, tr: Translator) -> None:
        super().retranslate(tr)
        self._next.setText(tr.tr("I have finished: erase everything"))
        self.print_button.setText(tr.tr("Print my receipt"))
        self._reference_label.setText(tr.text("A number to keep (for example your file number)? "
                                              "Type it here to have it on your receipt."))
        self.reference_field.setAccessibleName(tr.tr("Number to print on your receipt"))

    def reset(self) -> None:
        super().reset()
        self.reference_field.clear()

    def is_empty(self) -> bool:
        return super().is_empty() and not self.reference_field.text()
