"""Fleet tests: signing keys, packs of a chosen version, and a real HTTPS server on 127.0.0.1.

The server is ThreadingHTTPServer wrapped in TLS with a self-signed certificate for 127.0.0.1 made
here (the kiosk trusts it through `ca_bundle`, as a terminal would trust a private CA). It serves
`server.root`, answers ETag / If-None-Match with 304, records every request, and can be told to fail
the next requests of a path with a status code.
"""

from __future__ import annotations

import shutil
import ssl
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from fleet_helpers import MakePack, Served, certificate, recording_handler

from kiosk.sync.minisign import SecretKey

FIXTURE_PACK = Path(__file__).parent.parent / "fixtures" / "pack"


@pytest.fixture(scope="session")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("https")
    cert, key = certificate(base)
    served = Served(root=base / "www", url="", ca_file=cert)
    served.root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), recording_handler(served))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    served.url = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def served(https_server: Served, tmp_path: Path) -> Served:
    """The shared server, pointed at a fresh directory for this test."""
    https_server.root = tmp_path / "www"
    https_server.root.mkdir()
    https_server.requests.clear()
    https_server.failures.clear()
    return https_server


@pytest.fixture(scope="session")
def signing_key() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture(scope="session")
def other_key() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture
def make_pack(tmp_path: Path) -> MakePack:
    """A copy of the fixture pack with the given version (and optionally a broken procedure)."""
    def make(version: str, pack_id: str = "test", broken: bool = False) -> Path:
        root = tmp_path / "src" / f"{pack_id}-{version}"
        shutil.copytree(FIXTURE_PACK, root, ignore=shutil.ignore_patterns("*.mo"))
        text = (root / "pack.toml").read_text(encoding="utf-8")
        text = text.replace('version = "2026.01.01"', f'version = "{version}"')
        text = text.replace('id = "test"', f'id = "{pack_id}"')
        (root / "pack.toml").write_text(text, encoding="utf-8")
        if broken:
            (root / "procedures" / "alpha.toml").write_text('id = "alpha"\n', encoding="utf-8")
        return root
    return make
