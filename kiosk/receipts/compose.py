"""From receipt or incident data to a `Sheet`: the rows to print, in the visitor's language and French.

The kiosk's own labels are translated here (English msgids, marked with N_ for extraction); values
typed by the visitor or from the administration are isolated inside translated sentences so that
they keep their own direction in right-to-left text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from kiosk.i18n import N_, Translator, isolate
from kiosk.receipts.model import Bilingual, IncidentData, ReceiptData, Site

RowKind = Literal["title", "heading", "item", "text", "small"]

CONTACT_CENTRE_PHONE = "0 806 001 620"
DEFENSEUR_URL = "https://www.defenseurdesdroits.fr"
DEFENSEUR_PHONE = "09 69 39 00 00"

TITLE = N_("Summary of your visit")
WHEN = N_("Date and time: {when}")
PROCEDURE = N_("Procedure")
STEPS_DONE = N_("Steps done")
DOCUMENTS = N_("Documents prepared")
REFERENCES = N_("Numbers you noted")
NEXT_STEPS = N_("Next steps")
COSTS = N_("What you will pay")
HELP = N_("Help")
LABEL_VALUE = N_("{label}: {value}")
DATED = N_("{date}: {text}")
OFFICIAL_PAGE = N_("Official page of the procedure (scan the code):")
NOT_OFFICIAL = N_("Printed by the kiosk of this reception point. This is not a document of the "
                  "administration.")
TERMINAL = N_("Terminal {terminal}, content {version}")
INCIDENT_TITLE = N_("Proof that the online procedure could not be completed")
INCIDENT_INTRO = N_("On this date, at this reception point, the administration's website did not work "
                    "and the procedure could not be completed online.")
INCIDENT_STEP = N_("Step of the procedure")
INCIDENT_ADDRESS = N_("Address of the page")
INCIDENT_ERROR = N_("Message shown by the website")
INCIDENT_SCREENSHOT = N_("Screenshot of the page (taken with your agreement)")
WHAT_NEXT = N_("What to do next")
KEEP_PROOF = N_("Keep this document: it shows that you tried to do the procedure online on this date.")
CALL_CENTRE = N_("Call the contact centre of the administration for foreign residents: {phone}.")
DEFENSEUR = N_("If the delay harms your rights (for example, your permit expires), you can contact the "
               "Défenseur des droits: {url} or {phone}.")
ASK_MEDIATOR = N_("A mediator at this reception point can help you with these steps.")


def keep(value: str) -> str:
    """A value printed in one piece: isolated (own direction) and not broken at its spaces."""
    return isolate(value.replace(" ", "\u00a0"))


def document_pages(tr: Translator, name: str, pages: int) -> str:
    return tr.trn("{name}: {n} page", "{name}: {n} pages", pages, name=isolate(name))


@dataclass(frozen=True)
class Row:
    kind: RowKind
    visitor: str
    french: str


@dataclass
class Sheet:
    """Everything to print, before layout. `bilingual` is False when the visitor reads French."""
    visitor_rtl: bool
    bilingual: bool
    site: Site
    rows: list[Row] = field(default_factory=list)
    qr_url: str | None = None
    image_png: bytes | None = None
    image_caption: Row | None = None
    footer: list[Row] = field(default_factory=list)


class Composer:
    """Builds sheets with two translators: the visitor's and French."""

    def __init__(self, visitor: Translator, french: Translator) -> None:
        self.visitor = visitor
        self.french = french

    def row(self, kind: RowKind, make: Callable[[Translator], str]) -> Row:
        return Row(kind, make(self.visitor), make(self.french))

    def label(self, kind: RowKind, msgid: str, **values: object) -> Row:
        return self.row(kind, lambda tr: tr.tr(msgid, **values))

    def pair(self, kind: RowKind, text: Bilingual) -> Row:
        return Row(kind, text.visitor, text.french)

    def _sheet(self, site: Site) -> Sheet:
        return Sheet(self.visitor.rtl, self.visitor.code != self.french.code, site)

    def _when(self, when: dt.datetime) -> Row:
        return self.row("text", lambda tr: tr.tr(WHEN, when=isolate(tr.datetime(when))))

    def _section(self, sheet: Sheet, heading: str, items: list[Row]) -> None:
        if items:
            sheet.rows.append(self.label("heading", heading))
            sheet.rows.extend(items)

    def receipt(self, data: ReceiptData) -> Sheet:
        sheet = self._sheet(data.site)
        sheet.rows += [self.label("title", TITLE), self._when(data.when)]
        self._section(sheet, PROCEDURE, [self.pair("item", data.procedure)])
        self._section(sheet, STEPS_DONE, [self.pair("item", s) for s in data.steps_done])
        self._section(sheet, DOCUMENTS, [
            Row("item", document_pages(self.visitor, d.name.visitor, d.pages),
                document_pages(self.french, d.name.french, d.pages)) for d in data.documents])
        self._section(sheet, REFERENCES, [
            Row("item", self.visitor.tr(LABEL_VALUE, label=r.label.visitor, value=keep(r.value)),
                self.french.tr(LABEL_VALUE, label=r.label.french, value=keep(r.value)))
            for r in data.references])
        self._section(sheet, COSTS, [self.pair("item", c) for c in data.costs])
        self._section(sheet, NEXT_STEPS, [self._next(s.text, s.due) for s in data.next_steps])
        self._section(sheet, HELP, [
            Row("item", self.visitor.tr(LABEL_VALUE, label=c.name.visitor, value=keep(c.detail)),
                self.french.tr(LABEL_VALUE, label=c.name.french, value=keep(c.detail)))
            for c in data.contacts])
        sheet.qr_url = data.official_url
        sheet.footer = [self.label("small", OFFICIAL_PAGE), Row("small", data.official_url,
                                                                data.official_url),
                        self.label("small", NOT_OFFICIAL),
                        self.label("small", TERMINAL, terminal=isolate(data.site.terminal_id),
                                   version=isolate(data.content_version))]
        return sheet

    def _next(self, text: Bilingual, due: dt.date | None) -> Row:
        if due is None:
            return self.pair("item", text)
        return Row("item", self.visitor.tr(DATED, date=isolate(self.visitor.date(due)), text=text.visitor),
                   self.french.tr(DATED, date=isolate(self.french.date(due)), text=text.french))

    def incident(self, data: IncidentData) -> Sheet:
        sheet = self._sheet(data.site)
        sheet.rows += [self.label("title", INCIDENT_TITLE), self._when(data.when),
                       self.label("text", INCIDENT_INTRO)]
        self._section(sheet, PROCEDURE, [self.pair("item", data.procedure)])
        self._section(sheet, INCIDENT_STEP, [self.pair("item", data.step)])
        self._section(sheet, INCIDENT_ADDRESS, [Row("item", isolate(data.safe_address),
                                                    isolate(data.safe_address))])
        if data.error_text.strip():
            error = isolate(data.error_text.strip())
            self._section(sheet, INCIDENT_ERROR, [Row("item", error, error)])
        self._section(sheet, WHAT_NEXT, [
            self.label("item", KEEP_PROOF),
            self.label("item", CALL_CENTRE, phone=keep(CONTACT_CENTRE_PHONE)),
            self.label("item", DEFENSEUR, url=isolate(DEFENSEUR_URL), phone=keep(DEFENSEUR_PHONE)),
            self.label("item", ASK_MEDIATOR)])
        if data.screenshot_png:
            sheet.image_png = data.screenshot_png
            sheet.image_caption = self.label("heading", INCIDENT_SCREENSHOT)
        sheet.footer = [self.label("small", NOT_OFFICIAL),
                        self.label("small", TERMINAL, terminal=isolate(data.site.terminal_id),
                                   version=isolate(data.content_version))]
        return sheet
