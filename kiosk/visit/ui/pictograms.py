"""The pictogram beside each guide page's title, so that a page's meaning does not rest on its text alone.

A step of a guide shows the pictogram its guide names for it (`pictogram = "<name>"` in the step's
table), else the one of its kind, which says what the visitor does there: information (info), a
question to answer (question), documents to prepare (checklist), a date to set (calendar), the end
(done), an e-mail address (email). The procedure picker shows `guides`, the paper-only page `pen`,
the language page `language`, the scan page `scanner`, the official site's guide panel `website`, the
printing overlay `printer`. Beside the official site: its failure screen and the "site is not
working" overlay `site_down`, the site's own messages `website`, a downloaded document shown `document`,
the mailbox chooser `email`, the upload picker `checklist` (the visitor's prepared documents).
The widget itself (drawn from the pack's or the kiosk's folder, named with the title, skipped by
read-aloud, at the start of the title's line) is the kit's kiosk.ui.pictogram.
"""

from __future__ import annotations

from kiosk.content.model import Step
from kiosk.ui.pictogram import BUTTON_PICTOGRAM_SIZE, PAGE_PICTOGRAM_SIZE, Pictogram, titled_row

# the widget is the kit's (kiosk.ui.pictogram); the pages import it from here with their pictograms' names
__all__ = ["BUTTON_PICTOGRAM_SIZE", "DOCUMENT_PICTOGRAM", "FILE_PICKER_PICTOGRAM", "KIND_PICTOGRAMS",
           "LANGUAGE_PICTOGRAM", "MAILBOX_PICTOGRAM", "PAGE_PICTOGRAM_SIZE", "PAPER_ONLY_PICTOGRAM",
           "PRINTING_PICTOGRAM", "PROCEDURES_PICTOGRAM", "SCAN_PICTOGRAM", "SITE_DOWN_PICTOGRAM",
           "SITE_PICTOGRAM", "Pictogram", "step_pictogram", "titled_row"]

KIND_PICTOGRAMS = {"info": "info", "question": "question", "checklist": "checklist", "date": "calendar",
                   "end": "done", "address": "email"}
PROCEDURES_PICTOGRAM = "guides"
PAPER_ONLY_PICTOGRAM = "pen"
LANGUAGE_PICTOGRAM = "language"
SCAN_PICTOGRAM = "scanner"
SITE_PICTOGRAM = "website"
PRINTING_PICTOGRAM = "printer"
SITE_DOWN_PICTOGRAM = "site_down"
DOCUMENT_PICTOGRAM = "document"
MAILBOX_PICTOGRAM = "email"
FILE_PICKER_PICTOGRAM = "checklist"


def step_pictogram(step: Step) -> str:
    """The pictogram a step shows: its own, else its kind's."""
    return step.pictogram or KIND_PICTOGRAMS.get(step.kind.value, "info")
