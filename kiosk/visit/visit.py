"""One visit at the screen level: attract → language → procedure → guided steps → end → wipe.

Pure Python (the Qt controller in kiosk.visit.ui.controller only relays it as signals). The guided steps
themselves are the flow state machine of kiosk.visit.flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.content.model import Pack
from kiosk.visit import flow
from kiosk.visit.documents import PreparedDocuments
from kiosk.visit.outcome import Outcome
from kiosk.visit.session import EndReason, SessionManager, WipeReport


class Screen(StrEnum):
    ATTRACT = "attract"
    LANGUAGE = "language"
    PROCEDURE = "procedure"
    STEP = "step"
    OUT_OF_SERVICE = "out_of_service"   # the wipe failed: nobody may use the terminal
    PAPER_ONLY = "paper_only"           # this prefecture handles the visitor's request on paper
    SCAN = "scan"                       # scanning one document of the checklist
    SITE = "site"                       # the official site in the locked browser, beside the guide


@dataclass
class Visit:
    sessions: SessionManager
    pack: Pack
    languages: tuple[str, ...]
    default_language: str
    screen: Screen = Screen.ATTRACT
    language: str = ""
    state: flow.FlowState | None = None
    paper_only: frozenset[str] = frozenset()    # "procedure" or "procedure:answer" (terminal config)
    scanning: str | None = None                 # document id on the scan screen
    _language_return: Screen | None = None
    _scan_return: Screen = Screen.STEP          # where the scan screen goes back to
    _guide_return: tuple[flow.FlowState, Screen] | None = None   # a side guide (open_guide) returns here

    def __post_init__(self) -> None:
        self.language = self.default_language

    @property
    def active(self) -> bool:
        return self.sessions.current is not None

    def touch_start(self) -> None:
        """The visitor touched the attract screen."""
        if self.screen is Screen.ATTRACT:
            self.sessions.begin(self.default_language)
            self.language = self.default_language
            self._language_return = None
            self.screen = Screen.LANGUAGE

    def open_language_picker(self) -> None:
        """Change language mid-visit; progress is kept and the visitor comes back to where they were."""
        if self.active and self.screen is not Screen.LANGUAGE:
            self._language_return = self.screen
            self.screen = Screen.LANGUAGE

    def choose_language(self, code: str) -> None:
        if code not in self.languages or not self.active:
            raise ValueError(f"language {code!r} is not offered")
        self.language = code
        assert self.sessions.current is not None
        self.sessions.current.language = code
        self.screen = self._language_return or Screen.PROCEDURE
        self._language_return = None

    def choose_procedure(self, procedure_id: str) -> None:
        procedure = self.pack.procedures[procedure_id]
        assert self.sessions.current is not None
        self.sessions.current.procedure = procedure_id
        if procedure_id in self.paper_only:
            self.screen = Screen.PAPER_ONLY
            return
        self.state = flow.start(procedure)
        self.screen = Screen.STEP

    def next(self) -> None:
        self._advance(flow.Event.NEXT)

    def choose(self, answer_id: str) -> None:
        self._advance(flow.Event.CHOOSE, answer_id)

    def _advance(self, event: flow.Event, choice: str | None = None) -> None:
        if self.screen is not Screen.STEP or self.state is None:
            raise flow.FlowError("no step is shown")
        if choice is not None and f"{self.state.procedure.id}:{choice}" in self.paper_only:
            self.screen = Screen.PAPER_ONLY
            return
        self.state = flow.advance(self.state, event, choice)
        if self.state.finished and self.sessions.current is not None and not self.in_side_guide:
            self.sessions.current.reached(Outcome.COMPLETED)

    @property
    def can_go_back(self) -> bool:
        if self.screen is Screen.LANGUAGE:
            return self._language_return is not None
        return self.screen in (Screen.PROCEDURE, Screen.STEP, Screen.PAPER_ONLY, Screen.SCAN, Screen.SITE)

    def back(self) -> None:
        """Back is always possible: through the steps, then to the procedures, then to the languages."""
        if self.screen is Screen.STEP and self.in_side_guide and self.state is not None \
                and not self.state.can_go_back:
            self.return_from_guide()
        elif self.screen is Screen.SCAN:
            self.scanning, self.screen = None, self._scan_return
        elif self.screen is Screen.SITE:
            self.screen = Screen.STEP
        elif self.screen is Screen.PAPER_ONLY:
            self.screen = Screen.STEP if self.state is not None else Screen.PROCEDURE
        elif self.screen is Screen.STEP and self.state is not None and self.state.can_go_back:
            self.state = flow.advance(self.state, flow.Event.BACK)
        elif self.screen is Screen.STEP:
            self.state = None
            self.screen = Screen.PROCEDURE
        elif self.screen is Screen.LANGUAGE and self._language_return is not None:
            self.screen, self._language_return = self._language_return, None
        elif self.screen is Screen.PROCEDURE:
            self.screen = Screen.LANGUAGE

    def open_scan(self, document_id: str) -> None:
        """Leave the checklist (or the site, to send a document not scanned yet) for the scan screen
        of one document; back from there returns to where the visitor was."""
        if self.screen not in (Screen.STEP, Screen.SITE) or document_id not in self.pack.documents:
            raise flow.FlowError(f"cannot scan {document_id!r} here")
        self._scan_return = self.screen
        self.scanning, self.screen = document_id, Screen.SCAN

    def open_site(self) -> None:
        """Leave the guide's step for the official site (the step stays where it was for Back). From a
        side guide, the site is the one of the visitor's procedure: back to it, where they left it."""
        if self.screen is not Screen.STEP or self.state is None:
            raise flow.FlowError("the site opens from a step of a procedure")
        if self._guide_return is not None:
            self.state, self._guide_return = self._guide_return[0], None
        self.screen = Screen.SITE

    @property
    def in_side_guide(self) -> bool:
        """A guide opened over the visitor's procedure (open_guide) is shown."""
        return self._guide_return is not None

    def open_guide(self, procedure_id: str) -> None:
        """A short guide over the visitor's procedure, from one of its steps or from its site (the
        e-mail address guide from the site's sign-up page): Back from its first step, Finish on its end
        or "Open the site" return to the step or site page where the visitor was, with what they had."""
        if self.screen not in (Screen.STEP, Screen.SITE) or self.state is None or self._guide_return:
            raise flow.FlowError("a side guide opens from a step or the site of a procedure")
        if procedure_id not in self.pack.procedures:
            raise flow.FlowError(f"no guide {procedure_id!r}")
        self._guide_return = (self.state, self.screen)
        self.state = flow.start(self.pack.procedures[procedure_id])
        self.screen = Screen.STEP

    def return_from_guide(self) -> None:
        """Leave the side guide for where the visitor was."""
        if self._guide_return is None:
            raise flow.FlowError("no side guide is open")
        (self.state, self.screen), self._guide_return = self._guide_return, None

    def set_email_address(self, text: str) -> None:
        """The e-mail address the visitor typed for the slip (the session's memory only, never logged)."""
        if self.sessions.current is not None:
            self.sessions.current.email_address = text.strip()

    @property
    def email_address(self) -> str:
        session = self.sessions.current
        return session.email_address if session is not None else ""

    def jump(self, step_id: str) -> None:
        """Mediator: show another step of the current procedure."""
        if self.state is None:
            raise flow.FlowError("no procedure is open")
        self.state = flow.jump(self.state, step_id)
        self.screen = Screen.STEP

    def set_language(self, code: str) -> None:
        """Mediator: switch the visitor's language without leaving the current screen."""
        if code not in self.languages or self.sessions.current is None:
            raise ValueError(f"language {code!r} is not offered")
        self.language = self.sessions.current.language = code

    def set_reference(self, text: str) -> None:
        """The reference number the visitor typed for the receipt (kept in memory only)."""
        if self.sessions.current is not None:
            self.sessions.current.references = [text.strip()] if text.strip() else []

    def where(self) -> str | None:
        """Where the visitor is, for a mediator called to help: the guide step, prefixed with "site:" or
        "scan:" on those screens ("site:docs": on the official site, from step docs); None elsewhere."""
        if self.state is None or self.screen not in (Screen.STEP, Screen.SITE, Screen.SCAN):
            return None
        return {Screen.SITE: "site:", Screen.SCAN: "scan:"}.get(self.screen, "") + self.state.step.id

    def documents(self) -> PreparedDocuments:
        """The visitor's prepared documents (an empty set between visits)."""
        session = self.sessions.current
        return session.documents if session is not None else PreparedDocuments()

    def end(self, reason: EndReason) -> WipeReport:
        report = self.sessions.end(reason)
        self.state = self.scanning = None
        self.language = self.default_language
        self._language_return = None
        self._scan_return = Screen.STEP
        self._guide_return = None
        self.screen = Screen.ATTRACT if report.ok else Screen.OUT_OF_SERVICE
        return report
