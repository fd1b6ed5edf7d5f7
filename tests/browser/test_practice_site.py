"""The practice site over plain HTTP (no browser): the replica under practice names, as practice mode
serves it (kiosk.browser.replica.practice). Its server-rendered pages in French with the banner, checks
told in French, typed values escaped, a PDF marked as practice, forgetting, and freeing its port. (The
portal's sign-up checks and upload limits under the official names: test_replica_http.py.)"""

from __future__ import annotations

import html as htmllib
import http.client
import re
import subprocess
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from kiosk.browser.replica import BANNER
from kiosk.browser.replica.hosts import STAMPS
from kiosk.browser.replica.practice import LocalReplica, practice_name

pytestmark = pytest.mark.real_stack


class Client:
    """One visitor on the stamp shop's practice name (its cookie kept)."""

    def __init__(self, site: LocalReplica, host: str = STAMPS) -> None:
        self.site, self.host = site, f"{practice_name(host)}:{site.port}"
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=10)
        headers = {"Host": self.host}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if cookie := resp.getheader("Set-Cookie"):
            self.cookie = cookie.split(";")[0]
        return resp.status, dict(resp.getheaders()), data

    def get(self, path: str) -> tuple[int, str]:
        status, _, data = self.request("GET", path)
        return status, htmllib.unescape(data.decode())

    def post(self, path: str, form: dict[str, str]) -> tuple[int, dict, str]:
        status, headers, data = self.request("POST", path, form)
        return status, headers, data.decode()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalReplica]:
    practice = LocalReplica()
    practice.start()
    try:
        yield practice
    finally:
        practice.stop()


def test_a_purchase_over_http_under_the_practice_name(site: LocalReplica, tmp_path) -> None:
    client = Client(site)
    status, page = client.get("/")
    assert status == 200 and BANNER in page and 'lang="fr"' in page and "Acheter un timbre" in page
    assert 'href="/achat/choix"' in page
    status, headers, _ = client.post("/achat/choix", {"timbre": "pas un timbre"})
    assert status == 200 and client.cookie
    assert "Choisissez un timbre." in client.post("/achat/choix", {})[2]            # told in French
    stamp = re.search(r'name="timbre" id="timbre-0" value="([^"]+)"', client.get("/achat/choix")[1])[1]
    status, headers, _ = client.post("/achat/choix", {"timbre": stamp})
    assert status == 302 and headers["Location"] == "/achat/choix"
    assert client.post("/achat/panier", {"reception": "courriel", "contact": "a@b.fr"})[1]["Location"] == \
        "/achat/paiement"
    assert client.post("/achat/paiement", {"carte": "visa"})[1]["Location"] == "/achat/documents"
    number = re.search(r'id="numero-timbre">([^<]+)<', client.get("/achat/documents")[1])[1].replace(" ", "")
    status, headers, pdf = client.request("GET", "/achat/timbre.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert headers["Content-Disposition"] == f'attachment; filename="timbre-{number}.pdf"'
    (tmp_path / "t.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert BANNER in text and "Timbre fiscal électronique" in text


def test_what_is_typed_comes_back_escaped(site: LocalReplica) -> None:
    client = Client(site)
    client.get("/")
    stamp = re.search(r'id="timbre-0" value="([^"]+)"', client.get("/achat/choix")[1])[1]
    client.post("/achat/choix", {"timbre": stamp})
    raw = client.request("POST", "/achat/panier", {"reception": "courriel", "contact": "<b>x"})[2].decode()
    assert "Choisissez un mode de réception" in htmllib.unescape(raw)
    assert 'value="&lt;b&gt;x"' in raw and "<b>x" not in raw


def test_forget_drops_everything_the_visitor_left(site: LocalReplica) -> None:
    client = Client(site)
    client.get("/")
    stamp = re.search(r'id="timbre-0" value="([^"]+)"', client.get("/achat/choix")[1])[1]
    client.post("/achat/choix", {"timbre": stamp})
    assert stamp in client.get("/achat/panier")[1]
    site.forget()
    assert client.request("GET", "/achat/panier")[1]["Location"] == "/achat/choix"   # an empty basket
    assert stamp not in client.get("/achat/choix")[1].split("Pour quelle démarche")[0]


def test_nothing_but_the_replica_is_served() -> None:
    site = LocalReplica()
    site.start()
    port = site.port
    for host in ("127.0.0.1", "localhost", "example.org"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        assert response.status == 404 and "Site non reproduit" in response.read().decode(), host
    site.stop()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
