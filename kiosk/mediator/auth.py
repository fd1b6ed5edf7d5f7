"""Mediator accounts: slow salted hashes of PINs and badge codes, failure throttling, re-lock on inactivity.

Hash: scrypt from the standard library (hashlib, OpenSSL), so no extra dependency (argon2-cffi would
add a C extension for no gain here). Stored in a modular crypt string that carries its own parameters,
`$scrypt$ln=15,r=8,p=1$<salt>$<key>` (unpadded base64, 16-byte random salt, 32-byte key), so the cost can
be raised per entry (`pan-kiosk mediator hash-pin --ln 17`) without breaking the others.

Default N=2^15, r=8, p=1: 32 MiB of memory per check, a quarter of the CPU work of OWASP's reference
setting (N=2^17, r=8, p=1). Chosen because the PIN pad does not ask who is typing, so every account is
checked at each try: on the 2-core test machine one check takes about 0.2-0.3 s at this cost, against
about 1 s at OWASP's (bench/mediator_bench.py), and a terminal has several accounts.

A 4-to-6-digit PIN has at most a million values: a slow hash makes trying them all cost hours to days
instead of a second, but it is the online limits below (growing delay, then lockout) and the file's
permissions that really protect a short PIN. Badge codes (long) are where the hash matters most.

An account entry is one line "id:role:hash", role `mediator` or `admin`; the PIN pad does not ask who
you are, so a code is checked against every account (the same work whatever the outcome).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.i18n import N_
from kiosk.mediator.errors import AccountError

Clock = Callable[[], float]

DEFAULT_LN, DEFAULT_R, DEFAULT_P = 15, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
_LIMITS = {"ln": (10, 20), "r": (1, 32), "p": (1, 16)}
_B64 = r"[A-Za-z0-9+/]+"
HASH_RE = re.compile(rf"\$scrypt\$ln=(\d{{1,2}}),r=(\d{{1,2}}),p=(\d{{1,2}})\$({_B64})\$({_B64})")
ACCOUNT_ID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Used by the configuration file's validator as well (kiosk.config MediatorConfig.accounts).
ACCOUNT_PATTERN = (r"[A-Za-z0-9_.-]{1,64}:(mediator|admin):\$scrypt\$ln=\d{1,2},r=\d{1,2},p=\d{1,2}"
                   r"\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}")


class Role(StrEnum):
    MEDIATOR = "mediator"   # assist visitors: jump, language, note, reprint, consent, end visit
    ADMIN = "admin"         # everything a mediator can, plus the maintenance screen


class Capability(StrEnum):
    ASSIST = "assist"
    MAINTENANCE = "maintenance"


PERMISSIONS: dict[Role, frozenset[Capability]] = {
    Role.MEDIATOR: frozenset({Capability.ASSIST}),
    Role.ADMIN: frozenset({Capability.ASSIST, Capability.MAINTENANCE}),
}


def can(role: str, capability: Capability) -> bool:
    try:
        return capability in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _scrypt(code: str, salt: bytes, ln: int, r: int, p: int, length: int) -> bytes:
    n = 1 << ln
    return hashlib.scrypt(code.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + (1 << 20))


def hash_code(code: str, *, ln: int = DEFAULT_LN, r: int = DEFAULT_R, p: int = DEFAULT_P) -> str:
    """Salted scrypt hash of a PIN or badge code, as a self-describing string."""
    code = normalize(code)
    if not code:
        raise AccountError(N_("The code is empty."), "empty code")
    _check_params(ln, r, p)
    salt = secrets.token_bytes(SALT_BYTES)
    return f"$scrypt$ln={ln},r={r},p={p}${_b64(salt)}${_b64(_scrypt(code, salt, ln, r, p, KEY_BYTES))}"


def _check_params(ln: int, r: int, p: int) -> None:
    for name, value in (("ln", ln), ("r", r), ("p", p)):
        low, high = _LIMITS[name]
        if not low <= value <= high:
            raise AccountError(N_("A mediator account is malformed."),
                               f"scrypt {name}={value} outside {low}..{high}")


def normalize(code: str) -> str:
    """Badge readers type like keyboards and may add spaces or a line end."""
    return code.strip()


@dataclass(frozen=True)
class CodeHash:
    ln: int
    r: int
    p: int
    salt: bytes
    key: bytes

    @classmethod
    def parse(cls, text: str) -> CodeHash:
        match = HASH_RE.fullmatch(text)
        if not match:
            raise AccountError(N_("A mediator account is malformed."),
                               "expected $scrypt$ln=..,r=..,p=..$salt$key")
        ln, r, p = (int(g) for g in match.group(1, 2, 3))
        _check_params(ln, r, p)
        salt, key = _unb64(match.group(4)), _unb64(match.group(5))
        if len(salt) < 8 or len(key) < 16:
            raise AccountError(N_("A mediator account is malformed."), "salt or key too short")
        return cls(ln, r, p, salt, key)

    def matches(self, code: str) -> bool:
        candidate = _scrypt(normalize(code), self.salt, self.ln, self.r, self.p, len(self.key))
        return hmac.compare_digest(candidate, self.key)


@dataclass(frozen=True)
class Account:
    id: str
    role: Role
    hash: CodeHash

    @classmethod
    def parse(cls, entry: str) -> Account:
        """Parse "id:role:hash" (from the configuration or the keyring)."""
        parts = entry.strip().split(":", 2)
        if len(parts) != 3 or not ACCOUNT_ID_RE.fullmatch(parts[0]):
            raise AccountError(N_("A mediator account is malformed."), "expected id:role:hash")
        try:
            role = Role(parts[1])
        except ValueError:
            raise AccountError(N_("A mediator account is malformed."),
                               f"account {parts[0]}: role must be mediator or admin") from None
        return cls(parts[0], role, CodeHash.parse(parts[2]))

    def entry(self) -> str:
        h = self.hash
        return f"{self.id}:{self.role.value}:$scrypt$ln={h.ln},r={h.r},p={h.p}${_b64(h.salt)}${_b64(h.key)}"


def load_accounts(entries: Iterable[str]) -> list[Account]:
    """Parse account entries; blank lines and # comments are skipped; duplicate ids are an error."""
    accounts: list[Account] = []
    for raw in entries:
        line = raw.strip()
        if line and not line.startswith("#"):
            account = Account.parse(line)
            if any(a.id == account.id for a in accounts):
                raise AccountError(N_("A mediator account is malformed."), f"account {account.id} twice")
            accounts.append(account)
    return accounts


def accounts_from_keyring(get_password: Callable[[str, str], str | None],
                          service: str = "pan-kiosk", name: str = "mediator-accounts") -> list[str]:
    """Account lines kept as a credential (one "id:role:hash" per line) instead of in the TOML file."""
    text = get_password(service, name)
    return text.splitlines() if text else []


def find_account(accounts: Iterable[Account], code: str) -> Account | None:
    """The account whose hash matches; every account is checked, so the time does not tell which."""
    found = None
    for account in accounts:
        if account.hash.matches(code) and found is None:
            found = account
    return found


# --- throttling -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThrottlePolicy:
    """After the k-th wrong code: wait base·2^(k-1) s (at most max_delay_s). After max_failures wrong codes
    in a row: locked for lockout_s, doubled at each new lockout (at most max_lockout_s) until a right code.
    """
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    max_failures: int = 5
    lockout_s: float = 300.0
    max_lockout_s: float = 86400.0


class Throttle:
    """Counts wrong codes on this terminal (the PIN pad has no user name) and says when to try again."""

    def __init__(self, policy: ThrottlePolicy = ThrottlePolicy(), clock: Clock = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self.failures = 0          # wrong codes since the last right one or the last lockout
        self.lockouts = 0          # lockouts since the last right code
        self._blocked_until = -math.inf
        self.locked = False

    def wait_s(self) -> float:
        """Seconds before a code may be tried; 0 when it may be tried now."""
        remaining: float = self._blocked_until - self._clock()
        if remaining <= 0:
            self.locked = False
            return 0.0
        return remaining

    def failed(self) -> float:
        """Record a wrong code; return the new wait in seconds."""
        p, now = self.policy, self._clock()
        delay: float
        self.failures += 1
        if self.failures >= p.max_failures:
            self.lockouts += 1
            self.failures = 0
            self.locked = True
            delay = min(p.lockout_s * 2 ** (self.lockouts - 1), p.max_lockout_s)
        else:
            delay = min(p.base_delay_s * 2 ** (self.failures - 1), p.max_delay_s)
        self._blocked_until = now + delay
        return delay

    def restore(self, failures: int, lockouts: int, wait_s: float) -> None:
        """Carry the state over a restart (rebuilt from the journal): pulling the plug does not reset it."""
        self.failures, self.lockouts = failures, lockouts
        self.locked = wait_s > 0 and lockouts > 0 and failures == 0
        self._blocked_until = self._clock() + wait_s if wait_s > 0 else -math.inf

    def succeeded(self) -> None:
        self.failures = self.lockouts = 0
        self.locked = False
        self._blocked_until = -math.inf


class RelockPolicy:
    """Mediator mode closes after `idle_s` seconds without mediator input."""

    def __init__(self, idle_s: float = 180.0, clock: Clock = time.monotonic) -> None:
        self.idle_s = idle_s
        self._clock = clock
        self._last: float | None = None

    @property
    def active(self) -> bool:
        return self._last is not None

    def start(self) -> None:
        self._last = self._clock()

    def touch(self) -> None:
        if self._last is not None:
            self._last = self._clock()

    def stop(self) -> None:
        self._last = None

    def remaining_s(self) -> float:
        if self._last is None:
            return 0.0
        return max(0.0, self._last + self.idle_s - self._clock())

    def expired(self) -> bool:
        return self._last is not None and self._clock() - self._last >= self.idle_s
