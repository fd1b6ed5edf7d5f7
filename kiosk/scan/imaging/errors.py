"""Typed errors of the imaging pipeline, each with a message and what to do (msgids, see kiosk.i18n)."""

from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import N_


class Remedy(StrEnum):
    GRAY = "gray"            # scan (or save) in grey instead of colour
    SPLIT = "split"          # put fewer pages in this file
    MEDIATOR = "mediator"    # nothing the visitor can do alone


class ImagingError(Exception):
    """`message` and `action` are msgids (translate with Translator.tr); `str(error)` is technical."""

    message = N_("The document could not be prepared.")
    action = N_("Press Try again, or ask a mediator.")


class NoPages(ImagingError):
    message = N_("There is no page to put in this document.")
    action = N_("Scan at least one page.")


class UnsupportedFormat(ImagingError):
    message = N_("This kind of file cannot be made here.")
    action = N_("Ask a mediator.")


_REMEDY_ACTION = {
    Remedy.GRAY: N_("Press “Grey” to save it in shades of grey instead of colour: the file will be "
                    "smaller and stay readable."),
    Remedy.SPLIT: N_("Split it: keep fewer pages in this file and put the others in a second file, "
                     "if the site lets you add one."),
    Remedy.MEDIATOR: N_("Ask a mediator: this document is too big for the site even at the lowest "
                        "quality that stays readable."),
}


class DocumentTooLarge(ImagingError):
    """No encoding both fits `max_bytes` and stays above the legibility floor."""

    message = N_("This document is too big for the site and would become hard to read if made smaller.")

    def __init__(self, max_bytes: int, smallest_bytes: int, pages: int, color: bool,
                 reason: str = "size") -> None:
        super().__init__(f"{reason}: smallest legible {smallest_bytes} B > limit {max_bytes} B "
                         f"({pages} page(s), {'colour' if color else 'grey'})")
        self.max_bytes = max_bytes
        self.smallest_bytes = smallest_bytes
        self.pages = pages
        self.color = color
        remedies = [Remedy.GRAY] if color else []
        if pages > 1:
            remedies.append(Remedy.SPLIT)
        self.remedies: tuple[Remedy, ...] = tuple(remedies) or (Remedy.MEDIATOR,)

    @property
    def action(self) -> str:       # type: ignore[override]
        return _REMEDY_ACTION[self.remedies[0]]

    @property
    def actions(self) -> tuple[str, ...]:
        """Every way out, best first (msgids)."""
        return tuple(_REMEDY_ACTION[r] for r in self.remedies)
