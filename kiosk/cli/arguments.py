"""What every `pan-kiosk` command shares: one-line errors and argument types checked while parsing.

A bad argument gets one line on stderr and exit 2, never a traceback. What argparse can check (a file
that exists, a number in range, a known language) is checked by the types below, so a command only
starts with arguments it can use. What only shows once a command runs (a file that is not UTF-8, a
key that is not a key, a disk that refuses a write) is raised as `CommandError` and printed by
`kiosk.__main__.main`. Several problems in a configuration or a content pack are summed up in one
line that names the command listing them all (`check-config`, `content check`).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from kiosk.config import ConfigError


class CommandError(Exception):
    """An argument turned out unusable once the command ran; the message is the one line shown."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (argparse prints the usage first, then the error)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


Command = tuple[str, str, argparse.ArgumentParser]      # "content check", its one-line help, its parser


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[Command]:
    """Every command reachable from `parser`, groups expanded ("content check")."""
    found: list[Command] = []
    for action in parser._actions:                      # argparse keeps its subcommands only here
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, sub in action.choices.items():
            nested = commands(sub, f"{prefix}{name} ")
            found += nested or [(f"{prefix}{name}", helps.get(name, ""), sub)]
    return found


# --- argument types: each returns the value or raises ArgumentTypeError with the reason ------------

def _not_empty(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path")
    return Path(text)


def input_file(text: str) -> Path:
    """A file that exists (not a directory)."""
    path = _not_empty(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a directory, not a file")
    return path


def input_dir(text: str) -> Path:
    """A directory that exists."""
    path = _not_empty(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such directory: {path}")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a file, not a directory")
    return path


def input_path(text: str) -> Path:
    """A file or a directory that exists."""
    path = _not_empty(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or directory: {path}")
    return path


def _creatable(path: Path, parents: bool) -> None:
    """Raise unless `path` can be made: its parent is a directory (or, with `parents`, can become one)."""
    parent = path.absolute().parent
    if not parents and not parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory: {parent}")
    for ancestor in (parent, *parent.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise argparse.ArgumentTypeError(f"{ancestor} is a file, not a directory")
            return


def output_file(text: str) -> Path:
    """A file to write, in a directory that exists; an existing file is replaced."""
    path = _not_empty(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a directory, not a file")
    _creatable(path, parents=False)
    return path


def output_file_with_parents(text: str) -> Path:
    """A file to write; the command makes the missing directories above it."""
    path = _not_empty(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a directory, not a file")
    _creatable(path, parents=True)
    return path


def new_file(text: str) -> Path:
    """A file to create, in a directory that exists; it must not exist yet."""
    path = _not_empty(text)
    if path.exists():
        raise argparse.ArgumentTypeError(f"{path} already exists")
    _creatable(path, parents=False)
    return path


def output_dir(text: str) -> Path:
    """A directory to write into; made (with its parents) when missing."""
    path = _not_empty(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a file, not a directory")
    _creatable(path, parents=True)
    return path


def int_range(low: int, high: int | None = None) -> Callable[[str], int]:
    """An integer from `low` to `high` (no upper bound: None)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"expected a number from {low} up, got {text}")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a number from {low} to {high}, got {text}")
        return value
    parse.__name__ = "number"
    return parse


def seconds(high: float) -> Callable[[str], float]:
    """A duration in seconds, more than 0 and at most `high`."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
        if not (math.isfinite(value) and 0 < value <= high):
            raise argparse.ArgumentTypeError(f"expected seconds from more than 0 to {high:g}, got {text}")
        return value
    parse.__name__ = "seconds"
    return parse


def non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty value")
    return text


def code_list(known: Sequence[str]) -> Callable[[str], list[str]]:
    """Comma-separated codes, each one of `known`, at least one."""
    def parse(text: str) -> list[str]:
        codes = list(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
        if not codes:
            raise argparse.ArgumentTypeError("give at least one language code, e.g. fr,ar")
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown language {', '.join(map(repr, unknown))} "
                                             f"(known: {', '.join(known)})")
        return codes
    parse.__name__ = "languages"
    return parse


# --- problems found once the command runs -----------------------------------------------------------

def config_error_line(exc: ConfigError, listing: bool = False) -> str:
    """One line for a configuration that cannot be used; with `listing`, every problem (check-config)."""
    if len(exc.problems) == 1:
        problem = exc.problems[0]
        whole_file = problem.line is None and problem.key == "(file)"       # cannot read it at all
        return f"{exc.path}: {problem.message if whole_file else problem}"
    if listing:
        return str(exc)
    return (f"{exc.path}: {len(exc.problems)} problems, the first: {exc.problems[0]} "
            f"(`pan-kiosk check-config {exc.path}` lists them all)")


def problems_line(path: Path, problems: Sequence[object], full: str, lister: str) -> str:
    """One line for a file with several problems (`full` lists them, `lister` is the command that does)."""
    if len(problems) == 1:
        return str(problems[0]) if str(path) in str(problems[0]) else f"{path}: {problems[0]}"
    if not lister:
        return full
    return f"{path}: {len(problems)} problems, the first: {problems[0]} (`{lister}` lists them all)"


def fail(message: str) -> int:
    """Print one line on stderr; the exit code of a bad argument."""
    print(message, file=sys.stderr)
    return 2
