"""`pan-kiosk receipt sample|print-test`: receipts for a fictitious visit, for admins and reviewers."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kiosk.cli.arguments import CommandError, fail, non_empty, output_file, seconds
from kiosk.i18n import LANGUAGES, Translators


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("receipt", help="receipts: render a sample, print a test receipt")
    cmds = parser.add_subparsers(dest="receipt_command", required=True, metavar="COMMAND")
    sample = cmds.add_parser("sample", help="render a receipt for a fictitious visit to a PDF file")
    _common(sample)
    sample.add_argument("--out", type=output_file, required=True, help="PDF file to write")
    sample.set_defaults(func=_sample)
    test = cmds.add_parser("print-test", help="print a sample receipt through CUPS and follow the job")
    _common(test)
    test.add_argument("--queue", type=non_empty, default=None,
                      help="CUPS queue (default: the CUPS default queue)")
    test.add_argument("--timeout", type=seconds(3600), default=60.0,
                      help="seconds to wait for the job to end (default 60)")
    test.set_defaults(func=_print_test)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default="fr", choices=sorted(LANGUAGES), help="visitor's language")
    parser.add_argument("--layout", default="a4", choices=("a4", "80mm"))
    parser.add_argument("--incident", action="store_true",
                        help="the proof that the online procedure failed, instead of a receipt")


def _render(args: argparse.Namespace) -> bytes:
    from kiosk.receipts import FontBook, ReceiptRenderer
    from kiosk.receipts.sample import sample_incident, sample_receipt

    renderer = ReceiptRenderer(FontBook(), Translators(None).get)
    if args.incident:
        return renderer.incident(sample_incident(args.lang), args.layout)
    return renderer.receipt(sample_receipt(args.lang), args.layout)


def _sample(args: argparse.Namespace) -> int:
    pdf = _render(args)
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"cannot write the receipt: {exc}") from None
    print(f"{args.out}: {len(pdf)} bytes ({args.lang}, {args.layout})")
    return 0


def _print_test(args: argparse.Namespace) -> int:
    from kiosk.printing.cups import CupsPrinter
    from kiosk.printing.printer import PrinterFault, print_document

    printer = CupsPrinter(args.queue)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.pdf"
        path.write_bytes(_render(args))
        try:
            job = print_document(printer, path, "PAN Kiosk test receipt", args.timeout,
                                 on_state=lambda state: print(f"job: {state.name.lower()}"))
        except PrinterFault as fault:
            translator = Translators(None).get("en")
            return fail(f"{translator.tr(fault.message)} {translator.tr(fault.action)} ({fault})")
    print(f"printed: job {job.id} on {job.queue}")
    return 0
