"""The e-mail address a visitor types for the address slip (pure; the guide's address step).

The address is the visitor's data: kept in the session's memory (Session.email_address) until the wipe,
never logged."""

from __future__ import annotations

MAX_ADDRESS = 254            # RFC 5321 path limit: longer is not an address


def looks_like_address(text: str) -> bool:
    """Worth printing: one @ with something on each side, a dot inside the domain, no space, not too long."""
    value = text.strip()
    local, at, domain = value.rpartition("@")
    return (bool(at and local and "." in domain.strip(".")) and not any(c.isspace() for c in value)
            and len(value) <= MAX_ADDRESS)
