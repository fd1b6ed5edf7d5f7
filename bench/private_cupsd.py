"""A private CUPS scheduler for benches and tests: own config, spool and domain socket in a fresh
directory under /tmp, one cups-pdf queue per name asked. Needs root (cupsd runs filters as lp).

It lives with the benchmarks, not in tests/, because bench/run.py must run from a plain install (no
tests folder, no pytest); tests/support/private_cupsd.py re-exports it. It is not in the product: the
kiosk runs as its own unprivileged user and prints through the machine's CUPS.

Nothing of the machine's CUPS is touched; `stop()` kills the daemon and removes the directory.
cups-pdf writes into the submitting user's `Out` directory (/etc/cups/cups-pdf.conf, by default
~/PDF), named after the job with a "job_<id>" suffix: `find_output` looks there.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def available() -> str | None:
    """None if a private cupsd with cups-pdf can run here, else why not."""
    if os.geteuid() != 0:
        return "a private cupsd needs root"
    for tool in ("cupsd", "lpadmin", "lpstat", "cupsdisable", "cupsreject"):
        if shutil.which(tool) is None:
            return f"{tool} not installed"
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        return "printer-driver-cups-pdf not installed"
    return None


class PrivateCups:
    def __init__(self, queues: tuple[str, ...] = ("PANPDF",)) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pan-cups-"))
        self.socket = self.root / "cups.sock"
        self.spool = self.root / "spool"
        self.queues = queues
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LANG": "C"}

    def _write_config(self) -> None:
        os.chmod(self.root, 0o755)
        for name in ("spool", "cache", "state", "log", "ppd"):
            (self.root / name).mkdir()
        tmp = self.root / "tmp"
        tmp.mkdir()
        shutil.chown(tmp, "root", "lp")
        os.chmod(tmp, 0o1770)
        (self.root / "cupsd.conf").write_text(f"""\
Listen {self.socket}
LogLevel warn
PreserveJobFiles No
PreserveJobHistory 60
PageLogFormat ""
MaxJobs 200
Browsing No
WebInterface No
DefaultAuthType None
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
<Location />
  Order allow,deny
  Allow all
</Location>
""")
        (self.root / "cups-files.conf").write_text(f"""\
ServerRoot {self.root}
RequestRoot {self.spool}
CacheDir {self.root}/cache
StateDir {self.root}/state
TempDir {tmp}
ErrorLog {self.root}/log/error_log
AccessLog {self.root}/log/access_log
PageLog {self.root}/log/page_log
FileDevice No
User lp
Group lp
SystemGroup root
""")

    def start(self, timeout_s: float = 15.0) -> PrivateCups:
        self._write_config()
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(self.root / "cupsd.conf"), "-s", str(self.root / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while not self._running():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("private cupsd did not start")
            time.sleep(0.05)          # a daemon's readiness has no event to wait on: poll lpstat -r
        for queue in self.queues:
            self.lp("lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-m", PPD)
        return self

    def _running(self) -> bool:
        if not self.socket.exists():
            return False
        out = subprocess.run(["lpstat", "-r"], env=self.env, capture_output=True, text=True, check=False)
        return "is running" in out.stdout

    def lp(self, *command: str) -> str:
        out = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True, timeout=30)
        return out.stdout

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    @staticmethod
    def output_dir(user: str = "root") -> Path:
        home = pwd.getpwnam(user).pw_dir
        out = "${HOME}/PDF"
        if CUPS_PDF_CONF.exists():
            for line in CUPS_PDF_CONF.read_text().splitlines():
                match = re.match(r"^\s*Out\s+(\S+)", line)
                if match:
                    out = match.group(1)
        return Path(out.replace("${HOME}", home).replace("$HOME", home))

    def find_output(self, job_id: int, since: float, user: str = "root", timeout_s: float = 10.0) -> Path:
        """The PDF cups-pdf wrote for a job submitted after `since` (time.time()); job ids restart
        with each private cupsd, so older files with the same suffix are ignored."""
        deadline = time.monotonic() + timeout_s
        directory = self.output_dir(user)
        while time.monotonic() < deadline:
            hits = sorted((p for p in directory.glob(f"*job_{job_id}.pdf") if p.stat().st_mtime >= since - 1),
                          key=lambda p: p.stat().st_mtime)
            if hits:
                return hits[-1]
            time.sleep(0.05)
        raise FileNotFoundError(f"no cups-pdf output for job {job_id} in {directory}")
