"""The e-mail address slip: the address the visitor typed, printed large, with what it is for and how
to get back into the mailbox. Never a password (the kiosk never asks for one).

The address is visitor data: it lives in the session's memory (`Session.email_address`) and in the PDF
written to the session directory (`address-slip.pdf`), both gone with the wipe; it is never logged,
never put in a print job's title, never in the PDF's metadata.

Facts about the mail services (what their recovery asks, how long an unused mailbox lives), with their
sources, are in docs/research/email-address.md; the advice printed is only what those sources say.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from kiosk.i18n import N_, Translator, isolate
from kiosk.receipts.fonts import FontBook, Script
from kiosk.receipts.model import Site
from kiosk.receipts.render import Layout
from kiosk.receipts.textflow import Style, TextBlock
from kiosk.visit.email import looks_like_address

FILE_NAME = "address-slip.pdf"
GREY = HexColor("#555555")
ROLL_WIDTH, ROLL_MARGIN = 80 * mm, 4 * mm

TITLE = N_("Your e-mail address")
FOR_WHAT = N_("Give this address to the ANEF site. The site sends there the link to create your account, "
              "and a message when your application moves on.")
OPEN_OFTEN = N_("Open your mailbox often. Also look in the «Spam» folder.")
NO_PASSWORD = N_("Your password is not on this paper. Never give it to anyone, not even a mediator.")
RECOVERY = N_("If you lose your password")
GENERIC = N_("In the settings of your mailbox, add your mobile phone number and another e-mail address. If "
             "you forget your password, the service sends a code there to choose a new one.")
PRINTED = N_("Printed on {when} at {site}.")
NOT_OFFICIAL = N_("Printed by the kiosk of this reception point. This is not a document of the "
                  "administration.")


@dataclass(frozen=True)
class Provider:
    name: str                       # the service's own name, not translated
    domains: tuple[str, ...]
    advice: str                     # msgid (English), translated at print time


# What each service's own help pages say about getting back in (docs/research/email-address.md).
PROVIDERS: tuple[Provider, ...] = (
    Provider("Gmail (Google)", ("gmail.com", "googlemail.com"), N_(
        "Gmail: add a recovery phone number and a recovery e-mail address in your Google Account. If "
        "you forget your password, Google sends a code there.")),
    Provider("Outlook (Microsoft)", ("outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr", "live.com",
                                     "live.fr", "msn.com"), N_(
        "Outlook: on the sign-in page, choose the link for a forgotten password. Microsoft sends a code "
        "to your phone or to your other e-mail address. Without them, Microsoft has a recovery form.")),
    Provider("La Poste (laposte.net)", ("laposte.net",), N_(
        "laposte.net: on www.laposte.net, choose «Vous avez oublié votre mot de passe ?». The code comes "
        "by SMS or to your other address, if you gave them in your account. Open the mailbox at least "
        "every 4 months: otherwise its messages can be deleted.")),
)


def provider_of(address: str) -> Provider | None:
    """The mail service of an address, known by its domain; None for any other."""
    domain = address.rpartition("@")[2].strip().lower()
    return next((p for p in PROVIDERS if domain in p.domains), None)


@dataclass(frozen=True)
class AddressSlip:
    site: Site
    language: str           # the visitor's language (kiosk.i18n.LANGUAGES)
    when: dt.datetime
    address: str            # as typed; printed as is, never translated

    def __repr__(self) -> str:          # the address never reaches a log through a repr
        return f"AddressSlip(language={self.language!r})"


class SlipRenderer:
    """Renders the slip: the address large, then the texts in the visitor's language and, below a line,
    in French (the mediator or a prefecture agent reads that part)."""

    def __init__(self, fonts: FontBook, translator_for: Callable[[str], Translator]) -> None:
        self.fonts = fonts
        self.translator_for = translator_for

    def render(self, slip: AddressSlip, layout: Layout = "a4") -> bytes:
        if not looks_like_address(slip.address):
            raise ValueError("not an e-mail address")          # the value itself is never in the message
        width = (A4[0] - 30 * mm) if layout == "a4" else ROLL_WIDTH - 2 * ROLL_MARGIN
        story = self._story(slip, width, roll=layout != "a4")
        return self._a4(story) if layout == "a4" else self._roll(story, width)

    # --- content ---------------------------------------------------------------------------------

    def _story(self, slip: AddressSlip, width: float, roll: bool) -> list[Flowable]:
        visitor = self.translator_for(slip.language)
        french = self.translator_for("fr")
        scale = 0.9 if roll else 1.0
        small = Style(8 * scale, color=GREY, align="center")
        story: list[Flowable] = [TextBlock(slip.site.name, self.fonts, Style(10 * scale, bold=True,
                                                                            align="center"))]
        story += [Spacer(1, 3 * mm), *self._texts(visitor, slip, scale, title=True)]
        story += [Spacer(1, 2 * mm), self._address(slip.address, width, roll), Spacer(1, 3 * mm)]
        story += self._texts(visitor, slip, scale)
        if visitor.code != french.code:
            story += [Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=0.8, color=Color(0, 0, 0),
                                                    dash=(2, 2)), Spacer(1, 3 * mm)]
            story += self._texts(french, slip, scale, title=True) + self._texts(french, slip, scale)
        when = visitor.datetime(slip.when)
        story += [Spacer(1, 4 * mm),
                  TextBlock(visitor.tr(PRINTED, when=isolate(when), site=isolate(slip.site.name)),
                            self.fonts, small, visitor.rtl),
                  TextBlock(visitor.tr(NOT_OFFICIAL), self.fonts, small, visitor.rtl)]
        return story

    def _texts(self, tr: Translator, slip: AddressSlip, scale: float, title: bool = False) -> list[Flowable]:
        def block(text: str, style: Style) -> TextBlock:
            return TextBlock(text, self.fonts, style, tr.rtl)

        if title:
            return [block(tr.tr(TITLE), Style(15 * scale, bold=True, align="center"))]
        body, heading = Style(10.5 * scale, space_after=2), Style(10.5 * scale, bold=True, space_after=1)
        provider = provider_of(slip.address)
        out = [block(tr.tr(FOR_WHAT), body), block(tr.tr(OPEN_OFTEN), body),
               block(tr.tr(NO_PASSWORD), Style(10.5 * scale, bold=True, space_after=2)),
               Spacer(1, 1.5 * mm), block(tr.tr(RECOVERY), heading)]
        if provider is not None:
            out.append(block(tr.tr(provider.advice), body))
        out.append(block(tr.tr(GENERIC), body))
        return out

    def _address(self, address: str, width: float, roll: bool) -> TextBlock:
        """The address on one line when it fits, as large as possible (up to 26 pt), in bold Latin."""
        text = address.strip()
        font = self.fonts.font(Script.LATIN, bold=True)
        per_point = max(pdfmetrics.stringWidth(text, font, 1), 1.0)
        size = max(min(26.0 if not roll else 20.0, (width - 2) / per_point), 11.0)
        return TextBlock(isolate(text), self.fonts, Style(size, bold=True, align="center",
                                                           leading=size * 1.3), False)

    # --- layouts ---------------------------------------------------------------------------------

    def _a4(self, story: list[Flowable]) -> bytes:
        buffer = io.BytesIO()
        margin = 15 * mm
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                bottomMargin=margin, title="PAN Kiosk", author="", subject="",
                                creator="PAN Kiosk", initialFontName=self.fonts.font(Script.LATIN))
        doc.build(story)
        return buffer.getvalue()

    def _roll(self, story: list[Flowable], width: float) -> bytes:
        height = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
        page_height = height + 2 * ROLL_MARGIN + 6 * mm
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(ROLL_WIDTH, page_height),
                        initialFontName=self.fonts.font(Script.LATIN))
        canvas.setTitle("PAN Kiosk")
        canvas.setCreator("PAN Kiosk")
        frame = Frame(ROLL_MARGIN, ROLL_MARGIN, width, page_height - 2 * ROLL_MARGIN,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        frame.addFromList(story, canvas)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
