"""Content update figures on the shipped pack: publish, install (verify + unpack + validate + switch),
and the HTTPS poll that finds nothing new (304), beside the bare load_pack() of the same pack as the
baseline (what the kiosk pays anyway to read a pack). Medians of 5 runs, milliseconds."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import shutil
import ssl
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem), as the fleet tests make one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _server(root: Path, cert: Path, key: Path) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = (root / self.path.lstrip("/")).read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"


def run() -> dict[str, float]:
    from kiosk.content.pack import load_pack
    from kiosk.paths import DEFAULT_PACK
    from kiosk.sync.fetch import HttpFetcher
    from kiosk.sync.minisign import SecretKey
    from kiosk.sync.publish import publish
    from kiosk.sync.store import ContentStore
    from kiosk.sync.updater import ContentUpdater, Outcome

    key = SecretKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        pack = base / "pack"
        shutil.copytree(DEFAULT_PACK, pack)
        toml = pack / "pack.toml"
        out = base / "www"
        publish_ms = _median_ms(lambda: publish(pack, out, key))
        archive = next(out.glob("*.tar.gz"))
        baseline_ms = _median_ms(lambda: load_pack(pack))

        counter = iter(range(1, 100))

        def install_once() -> None:
            n = next(counter)
            toml.write_text(toml.read_text().replace('version = "', f'version = "9{n:03d}.', 1))
            publish(pack, out, key)
            toml.write_text((DEFAULT_PACK / "pack.toml").read_text())
            newest = max(out.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime_ns)
            sig = newest.with_name(newest.name + ".minisig").read_text()
            start = time.perf_counter()
            store.install(newest, sig)
            timings.append((time.perf_counter() - start) * 1000)

        store = ContentStore(base / "store", key.public(), seed_pack=DEFAULT_PACK)
        store.recover()
        timings: list[float] = []
        for _ in range(5):
            install_once()
        install_ms = round(statistics.median(timings), 1)

        cert, pem_key = self_signed_certificate(base)
        publish(pack, out, key)
        server, url = _server(out, cert, pem_key)
        try:
            fetcher = HttpFetcher(timeout_s=5, ca_bundle=str(cert))
            updater = ContentUpdater(store, fetcher, f"{url}/index.json")
            updater.check()
            assert updater.check().outcome is Outcome.NOT_MODIFIED
            poll_ms = _median_ms(updater.check)
        finally:
            server.shutdown()
            server.server_close()
        return {
            "content_publish_ms": publish_ms,
            "content_install_ms": install_ms,
            "content_load_pack_baseline_ms": baseline_ms,
            "content_poll_304_ms": poll_ms,
            "content_archive_kb": round(archive.stat().st_size / 1024, 1),
        }


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
