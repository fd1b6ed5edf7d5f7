"""What a receipt and an incident proof say, as plain data (built by the caller, no translation here).

Texts that belong to the visit (procedure title, step names, document names, next steps) come as
`Bilingual`: already translated into the visitor's language and in French. Values the visitor typed
or that come from the administration (reference numbers, phone numbers, URLs) are not translated.
Nothing here is ever logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class Bilingual:
    visitor: str      # in the visitor's language
    french: str

    @classmethod
    def same(cls, text: str) -> Bilingual:
        return cls(text, text)


@dataclass(frozen=True)
class PreparedDocument:
    name: Bilingual
    pages: int


@dataclass(frozen=True)
class Reference:
    label: Bilingual          # e.g. "application number"
    value: str                # as typed, or taken from an attestation's file name


@dataclass(frozen=True)
class NextStep:
    text: Bilingual
    due: dt.date | None = None     # printed with each language's date format


@dataclass(frozen=True)
class HelpContact:
    name: Bilingual
    detail: str               # phone number, address or web address


@dataclass(frozen=True)
class Site:
    name: str
    address: str
    terminal_id: str


@dataclass(frozen=True)
class ReceiptData:
    site: Site
    language: str             # visitor's language code (kiosk.i18n.LANGUAGES)
    when: dt.datetime
    procedure: Bilingual
    official_url: str         # QR code and printed address
    content_version: str
    steps_done: tuple[Bilingual, ...] = ()
    documents: tuple[PreparedDocument, ...] = ()
    references: tuple[Reference, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    contacts: tuple[HelpContact, ...] = ()
    costs: tuple[Bilingual, ...] = ()   # "what it is for: amount" (or "the site shows the amount")


@dataclass(frozen=True)
class IncidentData:
    """The online procedure could not be completed: what the visitor can show later."""
    site: Site
    language: str
    when: dt.datetime
    procedure: Bilingual
    step: Bilingual           # where the visitor was in the guide
    address: str              # the page that failed; its query string is never printed
    error_text: str           # what the site showed, as shown
    content_version: str
    screenshot_png: bytes | None = field(default=None, repr=False)   # only if the visitor agreed

    @property
    def safe_address(self) -> str:
        return strip_query(self.address)


def strip_query(url: str) -> str:
    """The address without query string or credentials (they can hold personal data). A fragment is
    kept up to its own "?": single-page sites such as the ANEF route with it (#/espace-personnel/…)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    fragment = parts.fragment.split("?", 1)[0]
    return urlunsplit((parts.scheme, host, parts.path, "", fragment))
