"""Regular expressions a content pack gives the kiosk: procedures' `site_url_patterns`, which the site
guide searches in every address the visitor's browser loads, on the GUI thread.

Two guards, so that no pattern can freeze the kiosk:

- `problem(pattern)`, run by `load_pack` (so by `content check`, the updater and start-up), keeps
  patterns to a safe subset and says what is wrong: at most MAX_LENGTH characters; no repeated group
  (``+``, ``*``, ``{2,}``…) that itself holds a repetition of variable length or an alternation,
  which are the shapes (``(a+)+$``, ``(a|ab)*``) that make a backtracking engine such as Python's
  `re`, the one authors try patterns with, take exponential time; no backreference, lookaround,
  conditional or atomic group, which RE2 cannot run. It must compile with both `re` and RE2.
- `compile_pattern` compiles with RE2 (google-re2), whose matching time is linear in the length of
  the text whatever the pattern, so even a pattern that never went through the check (a pack built in
  code, a guide of the kiosk's own) cannot hang matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import re2  # type: ignore[import-untyped]   # google-re2: no type information shipped

MAX_LENGTH = 500                 # the shipped pack's longest pattern: about 90 characters
_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")
_UNBOUNDED = 1 << 32
_FORBIDDEN = {                   # what follows "(?"
    "=": "a lookahead (?=…)", "!": "a negative lookahead (?!…)", "<=": "a lookbehind (?<=…)",
    "<!": "a negative lookbehind (?<!…)", "P=": "a backreference (?P=name)", "(": "a conditional (?(…)…)",
    ">": "an atomic group (?>…)",
}


class Searcher(Protocol):
    def search(self, text: str) -> object | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why."""


def compile_pattern(pattern: str, *, ignore_case: bool = False) -> Searcher:
    """`pattern` compiled for linear-time search (RE2); raise PatternError if RE2 refuses it."""
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)  # type: ignore[no-any-return]
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        raise PatternError(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
                           ) from None


def problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a content pattern, with what is expected; None if it can."""
    if len(pattern) > MAX_LENGTH:
        return f"is {len(pattern)} characters long, expected at most {MAX_LENGTH}"
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression: {exc}"
    unsafe = _unsafe(pattern)
    if unsafe:
        return unsafe
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return f"uses syntax the kiosk's matcher (RE2) does not have: {exc}"
    return None


@dataclass
class _Group:
    varies: bool = False          # holds a repetition of variable length (+, *, ?, {1,3})
    alternation: bool = False     # holds a |


def _bounds(quantifier: re.Match[str]) -> tuple[int, int] | None:
    """(min, max) of a quantifier; None for a "{" that Python reads as a literal."""
    text = quantifier.group(0)
    if text in "*+?":
        return {"*": (0, _UNBOUNDED), "+": (1, _UNBOUNDED), "?": (0, 1)}[text]
    low, comma, high = quantifier.groups()
    if not low and not high and not comma:
        return None
    low_n = int(low or 0)
    if not comma:
        return low_n, low_n
    return low_n, int(high) if high else _UNBOUNDED


def _unsafe(pattern: str) -> str | None:
    """Scan a pattern that `re` compiles (iteratively: no recursion on deep nesting) for the shapes
    refused by `problem`."""
    stack = [_Group()]
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1:i + 2].isdigit() and pattern[i + 1] != "0":
                return "uses a backreference (\\1…), expected a pattern without backreferences"
            i += 2
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            if pattern.startswith("(?#", i):
                i = pattern.index(")", i) + 1
                continue
            for start, name in _FORBIDDEN.items():
                if pattern.startswith("(?" + start, i):
                    return f"uses {name}, expected plain groups, classes and repetitions"
            stack.append(_Group())
            i = _group_body(pattern, i)
        elif char == ")" and len(stack) > 1:
            group = stack.pop()
            i += 1
            quantifier = _QUANTIFIER.match(pattern, i)
            bounds = _bounds(quantifier) if quantifier else None
            if bounds and bounds[1] > 1 and (group.varies or group.alternation):
                inside = "a repetition" if group.varies else "alternatives (|)"
                return (f"repeats a group that holds {inside} (as in (a+)+ or (a|ab)*), which can take "
                        f"exponential time; expected a pattern without such nested repetition")
            stack[-1].varies |= group.varies or bool(bounds and bounds[0] != bounds[1])
            stack[-1].alternation |= group.alternation
            if bounds and quantifier:
                i = _after_quantifier(pattern, quantifier.end())
        elif char == "|":
            stack[-1].alternation = True
            i += 1
        elif (quantifier := _QUANTIFIER.match(pattern, i)) and (bounds := _bounds(quantifier)):
            stack[-1].varies |= bounds[0] != bounds[1]
            i = _after_quantifier(pattern, quantifier.end())
        else:
            i += 1
    return None


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that starts at `i`."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_body(pattern: str, i: int) -> int:
    """The index of the first character inside the group opened at `i`: after "(", "(?:", "(?P<name>"
    or "(?i:"; at the ")" of a flags-only group "(?i)", which then closes as an empty group."""
    if not pattern.startswith("(?", i):
        return i + 1
    if pattern.startswith("(?P<", i):
        return pattern.index(">", i) + 1
    j = i + 2
    while j < len(pattern) and pattern[j] in "aiLmsux-":
        j += 1
    return j + 1 if pattern[j:j + 1] == ":" else j


def _after_quantifier(pattern: str, j: int) -> int:
    """Skip the lazy (?) or possessive (+) mark after a quantifier."""
    return j + 1 if pattern[j:j + 1] in ("?", "+") else j


__all__ = ["MAX_LENGTH", "PatternError", "Searcher", "compile_pattern", "problem"]
