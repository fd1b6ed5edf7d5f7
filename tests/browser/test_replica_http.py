"""The replica of the official sites over plain HTTP with a Host header (no browser): which face answers,
the old prefix, sign-up checks, the sign-on's redirect rules, single-use codes, upload limits, the
banner on every page, and forgetting."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import uuid
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from kiosk.browser.replica import BANNER, PracticeSite
from kiosk.browser.replica.hosts import IDENTITY_PROVIDERS, OFFICIAL_HOSTS, PORTAL, SSO, STAMPS

pytestmark = pytest.mark.real_stack

AUTH = f"https://{SSO}/auth/realms/anef-usagers/protocol/openid-connect/auth"
PASSWORD = "Mon-Mot-de-passe-2026"


class Browser:
    """A cookie jar per host and requests to the replica with the Host header a resolver would give."""

    def __init__(self, site: PracticeSite) -> None:
        self.site = site
        self.jar: dict[str, dict[str, str]] = {}

    def request(self, method: str, url: str, form: dict[str, str] | None = None, body: bytes = b"",
                ctype: str = "") -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        headers = {"Host": host}
        if self.jar.get(host):
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar[host].items())
        if form is not None:
            body, ctype = urlencode(form).encode(), "application/x-www-form-urlencoded"
        if ctype:
            headers["Content-Type"] = ctype
        conn = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=10)
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body or None,
                     headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.split(";")[0].partition("=")
                self.jar.setdefault(host, {})[name] = rest
        return response.status, dict(response.getheaders()), data

    def json(self, method: str, url: str, form: dict[str, str] | None = None) -> tuple[int, dict]:
        status, _, data = self.request(method, url, form)
        return status, json.loads(data)

    def upload(self, name: str, data: bytes) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="piece"\r\n\r\npasseport\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() \
            + data + f"\r\n--{boundary}--\r\n".encode()
        status, _, out = self.request("POST", f"https://{PORTAL}/api/sejour/pieces", body=body,
                                      ctype=f"multipart/form-data; boundary={boundary}")
        return status, json.loads(out)

    def sign_in(self, login: str, password: str, state: str = "s1") -> str:
        """The sign-on form; returns where it sends the browser."""
        status, _, page = self.request("GET", AUTH + "?" + urlencode({
            "client_id": "anef-usagers", "redirect_uri": f"https://{PORTAL}/usagers/#",
            "response_type": "code", "response_mode": "fragment", "scope": "openid", "state": state}))
        assert status == 200
        action = unescape(re.search(r'action="([^"]+)" id="kc-form-login"', page.decode())[1])
        status, headers, _ = self.request("POST", action, {"username": login, "password": password})
        return headers.get("Location", "") if status == 302 else ""


@pytest.fixture
def site() -> Iterator[PracticeSite]:
    with PracticeSite(max_upload_mb=0.05) as practice:
        yield practice


def test_the_face_is_chosen_by_host(site: PracticeSite) -> None:
    b = Browser(site)
    status, _, page = b.request("GET", f"http://127.0.0.1:{site.port}/")
    assert status == 404 and "Site non reproduit" in page.decode()            # no other practice site
    status, headers, _ = b.request("GET", f"https://{PORTAL}/")
    assert status == 301 and headers["Location"] == "/usagers/"
    status, headers, _ = b.request("GET", f"https://{PORTAL}/particuliers/?lang=fr")
    assert status == 301 and headers["Location"] == "/usagers/?lang=fr"          # the old prefix
    status, headers, page = b.request("GET", f"https://{PORTAL}/usagers/")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert b'<script src="/usagers/main.js">' in page
    for url in (f"https://{PORTAL}/usagers/main.js", f"https://{PORTAL}/usagers/styles.css"):
        assert b.request("GET", url)[0] == 200
    assert b.json("GET", f"https://{PORTAL}/api/usager/moi")[0] == 401
    for host in OFFICIAL_HOSTS:                            # every face says it is practice
        _, headers, page = b.request("GET", f"https://{host}/")
        if headers.get("Content-Type", "").startswith("text/html") and page:
            assert BANNER in unescape(page.decode()), host
    status, _, page = b.request("GET", "https://www.service-public.gouv.fr/")
    assert status == 404 and "Site non reproduit" in page.decode() and BANNER in unescape(page.decode())


def test_sign_up_checks_and_a_single_use_link(site: PracticeSite) -> None:
    b = Browser(site)
    api = f"https://{PORTAL}/api/inscription"
    dates = {"debut_jour": "1", "debut_mois": "2", "debut_annee": "2025", "fin_jour": "1", "fin_mois": "2",
             "fin_annee": "2027"}
    assert b.json("POST", f"{api}/identification", {"numero": "12", **dates}) == \
        (400, {"erreur": "Certaines informations que vous avez saisies sont incorrectes. Veuillez vérifier "
                         "votre saisie."})
    ended = {"numero": "1234567890", **dates, "fin_annee": "2024"}          # ends before it starts
    assert b.json("POST", f"{api}/identification", ended)[0] == 400
    status, data = b.json("POST", f"{api}/identification", {"numero": "1234567890", **dates})
    assert status == 200
    different = {"inscription": data["inscription"], "email": "a@example.org",
                 "email_confirmation": "b@example.org"}
    status, data = b.json("POST", f"{api}/email", different)
    assert status == 400
    assert data["erreurs"]["email_confirmation"] == "Les adresses email ne sont pas identiques."
    registration = b.json("POST", f"{api}/identification",
                          {"numero": "1234567890", **dates})[1]["inscription"]
    status, data = b.json("POST", f"{api}/email", {"inscription": registration, "email": "a@example.org",
                                                   "email_confirmation": "A@example.org"})
    assert status == 200 and site.official.mails("a@example.org")[-1].link == data["courriel"]["lien"]
    token = dict(parse_qsl(data["courriel"]["lien"].split("?", 1)[1]))["token"]
    assert b.json("GET", f"{api}/jeton?token={token}") == (200, {"valide": True})
    for weak in ("Court-1!", "sans-majuscule-12!", "SANS-MINUSCULE-12!", "Sans-Chiffre-ici!",
                 "SansSpecial1234"):
        status, data = b.json("POST", f"{api}/mot-de-passe", {"token": token, "mot_de_passe": weak,
                                                               "confirmation": weak})
        assert status == 400 and "mot_de_passe" in data["erreurs"], weak
    status, data = b.json("POST", f"{api}/mot-de-passe", {"token": token, "mot_de_passe": PASSWORD,
                                                           "confirmation": PASSWORD})
    assert (status, data) == (200, {"identifiant": "1234567890"})
    assert b.json("GET", f"{api}/jeton?token={token}") == (200, {"valide": False})   # used once
    assert b.json("POST", f"{api}/identification", {"numero": "1234567890", **dates}) == \
        (409, {"erreur": "Il semblerait que vos informations soient déjà associées à un compte."})


def test_the_sign_on_sends_codes_only_to_the_portal_and_once(site: PracticeSite) -> None:
    site.official.add_account("2234567890", "b@example.org", PASSWORD,
                              dt.date.today() + dt.timedelta(days=30))
    b = Browser(site)
    for redirect in ("https://evil.example/usagers/#", f"https://{PORTAL}.evil.example/usagers/#",
                     f"http://{PORTAL}/usagers/#"):
        status, _, page = b.request("GET", AUTH + "?" + urlencode({
            "client_id": "anef-usagers", "redirect_uri": redirect, "response_type": "code"}))
        assert status == 400 and "redirect_uri" in page.decode()
    assert b.sign_in("2234567890", "faux") == ""
    where = b.sign_in("2234567890", PASSWORD, state="xyz")
    assert where.startswith(f"https://{PORTAL}/usagers/#state=xyz&session_state=")
    code = dict(parse_qsl(where.split("#", 1)[1]))["code"]
    assert b.json("POST", f"https://{PORTAL}/api/auth/code", {"code": code})[0] == 200
    assert b.json("GET", f"https://{PORTAL}/api/usager/moi")[1]["usager"]["identifiant"] == "2234567890"
    other = Browser(site)
    assert other.json("POST", f"https://{PORTAL}/api/auth/code", {"code": code})[0] == 400      # used once
    site.forget()                                               # the wipe: accounts, sessions, everything
    assert b.json("GET", f"https://{PORTAL}/api/usager/moi")[0] == 401
    assert b.sign_in("2234567890", PASSWORD) == ""


def test_upload_limits_of_the_portal(site: PracticeSite) -> None:
    site.official.add_account("3234567890", "c@example.org", PASSWORD,
                              dt.date.today() + dt.timedelta(days=30))
    b = Browser(site)
    code = dict(parse_qsl(b.sign_in("3234567890", PASSWORD).split("#", 1)[1]))["code"]
    b.json("POST", f"https://{PORTAL}/api/auth/code", {"code": code})
    demande = f"https://{PORTAL}/api/sejour/demande"
    assert b.json("POST", demande, {"action": "commencer"})[1]["etape"] == "personnel"
    assert b.upload("passeport.pdf", b"%PDF-1.4 x")[0] == 400                   # not at this step yet
    values = {"nom": "Ba", "prenoms": "Awa", "date_naissance": "01/02/1990", "pays_naissance": "Sénégal",
              "nationalite": "sénégalaise", "voie": "2 rue B", "code_postal": "6900", "commune": "Lyon",
              "telephone": "0712345678", "email": "c@example.org"}
    status, state = b.json("POST", demande, {"action": "enregistrer", **values})
    assert status == 400 and state["erreurs"] == {"code_postal": "Le code postal doit comporter 5 chiffres."}
    for action, form in (("enregistrer", {**values, "code_postal": "69001"}),
                         ("enregistrer", {"motif": "Salarié", "sanctions": "oui"}),
                         ("enregistrer", {"ressources": "1500"})):
        status, state = b.json("POST", demande, {"action": action, **form})
        assert status == 200, state["erreurs"]
    assert state["etape"] == "justificatifs"
    limit = 0.05 * 1024 * 1024
    for name, data, message in (
            ("scan.docx", b"PK\x03\x04", "Le format du fichier n'est pas accepté. Formats acceptés : PDF, "
                                         "JPG ou PNG."),
            ("faux.pdf", b"\x89PNG\r\n\x1a\n", "Le format du fichier n'est pas accepté. Formats acceptés : "
                                               "PDF, JPG ou PNG."),
            ("vide.pdf", b"", "Le fichier est vide."),
            ("gros.pdf", b"%PDF-" + b"0" * int(limit), "Le fichier dépasse la taille maximale autorisée "
                                                       "(0.05 Mo)."),
            ("protege.pdf", b"%PDF-1.7\n<< /Encrypt 3 0 R >>",
             "Le fichier PDF est protégé par un mot de passe : il n'est pas accepté.")):
        assert b.upload(name, data) == (400, {"erreur": message}), name
    assert b.upload("passeport.jpg", b"\xff\xd8\xff\xe0 jpeg") == (200, {"nom": "passeport.jpg", "taille": 9})
    status, state = b.json("POST", demande, {"action": "enregistrer", "code_ephoto": "trop court"})
    assert status == 400 and set(state["erreurs"]) == {"code_ephoto", "titre_sejour", "justificatif_domicile"}


def test_every_identity_provider_and_the_stamp_shop_answer(site: PracticeSite) -> None:
    b = Browser(site)
    for host in IDENTITY_PROVIDERS:                  # only FranceConnect's callback may be asked for
        status, _, page = b.request("GET", f"https://{host}/authorize?" + urlencode(
            {"redirect_uri": "https://evil.example/cb", "state": "s"}))
        assert status == 400 and BANNER in unescape(page.decode())
    status, _, page = b.request("GET", f"https://{STAMPS}/achat/paiement")
    assert status == 302                                # nothing in the basket yet
    assert b.request("GET", f"https://{STAMPS}/achat/timbre.pdf")[0] == 404
