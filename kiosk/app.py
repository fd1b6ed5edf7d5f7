"""Composition root: reads the configuration, builds services and adapters, starts Qt. Only wiring.

`build()` is used by the real kiosk, the demo, the screenshot command, the benchmark and the tests, so
all of them run the same object graph.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.browser.policy import SiteGuide
from kiosk.browser.replica import PracticeSite
from kiosk.browser.replica.practice import LocalReplica, practice_guide
from kiosk.browser.setup import browser_mode, navigation_policy
from kiosk.browser.ui.step import BrowserStep
from kiosk.config import Config
from kiosk.content.model import Pack, Procedure
from kiosk.content.pack import PackError, load_pack
from kiosk.health.metrics import KioskMetrics
from kiosk.health.sdnotify import SdNotifier
from kiosk.health.ui import maintenance
from kiosk.health.ui.device_check import DeviceCheck
from kiosk.health.ui.service import EXIT_RELOAD, ServiceLink
from kiosk.i18n import Translators, pseudo
from kiosk.mediator.credentials import get_password
from kiosk.mediator.setup import build_gate, build_help
from kiosk.mediator.ui.assist import Assist
from kiosk.mediator.ui.help_call import HelpCall
from kiosk.paths import DEFAULT_PACK
from kiosk.printing.setup import printer_for
from kiosk.printing.ui import PrintController
from kiosk.receipts.builder import build_receipt
from kiosk.receipts.fonts import FontBook
from kiosk.receipts.model import ReceiptData, Site
from kiosk.receipts.render import Layout, ReceiptRenderer
from kiosk.receipts.slip import FILE_NAME as SLIP_FILE
from kiosk.receipts.slip import AddressSlip, SlipRenderer
from kiosk.scan.setup import scanner_for
from kiosk.scan.ui.page import ScanController
from kiosk.shell.ui.lockdown import KioskEventFilter
from kiosk.shell.ui.qt_app import application, prepare_environment
from kiosk.shell.ui.router import SiteStart
from kiosk.shell.ui.window import MainWindow
from kiosk.speech.setup import speech_for
from kiosk.sync.setup import current_pack
from kiosk.ui.tasks import Tasks
from kiosk.visit.documents import PreparedFile
from kiosk.visit.email import looks_like_address
from kiosk.visit.idle import IdleMonitor
from kiosk.visit.outcome import Outcome
from kiosk.visit.session import EndReason, SessionManager, SessionRecord
from kiosk.visit.stats import DailyCounters
from kiosk.visit.ui.controller import VisitController
from kiosk.visit.visit import Visit

log = logging.getLogger(__name__)
__all__ = ["Kiosk", "application", "build", "prepare_environment"]   # application: for the callers


@dataclass
class Kiosk:
    config: Config
    pack: Pack
    translators: Translators
    sessions: SessionManager
    visit: Visit
    controller: VisitController
    window: MainWindow
    event_filter: KioskEventFilter
    previous_excepthook: Callable[[type[BaseException], BaseException, TracebackType | None], object]
    assist: Assist
    help_call: HelpCall
    service: ServiceLink
    practice: PracticeSite | None = None

    def show(self) -> None:
        self._show()
        QTimer.singleShot(0, self.service.first_screen_shown)      # READY=1 after the first paint

    def _show(self) -> None:
        self.window.show_like_a_kiosk(self.config.display.width, self.config.display.height)

    def shutdown(self) -> None:
        """Leave the app (admin path or tests): end any session, then allow the window to close."""
        if self.visit.active:
            self.controller.end(EndReason.RECOVERY)
        self.service.stop()
        self.help_call.stop()
        if self.practice is not None:
            self.practice.stop()
        speech = self.window.read_aloud.speech if self.window.read_aloud is not None else None
        close = getattr(speech, "close", None)      # espeak-ng: its folder of sound files goes too
        if callable(close):
            close()
        self.event_filter.detach()
        sys.excepthook = self.previous_excepthook
        self.window.allow_close = True
        self.window.close()


def load_content(config: Config) -> Pack:
    """The current pack (kiosk.sync.setup.current_pack); the shipped pack if that one is broken or
    missing (logged, never shown)."""
    path = current_pack(config) or DEFAULT_PACK
    try:
        return load_pack(path)
    except PackError as exc:
        if path == DEFAULT_PACK:
            raise
        log.error("content pack %s unusable, using the shipped pack: %s", path, exc)
        return load_pack(DEFAULT_PACK)


def build(config: Config, *, clock: Callable[[], float] = time.monotonic,
          fullscreen: bool | None = None) -> Kiosk:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "call application() first"
    pack = load_content(config)
    languages = pseudo.languages(config.languages.pseudo)
    translators = Translators(Path(pack.path) / "locale", languages)
    counters = DailyCounters(config.stats_dir())
    metrics = KioskMetrics(config.terminal.id, Path(config.health.metrics_file)
                           if config.health.metrics_file else None, site=config.terminal.site_name)
    metrics.content(pack.version, pack.content_hash)
    recorded: list[Callable[[SessionRecord], None]] = [counters.record]

    def on_record(record: SessionRecord) -> None:
        for listener in recorded:
            listener(record)

    sessions, visit, controller = _visit(config, pack, clock, on_record)
    full = config.display.mode == "fullscreen" if fullscreen is None else fullscreen
    about = (f"PAN Kiosk {__version__} · {config.terminal.id} · "
             f"content {pack.version} ({pack.short_hash})"
             + (f" · DEMO: simulated {', '.join(config.simulated_devices)}" if config.demo else ""))
    tasks = Tasks()
    scanner = scanner_for(config)
    scanning = ScanController(tasks, scanner)
    printer = printer_for(config)
    renderer = ReceiptRenderer(FontBook(), translators.get)
    printing = PrintController(tasks, renderer, printer, config.devices.receipt_layout)
    help_call = HelpCall()
    help_call.attach(build_help(config, get_password, on_change=help_call.notify))
    site = Site(config.terminal.site_name, config.terminal.site_address, config.terminal.id)

    def make_receipt() -> tuple[ReceiptData, Path]:
        session, state = sessions.current, visit.state
        assert session is not None and state is not None
        files = {doc: f.pages for doc, f in session.documents.ready().items()}
        data = build_receipt(state, pack, translators.get(visit.language), translators.get("fr"), site,
                             session.references, dt.datetime.now(), files)
        return data, session.directory

    browser, practice, site_start = _browser_step(config, translators, pack, visit, tasks, renderer, site)
    _track_the_visit(sessions, scanning, browser)
    if browser is not None:         # a downloaded document, the page the site asked to print, a proof
        browser.print_requested.connect(lambda path: printing.print_document(Path(path)))
    window = MainWindow(controller, pack, translators.get, config.terminal.site_name, about, full,
                        printing=printing, make_receipt=make_receipt, scanning=scanning,
                        help_call=help_call, speech=speech_for(config), browser=browser,
                        site_start=site_start, practice=practice is not None, demo=config.demo)
    if window.read_aloud is not None:      # the voice guide for visitors who cannot read (read-aloud docs)
        window.language_page.language_touched.connect(window.read_aloud.say_language_name)
        window.language_page.chosen_after_hearing.connect(window.read_aloud.heard_choice)
        window.language_page.listen_first(config.devices.say_language_names)
        window.read_aloud.from_start = config.devices.read_aloud_from_start
    _print_address_slips(window, visit, printing, SlipRenderer(renderer.fonts, translators.get), site,
                         config.devices.receipt_layout)
    gate = build_gate(config, get_password, demo_accounts(config))
    assist = Assist(window, window, gate, config.languages.default,
                    recheck_after_days=config.content.recheck_after_days,
                    checks=DeviceCheck(tasks, printer, scanner, renderer, config.devices.receipt_layout),
                    tasks=tasks, maintenance=maintenance.for_config(
                        config, translators.get(config.languages.default),
                        restart=lambda: QApplication.exit(EXIT_RELOAD)))
    service = ServiceLink(
        SdNotifier.from_environ(), metrics, tasks, printer, scanner,
        simulated=lambda device: getattr(config.devices, device) == "simulated",
        current_pack=(lambda: current_pack(config)) if config.updates.url else None,
        loaded_pack=Path(pack.path),
        visit_active=lambda: visit.active, leave=QApplication.exit)
    recorded.append(service.session_recorded)
    _add_wipe_steps(sessions, window, assist, help_call, printing, scanning, practice)
    event_filter = KioskEventFilter(controller.user_input, locked=full)
    window.winId()                                      # its QWindow exists from now on
    event_filter.attach(app, window.windowHandle())
    kiosk = Kiosk(config, pack, translators, sessions, visit, controller, window, event_filter,
                  sys.excepthook, assist, help_call, service, practice)
    _install_crash_recovery(kiosk)
    return kiosk


def _track_the_visit(sessions: SessionManager, scanning: ScanController, browser: BrowserStep | None) -> None:
    """What the visitor prepares goes into the session's documents; how far the visit went into its
    outcome (documents prepared, the site failed, the site confirmed filing)."""
    def reached(outcome: Outcome) -> None:
        if sessions.current is not None:
            sessions.current.reached(outcome)

    def document_ready(doc_id: str) -> None:
        file, session = scanning.document(doc_id).file, sessions.current
        if file is not None and session is not None:
            session.documents.put(doc_id, PreparedFile(file.path, file.pages, file.bytes))
            session.reached(Outcome.DOCUMENTS_PREPARED)

    scanning.document_ready.connect(document_ready)
    if browser is not None:
        browser.incident_requested.connect(lambda: reached(Outcome.SITE_FAILURE))
        browser.filed.connect(lambda: reached(Outcome.FILED))


def _print_address_slips(window: MainWindow, visit: Visit, printing: PrintController, slips: SlipRenderer,
                         site: Site, layout: Layout) -> None:
    """The e-mail address guide's "Print my address on a paper": the slip is made from the session's
    model (never from the field), rendered off the GUI thread into the session directory, printed."""
    def print_slip() -> None:
        session = visit.sessions.current
        if session is None or not looks_like_address(session.email_address):
            return
        slip = AddressSlip(site, visit.language, dt.datetime.now(), session.email_address)
        printing.print_made(lambda: slips.render(slip, layout), session.directory / SLIP_FILE)

    window.router.address_page.slip_requested.connect(print_slip)


def _visit(config: Config, pack: Pack, clock: Callable[[], float],
           on_record: Callable[[SessionRecord], None]) -> tuple[SessionManager, Visit, VisitController]:
    sessions = SessionManager(config.session_root(), clock=clock, on_record=on_record)
    sessions.prepare_root()
    offered = tuple(dict.fromkeys((*config.languages.offered,
                                   *(pseudo.pseudo_languages() if config.languages.pseudo else ()))))
    visit = Visit(sessions, pack, offered, config.languages.default,
                  paper_only=frozenset(config.content.paper_only))
    _warn_unknown_paper_only(config, pack)
    s = config.session
    idle = IdleMonitor(s.idle_timeout_s, s.warning_s, s.extension_s, s.max_extensions)
    return sessions, visit, VisitController(visit, idle, clock)


def _browser_step(config: Config, translators: Translators, pack: Pack, visit: Visit,
                  tasks: Tasks, renderer: ReceiptRenderer, site: Site
                  ) -> tuple[BrowserStep | None, PracticeSite | None, SiteStart | None]:
    """The locked browser of the flow, the practice site it shows in practice mode, and where it opens
    for a procedure; (None, None, None) when the terminal has no browser."""
    mode = browser_mode(config)
    if mode == "none":
        return None, None, None
    practice = LocalReplica() if mode == "practice" else None      # the replica, under practice names
    if practice is not None:
        practice.start()
    browser = BrowserStep(translators.get, pack, navigation_policy(config, practice),
                          visit.documents,
                          tasks=tasks, render_incident=renderer.incident, site=site)

    def site_start(procedure: Procedure) -> tuple[str, SiteGuide | None]:
        if practice is not None:
            return practice.start_url, practice_guide(practice, procedure, pack.site)
        return procedure.official_url, None

    return browser, practice, site_start


def _add_wipe_steps(sessions: SessionManager, window: MainWindow, assist: Assist, help_call: HelpCall,
                    printing: PrintController, scanning: ScanController,
                    practice: PracticeSite | None) -> None:
    """What forgets the visitor, in order (the session directory itself goes last, in SessionManager)."""
    sessions.add_wipe_step("mediator mode", lambda: assist.lock("relocked"))
    sessions.add_wipe_step("help requests", help_call.wipe)
    if window.read_aloud is not None:
        sessions.add_wipe_step("speech", window.read_aloud.reset)
    sessions.add_wipe_step("print queue", printing.wipe, at_start=True)   # the spooler outlives a crash
    sessions.add_wipe_step("scans", scanning.wipe)
    sessions.add_wipe_step("pages", window.reset_pages)         # the browser profile goes here too
    if practice is not None:
        sessions.add_wipe_step("practice site", practice.forget)
    clipboard = QGuiApplication.clipboard()

    def clear_selections() -> None:
        """Every selection buffer the platform has, not only the clipboard: the primary selection
        (X11, Wayland with primary-selection: what a middle click pastes, set by selecting text in a
        field or on the site) and the find buffer (macOS). Clearing gives up the kiosk's ownership."""
        modes = [clipboard.Mode.Clipboard]
        if clipboard.supportsSelection():
            modes.append(clipboard.Mode.Selection)
        if clipboard.supportsFindBuffer():
            modes.append(clipboard.Mode.FindBuffer)
        for mode in modes:
            clipboard.clear(mode)
        if clipboard.ownsClipboard() or clipboard.ownsSelection() or clipboard.ownsFindBuffer():
            raise RuntimeError("the kiosk still owns a selection after clearing it")

    sessions.add_wipe_step("clipboard", clear_selections)


# The built-in demo defaults (no configuration file) come with one mediator account, code 2468, so that
# mediator mode can be tried; a terminal always has a configuration file, which never gets it.
DEMO_ACCOUNT = ("demo:admin:$scrypt$ln=10,r=8,p=1$H3a2KTbRvOTduWsZmZYoHg$"
                "F450QMPjUOO04t/gE0t1nrdk8XVLbOHXezU2YS1k2UI")


def demo_accounts(config: Config) -> tuple[str, ...]:
    return (DEMO_ACCOUNT,) if config.demo_defaults and not config.mediator.accounts else ()


def _warn_unknown_paper_only(config: Config, pack: Pack) -> None:
    for entry in config.content.paper_only:
        procedure, _, answer = entry.partition(":")
        proc = pack.procedures.get(procedure)
        known = proc is not None and (not answer or any(
            answer in (a.id for a in s.answers) for s in proc.steps.values()))
        if not known:
            log.warning("content.paper_only: %r matches no procedure or answer of pack %s", entry, pack.id)


def _install_crash_recovery(kiosk: Kiosk) -> None:
    """Erase what a previous run that crashed left outside its session directory (the wipe steps
    registered at_start: its print jobs, still queued if the printer was stopped); make sure a crash
    writes no core file (the visitor's memory on disk); then an uncaught exception ends the visitor's
    session cleanly instead of showing anything."""
    import resource

    kiosk.sessions.recover()
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    previous = kiosk.previous_excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception, ending the session", exc_info=(kind, value, tb))
        try:
            if kiosk.visit.active:
                kiosk.controller.end(EndReason.RECOVERY)
        except Exception:
            log.exception("recovery failed")
            previous(kind, value, tb)

    sys.excepthook = hook
