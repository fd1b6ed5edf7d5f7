"""The content pack as typed, frozen objects. Loading and validation live in `kiosk.content.pack`.

French is the source language of every text here; translations come from the pack's gettext
catalogs (domain "content"), with the French text as msgid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class StepKind(StrEnum):
    INFO = "info"
    QUESTION = "question"
    CHECKLIST = "checklist"
    END = "end"
    DATE = "date"          # the visitor enters a date; a rule of kiosk.visit.dates picks the next step
    ADDRESS = "address"    # the visitor types their e-mail address (session only) and may print it on a slip


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    next: str


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    title: str
    text: str = ""
    next: str | None = None                 # info, checklist and address steps
    answers: tuple[Answer, ...] = ()        # question steps
    documents: tuple[str, ...] = ()         # checklist steps: ids into Pack.documents
    glossary: tuple[tuple[str, str], ...] = ()   # any step: (official French label, plain explanation)
    rule: str = ""                          # date steps: a rule name of kiosk.visit.dates.RULES
    outcomes: tuple[tuple[str, str], ...] = ()   # date steps: (outcome of the rule, next step id)
    pictogram: str = ""                     # any step: its pictogram (default: its kind's)

    def successors(self) -> tuple[str, ...]:
        if self.kind is StepKind.QUESTION:
            return tuple(a.next for a in self.answers)
        if self.kind is StepKind.DATE:
            return tuple(target for _, target in self.outcomes)
        return (self.next,) if self.next else ()

    def target_of(self, choice: str | None) -> str | None:
        """The step an answer id (question) or an outcome (date) leads to; None if there is none."""
        pairs = ((a.id, a.next) for a in self.answers) if self.kind is StepKind.QUESTION else self.outcomes
        return next((target for key, target in pairs if key == choice), None)


@dataclass(frozen=True)
class Source:
    ref: str            # e.g. "F2209" or a legal text reference
    url: str
    date: dt.date       # date of the source version relied on


COST_STATUSES = ("verified", "secondary")


@dataclass(frozen=True)
class Cost:
    """Something the visitor pays during the procedure (a tax stamp, a late fee); docs/content-pack.md.

    The amount is shown to the visitor only when `status` is "verified" (read in a primary or official
    source) and it applies (`since` reached); otherwise the visitor reads what the payment is for and
    that the site shows the amount before paying, and mediators see the figure marked unverified."""

    id: str                             # the same id in two guides is the same fee (amounts must agree)
    label: str                          # what the payment is for (visitor text)
    amount_eur: float | None = None     # None when the amount depends on the case: the site says it
    note: str = ""                      # visitor text
    status: str = ""                    # with an amount: one of COST_STATUSES
    since: dt.date | None = None        # the amount applies from this date
    previous_eur: float | None = None   # the amount before `since` (mediators, research notes)
    source: str = ""                    # title of the legal text or page the amount was read in
    url: str = ""
    read: dt.date | None = None         # date the source was read
    applies_when: tuple[tuple[str, str], ...] = ()   # (step id, answer id or date outcome): any of them
    mediator_note: str = ""             # French, for mediators only (never shown to the visitor)

    @property
    def verified(self) -> bool:
        return self.status == "verified" and self.amount_eur is not None

    def applies(self, answers: tuple[tuple[str, str], ...]) -> bool:
        """Whether the visitor's answers (FlowState.answers) make this cost theirs."""
        return not self.applies_when or any(pair in answers for pair in self.applies_when)


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    summary: str
    official_url: str
    checked: dt.date
    start: str
    steps: dict[str, Step]
    sources: tuple[Source, ...]
    file: str = field(default="", compare=False)
    costs: tuple[Cost, ...] = ()
    site_url_patterns: tuple[str, ...] = ()    # regexes (searched, RE2) of official-site URLs of this guide
    pictogram: str = ""                        # on its button of the procedure picker (optional)


@dataclass(frozen=True)
class Document:
    id: str
    name: str
    explanation: str
    pages: str = ""                     # e.g. "the page with your photo", free text
    alternatives: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("pdf",)
    max_mb: float = 2.0
    pictogram: str = ""


SITE_ROLES = ("portal", "sso", "franceconnect", "identity_provider", "stamp", "payment", "information",
              "webmail")
SITE_STATUSES = ("confirmed", "qualif", "unverified", "inferred")
JOURNEY_ROLES = ("portal", "sso", "franceconnect", "identity_provider", "stamp")


@dataclass(frozen=True)
class SiteHost:
    """A host of the real journey (site.toml), why the browser goes there and where we read it."""

    host: str
    role: str
    allow: bool             # in the default allow-list (a test checks the two agree)
    reason: str
    source: Source
    status: str


@dataclass(frozen=True)
class SitePage:
    """A page of the official sites the guide recognises by its route (and heading), with what the
    guide shows beside it. `procedures`: guide ids, or ("*",) for every guide."""

    id: str
    host: str
    route: str
    headings: tuple[str, ...]
    procedures: tuple[str, ...]
    title: str
    text: str
    glossary: tuple[tuple[str, str], ...]
    source: Source
    status: str
    confirms_filing: bool = False

    def for_procedure(self, procedure_id: str) -> bool:
        return "*" in self.procedures or procedure_id in self.procedures


@dataclass(frozen=True)
class SiteMap:
    checked: dt.date
    hosts: tuple[SiteHost, ...] = ()
    pages: tuple[SitePage, ...] = ()

    def pages_for(self, procedure_id: str) -> tuple[SitePage, ...]:
        return tuple(p for p in self.pages if p.for_procedure(procedure_id))

    def allowed_hosts(self) -> tuple[str, ...]:
        return tuple(h.host for h in self.hosts if h.allow)

    def journey_hosts(self) -> tuple[str, ...]:
        """Hosts whose every page belongs to the procedure's journey (the guide never says "you left"):
        the portal, its sign-on, FranceConnect and the identity providers it sends to, the stamp shop."""
        return tuple(h.host for h in self.hosts if h.allow and h.role in JOURNEY_ROLES)


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    content_hash: str
    path: str
    procedures: dict[str, Procedure]
    documents: dict[str, Document]
    languages: tuple[str, ...] = ()
    site: SiteMap | None = None             # site.toml: the real journey (hosts, recognised pages)

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
