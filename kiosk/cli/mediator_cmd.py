"""`pan-kiosk journal verify|show`, `pan-kiosk stats export`, `pan-kiosk mediator hash-pin`.

journal verify exits 0 when the journal is intact, 1 when it was altered (each finding printed with its
file and line), 2 when it cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk import config as config_mod
from kiosk.cli.arguments import (
    CommandError,
    config_error_line,
    fail,
    input_file,
    input_path,
    int_range,
    output_file,
)

SCRYPT_LN = (10, 20)        # the scrypt costs kiosk.mediator.auth accepts (N = 2^ln)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    journal = sub.add_parser("journal", help="the mediator journal: check it was not altered, read it")
    jcmds = journal.add_subparsers(dest="journal_command", required=True, metavar="COMMAND")
    verify = jcmds.add_parser("verify", help="tell whether the journal was altered, and where")
    show = jcmds.add_parser("show", help="print the journal's entries, oldest first")
    for parser in (verify, show):
        parser.add_argument("path", type=input_path, nargs="?", default=None,
                            help="journal directory or one journal file (default: from the configuration)")
        parser.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
    show.add_argument("--last", type=int_range(1), default=None, help="only the last N entries")
    verify.set_defaults(func=_verify)
    show.set_defaults(func=_show)

    stats = sub.add_parser("stats", help="anonymous daily counters")
    scmds = stats.add_subparsers(dest="stats_command", required=True, metavar="COMMAND")
    export = scmds.add_parser("export", help="write the daily counters as CSV")
    export.add_argument("--out", type=output_file, default=None,
                        help="CSV file to write (default: standard output)")
    export.add_argument("--since", type=_day, default=None, help="first day (YYYY-MM-DD)")
    export.add_argument("--until", type=_day, default=None, help="last day (YYYY-MM-DD)")
    export.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
    export.set_defaults(func=_export)

    mediator = sub.add_parser("mediator", help="mediator accounts")
    mcmds = mediator.add_subparsers(dest="mediator_command", required=True, metavar="COMMAND")
    pin = mcmds.add_parser("hash-pin", help="hash a PIN or badge code into a [mediator] accounts entry")
    pin.add_argument("--id", required=True, help="mediator id written in the journal (e.g. med-01)")
    pin.add_argument("--role", choices=("mediator", "admin"), default="mediator")
    pin.add_argument("--stdin", action="store_true", help="read the code from standard input (one line)")
    pin.add_argument("--ln", type=int_range(*SCRYPT_LN), default=None,
                     help="scrypt cost: N = 2^ln, from 10 to 20 (default 15; 17 = OWASP's reference)")
    pin.set_defaults(func=_hash_pin)
    test = mcmds.add_parser("help-test", help="send a test help request through the configured channel",
                            description="Send one test help request (step connection-test) through the "
                                        "configured channel and say whether it was accepted.")
    test.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
    test.set_defaults(func=_help_test)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _config(args: argparse.Namespace) -> config_mod.Config:
    from kiosk.i18n.languages import LANGUAGES
    try:
        return config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        raise CommandError(config_error_line(exc)) from None


def _journal_path(args: argparse.Namespace) -> Path:
    """PATH, or the configuration's journal directory; a CommandError when it holds no journal."""
    from kiosk.mediator.journal import journal_files
    if args.path is not None:
        path = Path(args.path)
    else:
        from kiosk.mediator.setup import journal_dir
        path = journal_dir(_config(args))
    if not path.exists():
        raise CommandError(f"{path}: no such journal")
    if path.is_dir() and not journal_files(path):
        raise CommandError(f"{path}: no journal files here (journal-N.jsonl)")
    return path


def _verify(args: argparse.Namespace) -> int:
    from kiosk.mediator.verify import verify

    path = _journal_path(args)
    try:
        report = verify(path)
    except OSError as exc:
        return fail(f"{path}: cannot read: {exc.strerror or exc}")
    for note in report.notes:
        print(f"note: {note}")
    if report.ok:
        print(f"{path}: intact ({report.entries} entries in {len(report.files)} file(s))")
        return 0
    print(f"{path}: ALTERED: {len(report.problems)} problem(s) in {report.entries} entries")
    for finding in report.problems:
        print(f"  {finding.where}: {finding.kind}: {finding.message}")
    return 1


def _show(args: argparse.Namespace) -> int:
    from kiosk.mediator.verify import show

    path = _journal_path(args)
    try:
        for line in show(path, args.last):
            print(line)
    except OSError as exc:
        return fail(f"{path}: cannot read: {exc.strerror or exc}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from kiosk.visit.stats import DailyCounters

    counters = DailyCounters(_config(args).stats_dir())
    if args.since and args.until and args.since > args.until:
        return fail(f"--since {args.since} is after --until {args.until}")
    if args.out is None:
        counters.export(sys.stdout, args.since, args.until)
        return 0
    tmp = args.out.with_name(args.out.name + ".tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            rows = counters.export(f, args.since, args.until)
        tmp.replace(args.out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"{args.out}: {rows} row(s)", file=sys.stderr)
    return 0


def _hash_pin(args: argparse.Namespace) -> int:
    from kiosk.mediator.auth import ACCOUNT_ID_RE, DEFAULT_LN, Account, hash_code, normalize
    from kiosk.mediator.errors import AccountError

    if not ACCOUNT_ID_RE.fullmatch(args.id):
        return fail("--id: letters, digits, '.', '_' and '-' only (at most 64)")
    if args.stdin:
        code = normalize(sys.stdin.readline())
    else:
        if not _has_terminal():
            return fail("no terminal to ask for the code on: give it on standard input with --stdin")
        try:
            code = normalize(getpass.getpass("Code (PIN or badge): "))
            again = normalize(getpass.getpass("Same code again: "))
        except EOFError:
            return fail("no code given")
        if again != code:
            return fail("the two codes differ")
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:           # bytes that are not UTF-8 arrive as lone surrogates
        return fail("the code is not UTF-8 text")
    if len(code) < 4:
        return fail("a code has at least 4 characters")
    if code.isdigit() and len(code) < 6:
        print("warning: a PIN of fewer than 6 digits is easy to guess once the hash is stolen",
              file=sys.stderr)
    try:
        entry = f"{args.id}:{args.role}:{hash_code(code, ln=DEFAULT_LN if args.ln is None else args.ln)}"
        Account.parse(entry)
    except AccountError as exc:
        return fail(exc.detail or exc.message)
    print(entry)
    print("add it to [mediator] accounts in /etc/pan-kiosk/kiosk.toml, or as a line of the "
          "mediator-accounts credential", file=sys.stderr)
    return 0


def _has_terminal() -> bool:
    """getpass reads from the controlling terminal (not standard input) when there is one."""
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return False


def _get_password() -> Callable[[str, str], str | None]:
    import keyring

    from kiosk.mediator.credentials import choose_keyring
    backend = choose_keyring()
    return backend.get_password if backend is not None else keyring.get_password


def _help_test(args: argparse.Namespace) -> int:
    from kiosk.mediator.errors import HelpDeliveryError
    from kiosk.mediator.help import HelpRequest
    from kiosk.mediator.setup import make_channel

    config = _config(args)
    channel = make_channel(config, _get_password())
    if channel is None:
        print("no help channel configured ([help] channel, url, matrix_room)", file=sys.stderr)
        return 2
    request = HelpRequest(config.terminal.id, "connection-test", config.languages.default,
                          site=config.terminal.site_name)
    try:
        channel.send(request)
    except HelpDeliveryError as exc:
        again = "will be retried" if exc.retryable else "will not work until the configuration is fixed"
        print(f"{channel.name}: NOT delivered ({exc.detail}); a visitor's request {again}", file=sys.stderr)
        return 1
    print(f"{channel.name}: delivered (request {request.id})")
    return 0
