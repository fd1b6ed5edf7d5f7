"""The admin's maintenance actions, as the mediator panel shows them: each returns one sentence in
the admin's language. All but `restart` block and run on the task pool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import Config
from kiosk.health import maintenance
from kiosk.i18n import Translator
from kiosk.mediator.setup import journal_dir
from kiosk.mediator.verify import verify
from kiosk.sync.updater import Outcome


@dataclass
class Maintenance:
    verify_journal: Callable[[], str]
    check_config: Callable[[], str]
    update_content: Callable[[], str]
    restart: Callable[[], None]
    power_off: Callable[[], None] | None = None       # None: not a terminal (demo, development)


def for_config(config: Config, tr: Translator, restart: Callable[[], None]) -> Maintenance:
    def verify_journal() -> str:
        directory = journal_dir(config)
        if not directory.is_dir():
            return tr.tr("The journal is empty.")
        report = verify(directory)
        if report.ok:
            return tr.tr("The journal is intact ({count} entries).", count=report.entries)
        first = report.problems[0]
        return tr.tr("The journal was altered: {problem} ({where}).", problem=first.message,
                     where=first.where)

    def check_config() -> str:
        problem = maintenance.check_config(config)
        if problem is None:
            return tr.tr("The configuration is valid.")
        return tr.tr("The configuration has an error: {problem}", problem=problem)

    def update_content() -> str:
        result = maintenance.update_content_now(config)
        if result is None:
            return tr.tr("Content updates are not configured on this kiosk.")
        if result.outcome is Outcome.INSTALLED:
            return tr.tr("Content {version} installed; it is used from the next visitor.",
                         version=result.version or "")
        if result.outcome is Outcome.REFUSED:
            return tr.tr("The content update was refused: {reason}", reason=str(result.error))
        return tr.tr("The content is up to date ({version}).", version=result.version or "")

    return Maintenance(verify_journal, check_config, update_content, restart,
                       maintenance.power_off if maintenance.can_power_off() else None)
