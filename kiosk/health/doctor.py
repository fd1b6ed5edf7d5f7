"""`pan-kiosk doctor`: is this terminal fit to receive visitors? One line per check, an exit code.

Checks: config, fonts (fc-list, for the offered languages' scripts), scanner (`scanimage -L` when the
adapter is sane), printer (`lpstat` when cups), content pack, network (content server), disk.
Exit code: 0 all OK, 1 warnings only, 2 at least one failure.

Everything outside Python comes in through the constructor (the command lines, the environment they
run with, how a URL is fetched, how free space is measured), so tests point the real tools at
empty font/SANE configurations instead of patching anything.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from kiosk.config import Config
from kiosk.content.pack import PackError, load_pack
from kiosk.i18n import LOCALE_DIR as UI_LOCALE_DIR
from kiosk.paths import DEFAULT_PACK
from kiosk.sync.setup import current_pack

Runner = Callable[[Sequence[str], Mapping[str, str]], tuple[int, str]]
HttpGet = Callable[[str, float, str | None], int]      # url, timeout, ca_bundle -> HTTP status


class Status(IntEnum):
    OK = 0
    WARN = 1
    FAIL = 2


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    message: str

    def __str__(self) -> str:
        """One line per check, whatever a tool printed into the message."""
        return f"{self.status.name:<4} {self.name:<8} {' '.join(self.message.split())}"


# Script fonts a language needs (fontconfig family names, any one of them is enough).
SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "Arabic": ("Noto Sans Arabic", "Noto Naskh Arabic", "Noto Kufi Arabic"),
    "Tamil": ("Noto Sans Tamil", "Noto Serif Tamil"),
    "Bengali": ("Noto Sans Bengali", "Noto Serif Bengali"),
    "Chinese": ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei"),
    "Latin": ("Noto Sans", "DejaVu Sans"),
}
LANGUAGE_SCRIPTS = {"ar": "Arabic", "fa": "Arabic", "ps": "Arabic", "ur": "Arabic", "ta": "Tamil",
                    "bn": "Bengali", "zh": "Chinese"}


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
    import os
    try:
        done = subprocess.run(list(argv), env={**os.environ, **env}, capture_output=True, text=True,
                              timeout=30, check=False)
    except FileNotFoundError:
        return 127, f"{argv[0]}: command not found"
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]}: no answer in 30 s"
    return done.returncode, done.stdout + done.stderr


def http_status(url: str, timeout: float, ca_bundle: str | None) -> int:
    import requests
    response = requests.get(url, timeout=timeout, verify=ca_bundle or True, stream=True)
    response.close()
    return response.status_code


@dataclass
class Doctor:
    config: Config
    config_error: str | None = None
    run: Runner = run_command
    env: Mapping[str, str] = field(default_factory=dict)
    fc_list: Sequence[str] = ("fc-list", ":", "family")
    scanimage: Sequence[str] = ("scanimage", "-L")
    lpstat: Sequence[str] = ("lpstat",)
    default_pack: Path = DEFAULT_PACK
    ui_locale: Path = UI_LOCALE_DIR
    http_get: HttpGet = http_status
    disk_usage: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free

    def checks(self) -> list[CheckResult]:
        return [self.check_config(), self.check_demo(), self.check_fonts(), self.check_translations(),
                self.check_scanner(), self.check_printer(), self.check_content(), self.check_network(),
                self.check_disk()]

    @staticmethod
    def exit_code(results: Sequence[CheckResult]) -> int:
        return int(max((r.status for r in results), default=Status.OK))

    def check_config(self) -> CheckResult:
        if self.config_error:
            return CheckResult("config", Status.FAIL, self.config_error.splitlines()[0])
        return CheckResult("config", Status.OK, f"{self.config.source}, terminal {self.config.terminal.id}")

    def check_demo(self) -> CheckResult:
        """A terminal's configuration that simulates a device is a demo that says nothing to visitors:
        sample scans, receipts that never print, a silent voice. The built-in demo is only a warning."""
        simulated = self.config.simulated_devices
        if not simulated:
            return CheckResult("demo", Status.OK, "real devices (scanner, printer, speech as configured)")
        what = f"simulated {', '.join(simulated)}"
        if self.config.demo_defaults:
            return CheckResult("demo", Status.WARN, f"built-in demo defaults, no configuration file: {what}")
        return CheckResult("demo", Status.FAIL, f"{self.config.source}: {what} (a demo, not a terminal in "
                                                "service: set the real ones in [devices])")

    def check_fonts(self) -> CheckResult:
        code, out = self.run(self.fc_list, self.env)
        if code != 0:
            return CheckResult("fonts", Status.FAIL, f"fc-list failed: {' '.join(out.split())[:200]}")
        families = {name.strip().lower() for line in out.splitlines() for name in line.split(",")}
        needed = {"Latin"} | {LANGUAGE_SCRIPTS[c] for c in self.config.languages.offered
                              if c in LANGUAGE_SCRIPTS}
        missing = sorted(s for s in needed if not any(f.lower() in families for f in SCRIPT_FONTS[s]))
        if missing:
            names = "; ".join(f"{s} ({' or '.join(SCRIPT_FONTS[s])})" for s in missing)
            return CheckResult("fonts", Status.FAIL, f"missing fonts for offered languages: {names}")
        return CheckResult("fonts", Status.OK, "scripts covered: " + ", ".join(sorted(needed)))

    def check_translations(self) -> CheckResult:
        """Each offered language has its compiled catalogs: the interface's (its texts are written in
        English) and the pack's (written in French). Without them gettext falls back in silence and
        the visitor reads English: a package built without babel shipped no .mo at all."""
        missing = [f"{code} (interface)" for code in self.config.languages.offered
                   if code != "en" and not (self.ui_locale / code / "LC_MESSAGES" / "kiosk.mo").is_file()]
        pack = self._pack_dir()
        if pack is not None:
            missing += [f"{code} (guides)" for code in self.config.languages.offered
                        if code != "fr"
                        and not (pack / "locale" / code / "LC_MESSAGES" / "content.mo").is_file()]
        if missing:
            return CheckResult("translations", Status.FAIL,
                               f"no compiled catalog for {', '.join(missing)}: visitors would read English "
                               "(pan-kiosk i18n compile, or a package built with babel)")
        return CheckResult("translations", Status.OK,
                           f"{len(self.config.languages.offered)} languages compiled")

    def check_scanner(self) -> CheckResult:
        kind = self.config.devices.scanner
        if kind != "sane":
            return CheckResult("scanner", Status.OK, f"{kind} (not checked)")
        code, out = self.run(self.scanimage, self.env)
        devices = [line for line in out.splitlines() if line.startswith("device ")]
        if code != 0 or not devices:
            return CheckResult("scanner", Status.FAIL, f"no SANE scanner found ({out.strip()[:120]})")
        return CheckResult("scanner", Status.OK, devices[0][len("device "):][:120])

    def check_printer(self) -> CheckResult:
        if self.config.devices.printer != "cups":
            return CheckResult("printer", Status.OK, f"{self.config.devices.printer} (not checked)")
        queue = self.config.devices.printer_queue
        code, out = self.run([*self.lpstat, "-p", queue] if queue else [*self.lpstat, "-d", "-p"], self.env)
        if code != 0 or "printer " not in out:
            return CheckResult("printer", Status.FAIL, f"no CUPS printer {queue or '(default)'}: "
                                                        f"{' '.join(out.split())[:160]}")
        if "disabled" in out:
            return CheckResult("printer", Status.WARN, out.strip().splitlines()[0][:160])
        if not queue and "no system default destination" in out:
            return CheckResult("printer", Status.WARN, "printers exist but none is the default")
        return CheckResult("printer", Status.OK, next(line for line in out.splitlines()
                                                      if line.startswith("printer "))[:160])

    def _pack_dir(self) -> Path | None:
        if not self.config.updates.url and not self.config.content.pack:
            return self.default_pack
        return current_pack(self.config)

    def check_content(self) -> CheckResult:
        where = self._pack_dir()
        if where is None:
            return CheckResult("content", Status.FAIL, f"no current pack in {self.config.updates.dir} "
                                                        "(run: pan-kiosk content recover)")
        try:
            pack = load_pack(where)
        except PackError as exc:
            first = exc.problems[0] if exc.problems else exc
            return CheckResult("content", Status.FAIL, f"{where}: {first}")
        return CheckResult("content", Status.OK, f"{pack.id} {pack.version} ({len(pack.procedures)} guides)")

    def check_network(self) -> CheckResult:
        url = self.config.updates.url
        if not url:
            return CheckResult("network", Status.OK, "content updates off (no [updates] url)")
        try:
            status = self.http_get(url, float(self.config.updates.timeout_s),
                                   self.config.updates.ca_bundle or None)
        except Exception as exc:  # noqa: BLE001 - any failure to reach the server is one outcome
            return CheckResult("network", Status.WARN, f"{url} unreachable: {type(exc).__name__}")
        if status >= 400:
            return CheckResult("network", Status.WARN, f"{url} answered HTTP {status}")
        return CheckResult("network", Status.OK, f"{url} reachable (HTTP {status})")

    def check_disk(self) -> CheckResult:
        places = {"sessions": self.config.session_root(), "state": self.config.stats_dir()}
        if self.config.updates.url:
            places["content"] = Path(self.config.updates.dir)
        limit = self.config.health.min_free_mb
        worst, parts = Status.OK, []
        for label, path in places.items():
            existing = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
            free_mb = self.disk_usage(existing) // (1024 * 1024)
            status = Status.FAIL if free_mb < limit / 10 else Status.WARN if free_mb < limit else Status.OK
            worst = max(worst, status)
            parts.append(f"{label} {free_mb} MB free")
        return CheckResult("disk", worst, ", ".join(parts) + ("" if worst == Status.OK
                                                                  else f" (want {limit} MB)"))
