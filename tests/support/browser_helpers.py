"""Helpers of the locked-browser tests: a helper site, synchronous JS, real clicks, disk search."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PLANT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>plant</title></head><body>
<h1>Plant</h1><script>
const v = new URLSearchParams(location.search).get('v');
document.cookie = 'visitor=' + v + '; max-age=86400; path=/';
localStorage.setItem('visitor', v);
sessionStorage.setItem('visitor', v);
const open = indexedDB.open('kioskdb', 1);
open.onupgradeneeded = () => open.result.createObjectStore('s');
open.onsuccess = () => {
  const tx = open.result.transaction('s', 'readwrite');
  tx.objectStore('s').put(v, 'visitor');
  tx.oncomplete = () => fetch('/cache/' + v).then(r => r.text())
      .then(() => { document.body.dataset.planted = 'yes'; });
};
</script></body></html>"""

CHECK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>check</title></head>
<body><h1>Check</h1></body></html>"""

READ_JS = """(async () => {
  const idb = await new Promise(done => {
    const req = indexedDB.open('kioskdb', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => {
      const get = req.result.transaction('s').objectStore('s').get('visitor');
      get.onsuccess = () => done(get.result || '');
      get.onerror = () => done('');
    };
    req.onerror = () => done('');
  });
  document.body.dataset.read = JSON.stringify({cookie: document.cookie,
      local: localStorage.getItem('visitor') || '', session: sessionStorage.getItem('visitor') || '',
      idb: idb});
})(); 1"""


# A single-page app as the ANEF portal is one: hash routes swap the main heading without a load (tests
# also pushState and swap the heading themselves, as a wizard's next step does).
SPA_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>SPA</title></head><body>
<h1 id="h">Accueil</h1>
<script>
const titles = {'#/mon-compte': 'Mon espace personnel',
                '#/sejour/renouvellement': 'Votre situation actuelle'};
addEventListener('hashchange',
                 () => { document.getElementById('h').textContent = titles[location.hash] || '?'; });
</script></body></html>"""


class _LoopbackServer:
    """An HTTP(S) server on 127.0.0.1, on a free port, serving in a daemon thread."""

    _server: ThreadingHTTPServer | None = None

    def _serve(self, server: ThreadingHTTPServer) -> None:
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def host_entry(self) -> str:
        assert self._server is not None
        return f"127.0.0.1:{self._server.server_address[1]}"


class AuxSite(_LoopbackServer):
    """Test-only pages on 127.0.0.1: /plant?v= (cookie, storages, IndexedDB, a cached fetch),
    /check, /cache/<v> (cacheable, hits counted), /attachment?name= (a Content-Disposition file)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()

    def start(self) -> AuxSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path == "/plant":
                    self._send(PLANT_PAGE.encode(), "text/html; charset=utf-8")
                elif parts.path.startswith("/cache/"):
                    site.hits[parts.path] += 1
                    self._send(f"cached {parts.path}".encode(), "text/plain",
                               {"Cache-Control": "public, max-age=86400"})
                elif parts.path == "/spa":
                    self._send(SPA_PAGE.encode(), "text/html; charset=utf-8")
                elif parts.path == "/attachment":
                    name = query.get("name", ["file.pdf"])[0]
                    self._send(b"%PDF-1.4\n% test attachment\n", "application/octet-stream",
                               {"Content-Disposition": f'attachment; filename="{name}"'})
                else:
                    self._send(CHECK_PAGE.encode(), "text/html; charset=utf-8")

            def _send(self, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        return self

    @property
    def url(self) -> str:
        return f"http://{self.host_entry}/"


def js(qtbot: Any, browser: Any, script: str, timeout: int = 5000) -> Any:
    """Evaluate `script` in the kiosk's JS world and return its result (JSON-decoded if asked)."""
    box: list[Any] = []
    browser.run_js(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


def js_json(qtbot: Any, browser: Any, expression: str) -> Any:
    return json.loads(js(qtbot, browser, f"JSON.stringify({expression})"))


def load(qtbot: Any, browser: Any, url: str, timeout: int = 15000) -> str:
    """Load `url` and return the heading of the page that finished loading."""
    with qtbot.waitSignal(browser.page_loaded, timeout=timeout) as blocker:
        assert browser.load(url)
    return str(blocker.args[1])


def wait_dataset(qtbot: Any, browser: Any, key: str, timeout: int = 5000) -> str:
    """Wait until document.body.dataset[key] is set by the page; return it."""
    expr = f"document.body && document.body.dataset['{key}'] || ''"
    qtbot.waitUntil(lambda: bool(js(qtbot, browser, expr)), timeout=timeout)
    return str(js(qtbot, browser, expr))


def render_widget(browser: Any) -> Any:
    """The widget that receives Chromium's input (the view's focus proxy)."""
    proxy = browser.view.focusProxy()
    assert proxy is not None
    return proxy


def element_center(qtbot: Any, browser: Any, selector: str) -> tuple[int, int]:
    rect = js_json(qtbot, browser, f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                                   "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                                   "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    return round(rect[0]), round(rect[1])


def click(qtbot: Any, browser: Any, selector: str) -> None:
    """A real mouse click on an element (user activation, as a visitor's touch)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    x, y = element_center(qtbot, browser, selector)
    QTest.mouseClick(render_widget(browser), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, y))


def disk_roots(tmp_path: Path) -> list[Path]:
    """Where a browser could leave a visitor's data: the test's folder, the user's data and cache, and
    every temporary directory."""
    home = Path.home()
    roots = [tmp_path, home / ".local" / "share", home / ".cache", Path(tempfile.gettempdir()),
             Path("/tmp"), Path("/dev/shm"), Path("/var/tmp")]
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    return [*roots, Path(xdg)] if xdg else roots


def grep_disk(value: str, roots: list[Path], since: Path | None = None) -> list[str]:
    """Files under `roots` that contain `value` (binary files included); with `since` (a marker file),
    only files whose content or inode changed after it (nothing older can hold a value planted later)."""
    existing = sorted({str(r.resolve()) for r in roots if r.exists()})
    existing = [r for r in existing if not any(r.startswith(o + "/") for o in existing if o != r)]
    if not existing:
        return []
    newer = ["-cnewer", str(since)] if since is not None else []
    found = subprocess.run(["find", *existing, "-xdev", "-type", "f", *newer, "-print0"],
                           capture_output=True, check=False).stdout
    files = [f for f in found.decode().split("\0") if f]
    hits: list[str] = []
    for start in range(0, len(files), 500):
        out = subprocess.run(["grep", "-lsaF", "--devices=skip", "--", value, *files[start:start + 500]],
                             capture_output=True, text=True, check=False)
        hits += [line for line in out.stdout.splitlines() if line]
    return hits


def heading_page(heading: str) -> type[BaseHTTPRequestHandler]:
    """A request handler that answers every GET with one page: an <h1> of `heading`."""
    body = f"<h1>{heading}</h1>".encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class HeadingSite(_LoopbackServer):
    """Plain HTTP on 127.0.0.1:`port` (0: a free one), one page with an <h1>."""

    def __init__(self, heading: str, port: int = 0) -> None:
        self.heading, self.port = heading, port

    def start(self) -> HeadingSite:
        self._serve(ThreadingHTTPServer(("127.0.0.1", self.port), heading_page(self.heading)))
        return self


class SelfSignedSite(_LoopbackServer):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (a certificate error to refuse)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def start(self) -> SelfSignedSite:
        import ssl

        cert, key = self.directory / "cert.pem", self.directory / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       capture_output=True, check=True)

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = ThreadingHTTPServer(("127.0.0.1", 0), heading_page("Self-signed"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._serve(server)
        return self


class RecordingSite(_LoopbackServer):
    """Plain HTTP on a loopback address (`host`, a free port) that records everything it receives:
    each connection (`connections`), each request line with its query (`requests`) and each request
    body (`bodies`). It answers `routes[path]` (content type, body), 302 to `to` for /redirect?to=…,
    and a small permissive page (CORS allowed) for anything else, so that a request that got through
    would succeed."""

    def __init__(self, host: str = "127.0.0.1", routes: dict[str, tuple[str, bytes]] | None = None) -> None:
        self.host = host
        self.routes = dict(routes or {})
        self.connections = 0
        self.requests: list[str] = []
        self.bodies: list[bytes] = []
        self._lock = threading.Lock()

    def start(self) -> RecordingSite:
        site = self

        class Server(ThreadingHTTPServer):
            def process_request(self, request: Any, client_address: Any) -> None:
                with site._lock:
                    site.connections += 1
                super().process_request(request, client_address)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def parse_request(self) -> bool:
                with site._lock:
                    site.requests.append(self.raw_requestline.decode("latin-1").strip())
                return super().parse_request()

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", parse_qs(parts.query)["to"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                ctype, body = site.routes.get(parts.path, ("text/html; charset=utf-8", CHECK_PAGE.encode()))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                with site._lock:
                    site.bodies.append(self.rfile.read(length))
                self.do_GET()

            do_HEAD = do_OPTIONS = do_PUT = do_GET  # noqa: N815

        self._serve(Server((self.host, 0), Handler))
        return self

    @property
    def host_entry(self) -> str:
        assert self._server is not None
        return f"{self.host}:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.host_entry}/"

    def received(self, value: str) -> list[str]:
        """The request lines and bodies that carry `value`."""
        with self._lock:
            return [r for r in self.requests if value in r] + \
                [b.decode("latin-1") for b in self.bodies if value.encode() in b]

    def paths(self) -> set[str]:
        """The paths requested so far (without query)."""
        with self._lock:
            return {urlsplit(r.split(" ")[1]).path for r in self.requests if r.count(" ") >= 1}


# A 1×1 PNG (what an allowed site's own image can be).
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082")


def own_font() -> bytes:
    """A TrueType font file (reportlab's Vera, in the venv): what an allowed site's own @font-face loads."""
    import reportlab

    return (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf").read_bytes()


# --- the official host names on loopback (tests only) ----------------------------------------------------

class LoopbackOfficialHosts:
    """Test-only: the official sites' host names resolved to a loopback port, with certificates that
    this test process's Chromium trusts while every production certificate check stays on.

    - a certificate authority made for this run (its key only in memory and a private temporary folder)
      and a server certificate for `hosts` signed by it;
    - a private NSS database (what QtWebEngine on Linux trusts besides its built-in roots) in a temporary
      HOME, holding that authority as a trusted issuer: nothing of the machine's trust changes;
    - a listening socket on 127.0.0.1 reserved now, and QTWEBENGINE_CHROMIUM_FLAGS with
      --host-resolver-rules mapping every name of `hosts` to it.

    `install()` sets HOME and QTWEBENGINE_CHROMIUM_FLAGS in this process's environment: call it before
    QtWebEngine starts (Chromium reads both once). `take_socket()` hands the reserved socket to the
    server; `server_context()` is its TLS context."""

    def __init__(self, hosts: tuple[str, ...], root: Path | None = None) -> None:
        import socket

        self.hosts = tuple(dict.fromkeys(h.lower() for h in hosts))
        self.root = root or Path(tempfile.mkdtemp(prefix="pan-kiosk-real-hosts-"))
        self.home = self.root / "home"
        self.ca_pem = self.root / "ca.pem"
        self.cert_pem, self.key_pem = self.root / "server.pem", self.root / "server-key.pem"
        self._socket: socket.socket | None = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = int(self._socket.getsockname()[1])

    @property
    def resolver_rules(self) -> str:
        return ", ".join(f"MAP {host} 127.0.0.1:{self.port}" for host in self.hosts)

    def install(self) -> LoopbackOfficialHosts:
        self._certificates()
        nssdb = self.home / ".pki" / "nssdb"
        nssdb.mkdir(parents=True, mode=0o700)
        for args in (["-N", "--empty-password"],
                     ["-A", "-t", "C,,", "-n", "pan-kiosk-test-ca", "-i", str(self.ca_pem)]):
            subprocess.run(["certutil", "-d", f"sql:{nssdb}", *args], capture_output=True, check=True)
        os.environ["HOME"] = str(self.home)
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = \
            f'{flags} --host-resolver-rules="{self.resolver_rules}"'.strip()
        return self

    def _certificates(self) -> None:
        import datetime as dt

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        now = dt.datetime.now(dt.UTC)
        ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PAN Kiosk test CA (tests only)")])

        def base(subject: x509.Name, public: Any) -> x509.CertificateBuilder:
            return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(public)
                    .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                    .not_valid_after(now + dt.timedelta(days=7)))

        usage = dict(content_commitment=False, key_encipherment=False, data_encipherment=False,
                     key_agreement=False, encipher_only=False, decipher_only=False)
        ca = (base(ca_name, ca_key.public_key())
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                           **usage), critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
        leaf = (base(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.hosts[0])]), key.public_key())
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in self.hosts]),
                               critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                             **usage), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        pem = serialization.Encoding.PEM
        self.ca_pem.write_bytes(ca.public_bytes(pem))
        self.cert_pem.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
        self.key_pem.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        self.key_pem.chmod(0o600)

    def server_context(self) -> Any:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_pem, self.key_pem)
        return context

    def take_socket(self) -> Any:
        """The reserved listening socket (once): the server that answers for the official names."""
        sock, self._socket = self._socket, None
        if sock is None:
            raise RuntimeError("the reserved socket was already taken")
        return sock

    def cleanup(self) -> None:
        import shutil

        if self._socket is not None:
            self._socket.close()
        shutil.rmtree(self.root, ignore_errors=True)
