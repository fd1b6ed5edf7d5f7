"""Secrets on terminals: a read-only keyring backend over systemd credentials.

The kiosk unit loads every file of /etc/pan-kiosk/credentials/ with
`LoadCredential=pan-kiosk:/etc/pan-kiosk/credentials` (or `LoadCredentialEncrypted=` for files made
with `systemd-creds encrypt`); systemd exposes them, readable only by the unit, in
$CREDENTIALS_DIRECTORY as `pan-kiosk_<file name>`. Code asks through the keyring API:
`get_password("pan-kiosk", "mediator-accounts")` reads `$CREDENTIALS_DIRECTORY/pan-kiosk_mediator-accounts`
(kiosk.mediator.setup asks for "mediator-accounts" and the [help] token_name, "help-token").
Secrets are changed by the administrators (Ansible), never by the kiosk: writes are refused.

Off a terminal (no $CREDENTIALS_DIRECTORY), `choose_keyring()` returns None and callers keep the
keyring library's own choice (Secret Service on a developer desktop).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")


def credential_name(service: str, username: str) -> str:
    name = f"{service}_{username}"
    if not _NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"not usable as a credential name: {name!r}")
    return name


class CredentialsKeyring(KeyringBackend):
    """Read-only keyring over a systemd credentials directory."""

    priority = 1  # only used when chosen explicitly (choose_keyring)

    def __init__(self, directory: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.directory = directory

    def get_password(self, service: str, username: str) -> str | None:
        try:
            path = self.directory / credential_name(service, username)
            return path.read_text(encoding="utf-8").rstrip("\n")
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("systemd credentials are read-only: an administrator sets them "
                               f"(file /etc/pan-kiosk/credentials/{username})")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("systemd credentials are read-only")


def choose_keyring(environ: Mapping[str, str] | None = None) -> KeyringBackend | None:
    """The credentials keyring when systemd passed credentials to this process, else None."""
    env = os.environ if environ is None else environ
    directory = env.get("CREDENTIALS_DIRECTORY")
    if directory and Path(directory).is_dir():
        return CredentialsKeyring(Path(directory))
    return None


def get_password(service: str, username: str) -> str | None:
    """Read a secret: systemd credentials on a terminal, the platform keyring elsewhere.

    Raises keyring.errors.KeyringError when no keyring is usable (callers log and go on without)."""
    backend = choose_keyring()
    if backend is not None:
        return backend.get_password(service, username)
    import keyring
    return keyring.get_password(service, username)
