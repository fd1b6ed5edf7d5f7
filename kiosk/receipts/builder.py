"""Turn a finished visit into the receipt's data: what the guide covered, in the visitor's language and
in French. Only what the visitor chose to note is personal; nothing here is logged or kept."""

from __future__ import annotations

import datetime as dt

from kiosk.content.model import Pack, StepKind
from kiosk.i18n import N_, Translator
from kiosk.receipts.model import (
    Bilingual,
    HelpContact,
    NextStep,
    PreparedDocument,
    ReceiptData,
    Reference,
    Site,
)
from kiosk.visit.costs import visitor_costs, visitor_line
from kiosk.visit.flow import FlowState

CONTACT_CENTRE = "0 806 001 620"
# A 0806 number: the service is free but the call is charged as a normal call ("numéro gris"), as the
# content pack's contacts.toml declares it (tests/content/test_content_consistency.py checks both agree).
CONTACT_CENTRE_LABEL = N_("Contact centre for foreign residents (charged as a normal call)")


def _both(tr: Translator, fr: Translator, text: str, content: bool = True) -> Bilingual:
    if content:
        return Bilingual(tr.content(text), fr.content(text))
    return Bilingual(tr.tr(text), fr.tr(text))


def build_receipt(state: FlowState, pack: Pack, tr: Translator, fr: Translator, site: Site,
                  references: list[str], when: dt.datetime,
                  documents: dict[str, int] | None = None) -> ReceiptData:
    """`documents`: id -> page count of the files the visitor prepared (names only, never content)."""
    proc = state.procedure
    steps = [proc.steps[sid] for sid in state.path]
    done = tuple(_both(tr, fr, s.title) for s in steps if s.kind is not StepKind.END)
    end = steps[-1]
    next_steps = (NextStep(_both(tr, fr, end.title)),) if end.kind is StepKind.END else ()
    number = N_("Number you noted")
    return ReceiptData(
        site=site, language=tr.code, when=when, procedure=_both(tr, fr, proc.title),
        official_url=proc.official_url, content_version=f"{pack.version} ({pack.short_hash})",
        steps_done=done,
        documents=tuple(PreparedDocument(_both(tr, fr, pack.documents[doc].name), pages)
                        for doc, pages in (documents or {}).items() if doc in pack.documents),
        references=tuple(Reference(_both(tr, fr, number, content=False), value) for value in references),
        next_steps=next_steps,
        contacts=(HelpContact(_both(tr, fr, CONTACT_CENTRE_LABEL, content=False), CONTACT_CENTRE),),
        costs=tuple(Bilingual(visitor_line(line, tr), visitor_line(line, fr))
                    for line in visitor_costs(proc, state.answers, when.date())))
