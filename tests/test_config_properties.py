"""Hostile configuration files: `config.parse` returns a valid Config or raises ConfigError whose every
problem names where (line or key) and what was expected; never another exception, never a message
that prints a megabyte back."""

from __future__ import annotations

import tomllib

import pytest
from hostile_toml import HOSTILE, hostile_document, mangled
from hypothesis import given
from hypothesis import strategies as st

from kiosk import config

EXAMPLE = config.example()


def parse_or_problems(text: str) -> list[config.ConfigProblem]:
    try:
        cfg = config.parse(text, "kiosk.toml")
    except config.ConfigError as exc:
        assert exc.problems
        return exc.problems
    assert isinstance(cfg, config.Config)
    return []


@HOSTILE
@given(st.one_of(hostile_document(tomllib.loads(EXAMPLE)), mangled(EXAMPLE)))
def test_hostile_configuration_gets_a_precise_answer(text: str) -> None:
    for problem in parse_or_problems(text):
        assert problem.key and problem.message
        assert len(str(problem)) < 1000, str(problem)[:200]


def test_deep_nesting_is_a_problem_on_its_line() -> None:
    [problem] = parse_or_problems("[terminal]\nid = " + "[" * 3000 + "]" * 3000 + "\n")
    assert str(problem) == ("line 2: (syntax): lists or tables nested too deeply, expected at most a few "
                            "levels")


def test_huge_integers_are_problems() -> None:
    [decimal] = parse_or_problems("[session]\nidle_timeout_s = " + "9" * 5000 + "\n")
    assert str(decimal).startswith("line 2: (syntax): a number has more than 4300 digits")
    [hexadecimal] = parse_or_problems("[session]\nidle_timeout_s = 0x" + "f" * 5000 + "\n")
    assert str(hexadecimal) == ("line 2: session.idle_timeout_s: got a number of about 6021 digits, "
                                "expected at most 3600")


def test_huge_strings_are_problems_not_echoed() -> None:
    [long_text] = parse_or_problems('[terminal]\nsite_name = "' + "x" * 50_000 + '"\n')
    assert str(long_text) == ("line 2: terminal.site_name: got a text of 50000 characters, expected at most "
                              "2000")
    [huge_file] = parse_or_problems('[terminal]\nsite_name = "' + "x" * 1_000_001 + '"\n')
    assert str(huge_file).startswith("file: (syntax): the file has 1000027 characters, expected at most")


def test_control_characters_are_refused() -> None:
    [nul] = parse_or_problems('[session]\nroot = "/tmp/a\\u0000b"\n')
    assert str(nul) == r"line 2: session.root: got '/tmp/a\x00b', expected text without control characters"


def test_impossible_ports_are_refused() -> None:
    found = [str(p) for p in parse_or_problems(
        '[browser]\nallowed_hosts = ["a.example.fr:99999"]\nextra_hosts = ["b.example.fr:0"]\n'
        '[updates]\nurl = "https://c.example.fr:0/index.json"\n[help]\nurl = "https://[d/"\n')]
    assert found == [
        "line 2: browser.allowed_hosts: got 'a.example.fr:99999', expected a port from 1 to 65535",
        "line 3: browser.extra_hosts: got 'b.example.fr:0', expected a port from 1 to 65535",
        "line 5: updates.url: got 'https://c.example.fr:0/index.json', expected a port from 1 to 65535",
        "line 7: help.url: got 'https://[d/', expected a web address (Invalid IPv6 URL)"]
    ok = config.parse('[browser]\nallowed_hosts = ["a.example.fr:65535", "b.example.fr:1", "c.fr"]\n')
    assert ok.browser.allowed_hosts == ("a.example.fr:65535", "b.example.fr:1", "c.fr")


def test_mediator_accounts_the_kiosk_would_refuse_at_start_are_refused() -> None:
    from kiosk.mediator import auth

    assert config.SCRYPT_LIMITS == auth._LIMITS
    good = f"ann:admin:{auth.hash_code('1234', ln=10)}"
    assert config.parse(f'[mediator]\naccounts = ["{good}"]\n').mediator.accounts == (good,)
    head, salt, key = good.rsplit("$", 2)
    too_costly, bad_salt = good.replace("ln=10", "ln=99"), f"{head}${salt}AAA${key}"
    for refused_at_start in (too_costly, bad_salt):       # what check-config used to accept
        with pytest.raises((auth.AccountError, ValueError)):
            auth.load_accounts([refused_at_start])
    found = [p.message for p in parse_or_problems(f'[mediator]\naccounts = ["{too_costly}"]\n')]
    assert len(found) == 1 and "ln=99" in found[0] and found[0].endswith(", expected ln from 10 to 20")
    found = [p.message for p in parse_or_problems(f'[mediator]\naccounts = ["{bad_salt}"]\n')]
    assert len(found) == 1 and found[0].endswith("(not valid base64)")
    found = [p.message for p in parse_or_problems(f'[mediator]\naccounts = ["{good}", "{good}"]\n')]
    assert found == ["account id 'ann' appears twice, expected each id once"]


def test_a_slow_header_line_is_read_in_linear_time() -> None:
    # Valid TOML: the old header pattern backtracked cubically on it (55 s for 6,000 characters).
    text = "[" + " " * 3000 + "terminal" + " " * 3000 + ".'x']\n"
    [problem] = parse_or_problems(text)
    assert str(problem).startswith("line 1: terminal.x: unknown key")
