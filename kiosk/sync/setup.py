"""Content updates from the terminal configuration: the one place that builds the content store and
says which pack is current. Used alike by kiosk/app.py, the CLI (`pan-kiosk content …`), `doctor` and
the maintenance actions."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.config import Config
from kiosk.paths import DEFAULT_PACK
from kiosk.sync.errors import SyncError
from kiosk.sync.minisign import PublicKey
from kiosk.sync.store import ContentStore

log = logging.getLogger(__name__)


def open_store(config: Config) -> ContentStore:
    """The store in `[updates] dir`, checking packs with the configured public key (the CLI opens it
    even with updates off, e.g. to recover). Raises SyncError when the key cannot be read."""
    u = config.updates
    key = PublicKey.parse(u.public_key) if u.public_key else None
    return ContentStore(Path(u.dir), key, seed_pack=DEFAULT_PACK)


def content_store(config: Config) -> ContentStore | None:
    """The store `pan-kiosk content update` fills; None when content updates are off."""
    return open_store(config) if config.updates.url else None


def current_pack(config: Config) -> Path | None:
    """The pack the kiosk shows: with content updates, the store's current one (None while it has none,
    or when the store cannot be opened); otherwise the configured pack, or the shipped one."""
    if not config.updates.url:
        return Path(config.content.pack) if config.content.pack else DEFAULT_PACK
    try:
        store = content_store(config)
    except SyncError as exc:
        log.error("content updates: %s", exc)
        return None
    return store.current_path() if store is not None else None
