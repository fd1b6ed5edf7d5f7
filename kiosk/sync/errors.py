"""Errors of content updates: a translatable message for people, details for the log and admins."""

from __future__ import annotations


class SyncError(Exception):
    """A content update cannot be used. The running pack is never touched when this is raised.

    `message` is marked with N_ (translate it where it is shown, e.g. in the mediator overlay);
    `detail` is technical, in English, for logs and `pan-kiosk content update` output.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        self.message = message
        self.detail = detail
        super().__init__(f"{message} ({detail})" if detail else message)


class FetchError(SyncError):
    """The server could not be reached, or answered with an error or an unusable index."""


class SignatureError(SyncError):
    """A key or signature is malformed, or the signature does not match."""


class ArchiveError(SyncError):
    """The archive is corrupt, too big, or holds a path or file kind the kiosk refuses."""


class VersionError(SyncError):
    """The offered pack is not newer than the running one, or says another version than it signed."""


class InvalidPackError(SyncError):
    """The unpacked pack does not pass the content checker."""
