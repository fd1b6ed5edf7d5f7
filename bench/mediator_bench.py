"""Mediator figures (issue 7): unlock cost, journal write and verify speed, help request round trip.

    mediator_unlock_ms             median time to check one code against one account at the default
                                   cost (scrypt N=2^15, r=8, p=1); unlock costs this × number of accounts
    mediator_unlock_owasp_ms       baseline in the same run: OWASP's reference setting N=2^17, r=8, p=1
    mediator_unlock_wrong_3acc_ms  a wrong code on a terminal with 3 accounts (every account checked)
    journal_append_ms              median per entry, fsync included (the UI thread writes entries)
    journal_append_nofsync_ms      baseline: the same line appended without fsync nor head update
    journal_verify_10k_ms          verify 10,000 entries in 1 MB files
    help_delivery_ms               median submit → delivered through a loopback HTTP webhook (worker thread)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median_ms(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def _unlock() -> dict[str, float]:
    from kiosk.mediator.auth import Account, CodeHash, find_account, hash_code

    default = CodeHash.parse(hash_code("482913"))
    owasp = CodeHash.parse(hash_code("482913", ln=17, r=8, p=1))
    accounts = [Account.parse(f"med-0{i}:mediator:{hash_code(str(100000 + i))}") for i in range(3)]
    return {
        "mediator_unlock_ms": _median_ms(lambda: default.matches("482913"), 3),
        "mediator_unlock_owasp_ms": _median_ms(lambda: owasp.matches("482913"), 3),
        "mediator_unlock_wrong_3acc_ms": _median_ms(lambda: find_account(accounts, "000000"), 3),
    }


def _journal(tmp: Path) -> dict[str, float]:
    from kiosk.mediator.journal import Journal
    from kiosk.mediator.verify import verify

    journal = Journal(tmp / "j1", "bench-01")
    append = _median_ms(lambda: journal.append("med-01", "jump", {"step": "upload"}), 200)
    raw = tmp / "raw.jsonl"
    line = (raw.parent / "j1" / "journal-000001.jsonl").read_bytes().splitlines(keepends=True)[-1]

    def plain() -> None:
        fd = os.open(raw, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(fd, line)
        os.close(fd)

    nofsync = _median_ms(plain, 200)
    big = Journal(tmp / "j2", "bench-01")
    big._write_head = lambda entry: None  # type: ignore[method-assign]   # fill fast; head written at the end
    os_fsync, os.fsync = os.fsync, lambda fd: None
    try:
        for i in range(9999):
            big.append("med-01", "jump", {"step": f"s{i % 40}"})
    finally:
        os.fsync = os_fsync
    del big._write_head
    big.append("med-01", "handed_back")
    t0 = time.perf_counter()
    report = verify(tmp / "j2")
    verify_ms = (time.perf_counter() - t0) * 1000
    assert report.ok and report.entries == 10000, report.problems[:3]
    return {"journal_append_ms": append, "journal_append_nofsync_ms": nofsync,
            "journal_verify_10k_ms": round(verify_ms, 1)}


def _help() -> dict[str, float]:
    from kiosk.mediator.help import HelpRequest, WebhookChannel
    from kiosk.mediator.help_queue import HelpQueue, HelpState, HelpWorker

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    done = threading.Event()

    def on_change(request: HelpRequest, state: HelpState) -> None:
        if state is HelpState.DELIVERED:
            done.set()

    queue = HelpQueue(WebhookChannel(f"http://127.0.0.1:{server.server_port}/", timeout_s=5),
                      on_change=on_change)
    worker = HelpWorker(queue).start()

    def one() -> None:
        done.clear()
        queue.submit(HelpRequest("bench-01", "upload", "ar"))
        assert done.wait(10)

    try:
        ms = _median_ms(one, 20)
    finally:
        worker.stop()
        server.shutdown()
        server.server_close()
    return {"help_delivery_ms": ms}


def run() -> dict[str, float]:
    figures: dict[str, float] = {}
    figures.update(_unlock())
    with tempfile.TemporaryDirectory() as tmp:
        figures.update(_journal(Path(tmp)))
    figures.update(_help())
    return figures


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
