"""Mediator accounts: hashes, growing delay and lockout, unlock, re-lock after inactivity, roles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakes import FakeClock
from mediator_helpers import FAST, account

from kiosk import config
from kiosk.mediator.auth import (
    ACCOUNT_PATTERN,
    Account,
    Capability,
    CodeHash,
    RelockPolicy,
    Throttle,
    ThrottlePolicy,
    can,
    find_account,
    hash_code,
    load_accounts,
)
from kiosk.mediator.errors import AccountError
from kiosk.mediator.gate import Gate
from kiosk.mediator.journal import Journal
from kiosk.mediator.setup import build_gate
from kiosk.mediator.verify import verify


def make_gate(tmp_path: Path, clock: FakeClock, **policy: float) -> Gate:
    accounts = [account("med-01", "mediator", "246810"), account("adm-01", "admin", "BADGE-9F3C-77A1")]
    return Gate(accounts, Throttle(ThrottlePolicy(**policy), clock), RelockPolicy(180, clock),
                Journal(tmp_path / "journal", "pref-69-01"))


def test_hash_is_salted_self_describing_and_checks_only_the_right_code() -> None:
    a, b = hash_code("246810", **FAST), hash_code("246810", **FAST)
    assert a != b                                          # salted
    assert a.startswith("$scrypt$ln=10,r=8,p=1$") and "246810" not in a
    assert CodeHash.parse(a).matches("246810") and CodeHash.parse(a).matches(" 246810\n")
    assert not CodeHash.parse(a).matches("246811") and not CodeHash.parse(a).matches("")


def test_default_cost_is_the_documented_one() -> None:
    h = hash_code("246810")
    assert h.startswith("$scrypt$ln=15,r=8,p=1$")
    parsed = CodeHash.parse(h)
    assert (len(parsed.salt), len(parsed.key)) == (16, 32)


@pytest.mark.parametrize("entry, why", [
    ("med-01:mediator:246810", "expected $scrypt"),
    ("med-01:boss:" + "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0$" + "a" * 43, "role"),
    ("med 01:mediator:x", "id:role:hash"),
    ("med-01:mediator:$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$" + "a" * 43, "ln=30"),
])
def test_malformed_accounts_are_refused_with_a_reason(entry: str, why: str) -> None:
    with pytest.raises(AccountError) as info:
        Account.parse(entry)
    assert why in info.value.detail


def test_accounts_load_skips_comments_and_refuses_duplicates() -> None:
    one = account("med-01", "mediator", "1111").entry()
    assert [a.id for a in load_accounts(["# staff", "", one])] == ["med-01"]
    with pytest.raises(AccountError):
        load_accounts([one, one])


def test_find_account_checks_every_account(monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = [account("med-01", "mediator", "1111"), account("med-02", "mediator", "2222")]
    checked: list[bytes] = []
    real = CodeHash.matches

    def spy(self: CodeHash, code: str) -> bool:
        checked.append(self.salt)
        return real(self, code)

    monkeypatch.setattr(CodeHash, "matches", spy)
    assert find_account(accounts, "1111") is accounts[0]
    assert len(checked) == 2                 # the first matched, the second was still checked


def test_wrong_codes_delay_more_and_more_then_lock_out(tmp_path: Path) -> None:
    clock = FakeClock(500.0)
    gate = make_gate(tmp_path, clock)
    waits = []
    for _ in range(4):
        result = gate.unlock("000000")
        assert result.actor is None and not result.locked
        waits.append(result.wait_s)
        early = gate.unlock("246810")                   # the right code, but too early: not even checked
        assert early.actor is None and early.wait_s > 0
        clock.advance(result.wait_s)
    assert waits == [1, 2, 4, 8]
    locked = gate.unlock("000000")                      # 5th wrong code
    assert locked.locked and locked.wait_s == 300
    clock.advance(299)
    still = gate.unlock("246810")
    assert still.actor is None and still.locked and still.wait_s == 1
    clock.advance(1)
    assert gate.unlock("246810").actor == "med-01"      # unlock works with the right code after the wait
    actions = [e.entry["action"] for e in _entries(tmp_path)]
    assert actions == ["unlock_failed"] * 4 + ["locked_out"]


def test_second_lockout_is_longer_until_a_right_code(tmp_path: Path) -> None:
    clock = FakeClock(500.0)
    throttle = Throttle(ThrottlePolicy(max_failures=3, lockout_s=60), clock)
    lockouts = []
    for _ in range(2):
        for _ in range(3):
            clock.advance(throttle.wait_s())
            delay = throttle.failed()
        lockouts.append(delay)
    assert lockouts == [60, 120]
    throttle.succeeded()
    assert throttle.wait_s() == 0 and throttle.failures == 0


def test_right_codes_unlock_with_their_role(tmp_path: Path) -> None:
    clock = FakeClock(500.0)
    gate = make_gate(tmp_path, clock)
    med = gate.unlock("246810")
    assert (med.actor, med.role) == ("med-01", "mediator")
    assert gate.may(Capability.ASSIST) and not gate.may(Capability.MAINTENANCE)
    gate.journal("med-01", "handed_back")
    assert not gate.may(Capability.ASSIST)              # handing back locks the gate
    adm = gate.unlock("  BADGE-9F3C-77A1\n")            # a badge reader's line end is ignored
    assert (adm.actor, adm.role) == ("adm-01", "admin") and gate.may(Capability.MAINTENANCE)
    assert gate.unlock("").actor is None and gate.throttle.failures == 0   # an empty OK is not a try


def test_mediator_mode_relocks_after_inactivity(tmp_path: Path) -> None:
    clock = FakeClock(500.0)
    gate = make_gate(tmp_path, clock)
    assert not gate.expired()                           # nobody unlocked: nothing to expire
    gate.unlock("246810")
    clock.advance(179)
    assert not gate.expired()
    gate.touch()                                        # mediator input keeps it open
    clock.advance(179)
    assert not gate.expired() and gate.relock.remaining_s() == 1
    clock.advance(1)
    assert gate.expired() and not gate.may(Capability.ASSIST)


def test_roles_and_capabilities() -> None:
    assert can("admin", Capability.MAINTENANCE) and can("admin", Capability.ASSIST)
    assert can("mediator", Capability.ASSIST) and not can("mediator", Capability.MAINTENANCE)
    assert not can("visitor", Capability.ASSIST)


def test_config_validates_accounts_with_the_same_pattern(tmp_path: Path) -> None:
    meta = {f.name: f.metadata for f in config.MediatorConfig.__dataclass_fields__.values()}
    assert meta["accounts"]["pattern"] == ACCOUNT_PATTERN
    entry = account("med-01", "mediator", "246810").entry()
    assert re.fullmatch(ACCOUNT_PATTERN, entry)
    parsed = config.parse(f'[mediator]\naccounts = ["{entry}"]\nrelock_after_s = 120\n')
    assert parsed.mediator.accounts == (entry,)
    with pytest.raises(config.ConfigError) as info:
        config.parse('[mediator]\naccounts = ["med-01:mediator:246810"]\n')
    assert "line 2: mediator.accounts" in str(info.value)


def test_build_gate_takes_accounts_from_the_config_and_the_keyring(tmp_path: Path) -> None:
    in_file = account("med-01", "mediator", "246810").entry()
    in_keyring = account("adm-01", "admin", "13579").entry()
    cfg = config.parse(f'[terminal]\nid = "pref-69-01"\n[mediator]\naccounts = ["{in_file}"]\n'
                       f'max_failures = 3\nlockout_s = 60\njournal_dir = "{tmp_path / "j"}"\n')
    asked = []

    def get_password(service: str, name: str) -> str | None:
        asked.append((service, name))
        return f"# admins\n{in_keyring}\n"

    clock = FakeClock(500.0)
    gate = build_gate(cfg, get_password, clock=clock)
    assert asked == [("pan-kiosk", "mediator-accounts")]
    assert [a.id for a in gate.accounts] == ["med-01", "adm-01"]
    assert gate.unlock("13579").role == "admin"
    for _ in range(3):
        clock.advance(gate.throttle.wait_s())
        result = gate.unlock("1")
    assert result.locked and result.wait_s == 60


def _entries(tmp_path: Path) -> list:  # noqa: ANN001
    from kiosk.mediator.verify import read_lines
    report = verify(tmp_path / "journal")
    assert report.ok, report.problems
    return [line for f in report.files for line in read_lines(f)]


def test_a_restart_does_not_reset_failures_or_lockouts(tmp_path: Path) -> None:
    cfg = config.parse(f'[terminal]\nid = "pref-69-01"\n[mediator]\naccounts = ["'
                       f'{account("med-01", "mediator", "246810").entry()}"]\n'
                       f'max_failures = 3\nlockout_s = 60\njournal_dir = "{tmp_path / "j"}"\n')
    wall = [1_790_000_000.0]
    clock = FakeClock(500.0)

    def boot() -> Gate:                                 # a fresh process: new monotonic clock origin
        clock.now = 7.0
        return build_gate(cfg, clock=clock, wall_clock=lambda: wall[0])

    gate = boot()
    assert gate.unlock("1").wait_s == 1
    wall[0] += 1
    clock.advance(1)
    assert gate.unlock("2").wait_s == 2
    gate = boot()                                       # plug pulled: 2 failures remembered
    assert gate.throttle.failures == 2 and gate.unlock("3").wait_s == 2   # still to wait: not tried
    wall[0] += 2
    clock.advance(2)
    assert gate.unlock("4").locked                      # third failure: locked for 60 s
    wall[0] += 20
    gate = boot()
    result = gate.unlock("246810")
    assert result.actor is None and result.locked and result.wait_s == 40
    wall[0] += 40
    clock.advance(40)
    for code in ("5", "6", "7"):
        clock.advance(gate.throttle.wait_s())
        result = gate.unlock(code)
    assert result.locked and result.wait_s == 120       # the second lockout is still doubled
    clock.advance(120)
    wall[0] += 200
    assert gate.unlock("246810").actor == "med-01"
    gate.journal("med-01", "unlocked")
    gate = boot()                                       # a mediator got in: nothing carried over
    assert gate.throttle.failures == 0 and gate.throttle.wait_s() == 0
