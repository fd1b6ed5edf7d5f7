"""`pan-kiosk doctor`: one line per check, exit 0 (ok), 1 (warnings) or 2 (failures)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import config as config_mod
from kiosk.cli.arguments import CommandError, config_error_line, input_file, output_file_with_parents
from kiosk.health.doctor import Doctor
from kiosk.health.metrics import Family, Sample, render, write_atomic
from kiosk.i18n.languages import LANGUAGES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    doctor = sub.add_parser("doctor", help="check config, fonts, devices, content, network, disk")
    doctor.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
    doctor.add_argument("--metrics", type=output_file_with_parents, default=None,
                        help="also write the results as Prometheus text (node_exporter textfile)")
    doctor.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    error = None
    try:
        config = config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        config, error = config_mod.Config(), config_error_line(exc)     # one line: a check's line
    doctor = Doctor(config, config_error=error)
    results = doctor.checks()
    for result in results:
        print(result)
    metrics_file = args.metrics or (Path(config.health.metrics_file).with_name("pan-kiosk-doctor.prom")
                                    if config.health.metrics_file else None)
    if metrics_file is not None:
        name = "pan_kiosk_doctor_check_status"
        samples = tuple(Sample(name, int(r.status), (("terminal", config.terminal.id), ("check", r.name)))
                        for r in results)
        text = render([Family(name, "gauge", "Doctor check: 0 ok, 1 warning, 2 failure.", samples)])
        try:
            write_atomic(metrics_file, text)
        except OSError as exc:
            raise CommandError(f"cannot write the metrics: {exc}") from None
    return Doctor.exit_code(results)
