"""Content patterns (procedures' site_url_patterns): `content check` keeps them to a subset that cannot
take exponential time, says why with file, procedure and field, and RE2 matches them in linear time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.content import patterns
from kiosk.content.pack import PackError, load_pack
from kiosk.paths import DEFAULT_PACK

MakePack = Callable[..., Path]
EXPONENTIAL = "which can take exponential time; expected a pattern without such nested repetition"


def with_pattern(procedure_toml: str, pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\")
    line = f'site_url_patterns = ["{escaped}"]\n'
    return procedure_toml.replace('start = "intro"\n', 'start = "intro"\n' + line)


def test_content_check_refuses_a_catastrophic_pattern(make_pack: MakePack, procedure_toml: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = make_pack(with_pattern(procedure_toml, "(a+)+$"))
    assert main(["content", "check", str(root)]) == 2
    err = capsys.readouterr().err
    assert ("procedures/demo.toml, procedure demo, field site_url_patterns[0]: '(a+)+$' repeats a group "
            f"that holds a repetition (as in (a+)+ or (a|ab)*), {EXPONENTIAL}") in err
    with pytest.raises(PackError):
        load_pack(root)                         # so the kiosk falls back to the shipped pack at start


@pytest.mark.parametrize(("pattern", "why"), [
    ("(a+)+$", "repeats a group that holds a repetition"),
    ("(x*)*y", "repeats a group that holds a repetition"),
    ("(?:/[a-z]+)+$", "repeats a group that holds a repetition"),
    ("(a|ab)*c", "repeats a group that holds alternatives (|)"),
    ("(a?){2,}", "repeats a group that holds a repetition"),
    ("(a)\\1", "uses a backreference (\\1…)"),
    ("(?P<x>a)(?P=x)", "uses a backreference (?P=name)"),
    ("(?=a)b", "uses a lookahead (?=…)"),
    ("(?<!a)b", "uses a negative lookbehind (?<!…)"),
    ("(a)?(?(1)b|c)", "uses a conditional"),
    ("(?>a+)b", "uses an atomic group"),
    ("a*+b", "uses syntax the kiosk's matcher (RE2) does not have: bad repetition operator: *+"),
    ("/(demande", "is not a valid regular expression: missing ), unterminated subpattern"),
    ("a" * 501, "is 501 characters long, expected at most 500"),
])
def test_unsafe_or_unsupported_patterns_are_refused(pattern: str, why: str) -> None:
    assert (patterns.problem(pattern) or "").startswith(why)


@pytest.mark.parametrize("pattern", [
    r"^https://administration-etrangers-en-france\.interieur\.gouv\.fr/particuliers/",
    r"(www\.)?service-public\.fr/(particuliers|professionnels)/vosdroits/F\d+$",
    r"/demande/(\d{2})+$", r"(?i)^https://[a-z.-]+\.gouv\.fr/", r"(?P<fiche>F\d{3,5})$", r"[^?#]+\.pdf$",
    r"\(a+\)+",
])
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert patterns.problem(pattern) is None


def test_every_shipped_pattern_is_accepted() -> None:
    shipped = [p for proc in load_pack(DEFAULT_PACK).procedures.values() for p in proc.site_url_patterns]
    assert shipped and all(patterns.problem(p) is None for p in shipped)


def test_matching_is_linear_even_for_a_pattern_that_skipped_the_check() -> None:
    matcher = patterns.compile_pattern("(a+)+$")
    start = time.perf_counter()
    assert matcher.search("a" * 40 + "!") is None
    assert matcher.search("a" * 1_000_000 + "!") is None
    assert time.perf_counter() - start < 2.0
    assert patterns.compile_pattern("ÉTAT", ignore_case=True).search("votre état civil")


def test_a_pattern_re2_refuses_at_run_time_is_a_pattern_error() -> None:
    with pytest.raises(patterns.PatternError, match="invalid perl operator"):
        patterns.compile_pattern("(?=a)")
