"""What an admin can do from the maintenance part of mediator mode, without a desktop or a shell.

Each function blocks (file reads, HTTP, systemctl): the UI runs them on its task pool. They return
facts, not sentences; the UI says them in the admin's language.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk import config as config_mod
from kiosk.i18n.languages import LANGUAGES
from kiosk.sync.setup import content_store
from kiosk.sync.updater import UpdateResult

log = logging.getLogger(__name__)

Run = Callable[..., subprocess.CompletedProcess[str]]


def check_config(config: config_mod.Config) -> str | None:
    """Read the terminal's configuration file again: None when it is valid (or the kiosk runs on the
    built-in demo defaults), else the first problem (line, key, what was expected)."""
    if config.demo_defaults:
        return None
    try:
        config_mod.load(Path(config.source), known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[1] if len(lines) > 1 else lines[0]
    return None


def update_content_now(config: config_mod.Config) -> UpdateResult | None:
    """One check of the content server, as `pan-kiosk content update` does; None when updates are off.
    A new pack is taken between two visitors (kiosk.health.ui.service)."""
    from kiosk.sync.fetch import HttpFetcher
    from kiosk.sync.updater import ContentUpdater
    u = config.updates
    store = content_store(config) if u.public_key else None
    if store is None:
        return None
    fetcher = HttpFetcher(timeout_s=u.timeout_s, ca_bundle=u.ca_bundle or None)
    result = ContentUpdater(store, fetcher, u.url).check()
    log.info("content update from maintenance: %s", result)
    return result


def can_power_off(environ: Mapping[str, str] | None = None) -> bool:
    """Only a kiosk started by systemd (the terminal) powers the machine off; never a demo."""
    env = os.environ if environ is None else environ
    return bool(env.get("INVOCATION_ID")) and shutil.which("systemctl") is not None


def power_off(run: Run = subprocess.run) -> None:
    """logind lets the user of the seat's active session power off (the kiosk unit opens one on tty1)."""
    log.warning("power off requested from maintenance")
    run(["systemctl", "poweroff"], check=True, capture_output=True, text=True, timeout=30)
