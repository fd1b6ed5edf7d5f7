"""The practice site over plain HTTP (no browser): pages, checks, uploads, the PDF, forgetting."""

from __future__ import annotations

import html as htmllib
import http.client
import re
import subprocess
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from kiosk.browser.replica import BANNER, PracticeSite

pytestmark = pytest.mark.real_stack

ACCOUNT = {"nom": "Diallo", "prenoms": "Awa", "courriel": "awa@example.org", "courriel2": "awa@example.org",
           "telephone": "0712345678", "mot_de_passe": "douze-caracteres", "mot_de_passe2": "douze-caracteres",
           "cgu": "oui"}


class Client:
    def __init__(self, site: PracticeSite) -> None:
        self.site = site
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes = b"", ctype: str = "") -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection(self.site.host, self.site.port, timeout=10)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if ctype:
            headers["Content-Type"] = ctype
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
        status, headers, data = self.request("POST", path, urlencode(form).encode(),
                                             "application/x-www-form-urlencoded")
        return status, headers, htmllib.unescape(data.decode())

    def upload(self, path: str, fields: dict[str, str],
               files: dict[str, tuple[str, bytes]]) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts += [(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                   "Content-Type: application/pdf\r\n\r\n").encode() + data + b"\r\n"
                  for k, (name, data) in files.items()]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, _, data = self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
        return status, htmllib.unescape(data.decode())


@pytest.fixture
def site() -> Iterator[PracticeSite]:
    with PracticeSite(max_upload_mb=0.05) as practice:
        yield practice


def test_a_whole_procedure_over_http(site: PracticeSite, tmp_path) -> None:
    client = Client(site)
    for path in ("/", "/connexion", "/compte/creer"):
        status, html = client.get(path)
        assert status == 200 and BANNER in html and 'lang="fr"' in html
    status, headers, _ = client.post("/compte/creer", ACCOUNT)
    assert status == 303 and headers["Location"] == "/espace" and "HttpOnly" in headers["Set-Cookie"]
    assert "Bienvenue Awa" in client.get("/espace")[1]
    identity = {"date_naissance": "01/02/1995", "pays_naissance": "Sénégal", "nationalite": "sénégalaise"}
    assert client.post("/demarche/identite", identity)[1]["Location"] == "/demarche/adresse"
    assert client.post("/demarche/adresse", {"voie": "1 place de la Gare", "code_postal": "69001",
                                             "commune": "Lyon"})[1]["Location"] == "/demarche/justificatifs"
    status, html = client.upload("/demarche/justificatifs", {"code_ephoto": "X" * 22},
                                 {"passeport": ("passeport.pdf", b"%PDF" + b"0" * 100),
                                  "justificatif_domicile": ("facture.exe", b"MZ")})
    assert "Format de fichier non accepté (PDF, JPG ou PNG) : Justificatif de domicile" in html
    status, html = client.upload("/demarche/justificatifs", {"code_ephoto": "X" * 22},
                                 {"passeport": ("passeport.pdf", b"%PDF" + b"0" * 100_000),
                                  "justificatif_domicile": ("facture.pdf", b"%PDF")})
    assert "taille maximale" in html and "Passeport" in html
    status, html = client.upload("/demarche/justificatifs", {"code_ephoto": "X" * 22},
                                 {"passeport": ("passeport.pdf", b"%PDF" + b"0" * 2048),
                                  "justificatif_domicile": ("facture.pdf", b"%PDF")})
    assert status == 303
    status, html = client.get("/demarche/recapitulatif")
    assert "passeport.pdf (2 Ko)" in html and "Lyon" in html
    assert "Vous devez cocher" in client.post("/demarche/recapitulatif", {})[2]
    assert client.post("/demarche/recapitulatif", {"certification": "oui"})[1]["Location"] == \
        "/demarche/confirmation"
    reference = re.search(r'id="numero-demande">([^<]+)<', client.get("/demarche/confirmation")[1]).group(1)
    status, headers, pdf = client.request("GET", "/demarche/attestation.pdf")
    assert headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert headers["Content-Disposition"] == f'attachment; filename="attestation-depot-{reference}.pdf"'
    (tmp_path / "a.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert BANNER in text and "Awa" in text and "Lyon" in text and "envoyé à personne" in text


def test_form_checks_are_told_in_french(site: PracticeSite) -> None:
    client = Client(site)
    html = client.post("/compte/creer", {**ACCOUNT, "telephone": "12", "mot_de_passe": "court",
                                         "mot_de_passe2": "autre", "nom": " "})[2]
    for message in ("Ce champ est obligatoire : Nom de naissance",
                    "Le numéro de téléphone portable n'est pas valide.",
                    "Le mot de passe doit contenir au moins 12 caractères.",
                    "Les deux mots de passe ne sont pas identiques."):
        assert message in html
    assert 'value="awa@example.org"' in html and "court" not in html   # passwords are never sent back
    raw = client.request("POST", "/compte/creer", urlencode({**ACCOUNT, "nom": "<b>", "cgu": ""}).encode(),
                         "application/x-www-form-urlencoded")[2]
    assert b'value="&lt;b&gt;"' in raw and b"<b>" not in raw


def test_private_pages_need_an_account_and_forget_drops_everything(site: PracticeSite) -> None:
    anonymous = Client(site)
    assert "Votre session a expiré" in anonymous.get("/demarche/identite")[1]
    assert anonymous.get("/nulle-part")[0] == 404
    client = Client(site)
    client.post("/compte/creer", ACCOUNT)
    assert site.dossier_count() == 1
    site.forget()
    assert site.dossier_count() == 0
    assert "Votre session a expiré" in client.get("/espace")[1]


def test_the_site_stops_and_frees_its_port() -> None:
    site = PracticeSite().start()
    port = site.port
    assert site.url == f"http://127.0.0.1:{port}/" and site.host_entry == f"127.0.0.1:{port}"
    site.stop()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
