"""Errors of mediator mode: a translatable message for people, a technical detail for logs and admins."""

from __future__ import annotations


class MediatorError(Exception):
    """Base class. `message` is marked with N_ (translate it where it is shown); `detail` is English,
    technical, and never holds a code, a token or anything a visitor typed."""

    def __init__(self, message: str, detail: str = "") -> None:
        self.message = message
        self.detail = detail
        super().__init__(f"{message} ({detail})" if detail else message)


class AccountError(MediatorError):
    """A mediator account entry or a code hash is malformed (configuration problem)."""


class JournalError(MediatorError):
    """The journal cannot be written or read."""


class HelpDeliveryError(MediatorError):
    """A help request was not accepted by the channel.

    `retryable` is False when trying again cannot help (bad address, refused token, misconfiguration);
    `retry_after_s` is the server's own hint (Retry-After, Matrix retry_after_ms), if any.
    """

    def __init__(self, message: str, detail: str = "", *, retryable: bool = True,
                 retry_after_s: float | None = None) -> None:
        super().__init__(message, detail)
        self.retryable = retryable
        self.retry_after_s = retry_after_s
