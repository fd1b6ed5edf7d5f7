"""The portal's replica (administration-etrangers-en-france.interieur.gouv.fr): the hash-routed single-page
app under /usagers/#/ (spa.py), the old /particuliers/ prefix redirecting to it, and the same-origin
/api/ it talks to.

Structure and labels follow docs/research/site-journey.md §2-§6 and the site map (site.toml): routes #/,
#/espace-personnel/connexion-inscription, #/espace-personnel/inscription/mot-de-passe?token=,
#/espace-personnel/mon-compte (with its tab «Demande d'accès à la Nationalité Française», §10),
#/espace-personnel/mes-notifications, #/sejour/document-voyage (its first choice, §14), and the request
wizard under #/sejour/ with in-page steps ("Etape n/6") whose headings are those of the site map. What
the sources do not show is marked [inferred] and kept plain: the sign-up route
(#/espace-personnel/creation-compte), the renewal request's route (#/sejour/demande-titre-sejour), the
API paths (the real /api/ paths are only partly known, §6), the penal-sanctions sentence, and the upload
limits (PDF/JPG/PNG, 2 MB, no encrypted PDF: a single secondary source, §5). The sign-up e-mail is shown
on the page itself, marked as practice, since the replica sends nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import PurePosixPath
from urllib.parse import urlencode

from kiosk.browser.replica import pages, spa
from kiosk.browser.replica.attestation import attestation_pdf
from kiosk.browser.replica.hosts import CLIENT_ID, PORTAL, REALM, SSO, STAMPS
from kiosk.browser.replica.official import (
    Account,
    Application,
    Mail,
    OfficialReplica,
    Registration,
    Request,
    Response,
    Upload,
    new_secret,
)

SESSION_COOKIE = "anef_session"
RENEWAL_WINDOW = dt.timedelta(days=120)        # the request opens 4 months before the permit ends (F2209)
REQUIRED = pages.REQUIRED_TEXT
INCORRECT = "Certaines informations que vous avez saisies sont incorrectes. Veuillez vérifier votre saisie."
TAKEN = "Il semblerait que vos informations soient déjà associées à un compte."
UPLOAD_TYPES = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
                ".png": (b"\x89PNG\r\n\x1a\n",)}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
PASSWORD_RULE = ("Votre mot de passe doit contenir au moins 12 caractères, dont une majuscule, une "
                 "minuscule, un chiffre et un caractère spécial.")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"            # text, date, email, tel, select, checkbox, textarea
    required: bool = True
    hint: str = ""
    options: tuple[str, ...] = ()

    def spec(self) -> dict[str, object]:
        return {"name": self.name, "label": self.label, "kind": self.kind, "required": self.required,
                "hint": self.hint, "options": list(self.options)}


@dataclass(frozen=True)
class Piece:
    name: str
    label: str


@dataclass(frozen=True)
class Step:
    id: str
    title: str                      # the page's main heading (the site map recognises it)
    fields: tuple[Field, ...] = ()
    pieces: tuple[Piece, ...] = ()

    def spec(self) -> dict[str, object]:
        return {"id": self.id, "titre": self.title, "champs": [f.spec() for f in self.fields],
                "pieces": [{"name": p.name, "label": p.label} for p in self.pieces]}


# Steps: Informations personnelles → Motif de la demande → Ressources → Justificatifs → Récapitulatif →
# Confirmation, "Etape n/6" (C1-mhtml, anef-site §4).
WIZARD: tuple[Step, ...] = (
    Step("personnel", "Informations personnelles", (
        Field("nom", "Nom de naissance"),
        Field("nom_usage", "Nom d'usage (facultatif)", required=False),
        Field("prenoms", "Prénom(s)"),
        Field("date_naissance", "Date de naissance", hint="JJ/MM/AAAA"),
        Field("pays_naissance", "Pays de naissance"),
        Field("nationalite", "Nationalité"),
        Field("voie", "Numéro et libellé de la voie"),
        Field("code_postal", "Code postal"),
        Field("commune", "Commune"),
        Field("telephone", "Téléphone", "tel", hint="Exemple : 06 12 34 56 78"),
        Field("email", "Adresse email", "email"),
        # The «LIENS PERSONNELS ET FAMILIAUX» block (site-journey §8, qualif 2024-01): two of its questions.
        Field("nationalite_conjoint", "Quelle est la nationalité de votre conjoint(e) ?", "select",
              required=False, options=("Pas de conjoint(e)", "Française", "Autre nationalité")),
        Field("enfant_francais", "L'un des enfants est-il de nationalité française ?", "select",
              required=False, options=("Pas d'enfant", "Non", "Oui")),
    )),
    Step("motif", "Motif de la demande", (
        Field("motif", "Motif de votre demande", "select",
              options=("Salarié", "Vie privée et familiale", "Étudiant", "Visiteur", "Autre motif")),
        # The checkbox exists (test-object name, C1); its exact wording is [unverified].
        Field("sanctions", "Je certifie sur l'honneur l'exactitude des informations déclarées et je "
                           "reconnais avoir pris connaissance des sanctions pénales encourues en cas de "
                           "fausse déclaration.", "checkbox"),
    )),
    Step("ressources", "Ressources", (
        Field("ressources", "Montant mensuel net de vos ressources (en euros)",
              hint="En chiffres, par exemple 1400"),
    )),
    Step("justificatifs", "Justificatifs", (
        Field("code_ephoto", "Photographie d'identité récente : code e-photo",
              hint="22 caractères, remis par le photographe agréé"),
    ), (
        Piece("passeport", "Passeport (pages d'état civil et de validité)"),
        Piece("titre_sejour", "Titre de séjour actuel (recto et verso)"),
        Piece("justificatif_domicile", "Justificatif de domicile datant de moins de 6 mois"),
    )),
    Step("recapitulatif", "Récapitulatif", (
        Field("observations", "Observations à destination de l'administration", "textarea", required=False),
    )),
)
STEPS = {step.id: step for step in WIZARD}
ORDER = ["situation", *STEPS, "confirmation"]


def _date(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})", text.strip())
    if match is None:
        return None
    day, month, year = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def check_field(f: Field, value: str) -> str:
    """The site's message for a wrong value of `f`, or ''."""
    value = value.strip()
    if not value:
        return REQUIRED if f.required else ""
    if f.name == "code_postal" and not re.fullmatch(r"\d{5}", value):
        return "Le code postal doit comporter 5 chiffres."
    if f.name == "date_naissance" and _date(value) is None:
        return "La date n'est pas valide (JJ/MM/AAAA)."
    if f.kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return "L'adresse email n'est pas valide."
    if f.kind == "tel" and not re.fullmatch(r"(\+33|0)[1-9](\d{8})", re.sub(r"[\s.]", "", value)):
        return "Le numéro de téléphone n'est pas valide."
    if f.name == "ressources" and not re.fullmatch(r"\d{1,7}([,.]\d{1,2})?", value.replace(" ", "")):
        return "Indiquez un montant en euros, en chiffres."
    if f.name == "code_ephoto" and not re.fullmatch(r"[A-Za-z0-9]{22}", value.replace(" ", "")):
        return "Le code e-photo comporte 22 caractères (lettres et chiffres)."
    if f.kind == "select" and value not in f.options:
        return REQUIRED
    return ""


def check_upload(name: str, data: bytes, limit: int) -> str:
    """The site's message for a file that cannot be sent, or ''."""
    suffix = PurePosixPath(name.lower()).suffix
    if not data:
        return "Le fichier est vide."
    if suffix not in UPLOAD_TYPES or not data.startswith(UPLOAD_TYPES[suffix]):
        return "Le format du fichier n'est pas accepté. Formats acceptés : PDF, JPG ou PNG."
    if len(data) > limit:
        return f"Le fichier dépasse la taille maximale autorisée ({round(limit / (1024 * 1024), 2):g} Mo)."
    if suffix == ".pdf" and b"/Encrypt" in data:
        return "Le fichier PDF est protégé par un mot de passe : il n'est pas accepté."
    return ""


def password_errors(password: str, confirmation: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not password:
        errors["mot_de_passe"] = REQUIRED
    elif len(password) < 12 or not all(re.search(p, password)
                                       for p in (r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z\d]")):
        errors["mot_de_passe"] = "Le format du mot de passe n'est pas respecté. " + PASSWORD_RULE
    if not confirmation:
        errors["confirmation"] = REQUIRED
    elif password and confirmation != password:
        errors["confirmation"] = "Les deux mots de passe doivent être identiques."
    return errors


class Portal:
    def __init__(self, replica: OfficialReplica) -> None:
        self.replica = replica
        self.store = replica.store

    # --- routes ---------------------------------------------------------------------------------------

    def handle(self, r: Request) -> Response:
        path = r.path
        if path in ("/", "/usagers"):
            return Response.redirect("/usagers/", HTTPStatus.MOVED_PERMANENTLY)
        if path == "/particuliers" or path.startswith("/particuliers/"):    # the old prefix (to mid-2026)
            rest = path.removeprefix("/particuliers").lstrip("/")
            suffix = "?" + urlencode(r.query) if r.query else ""
            return Response.redirect(f"/usagers/{rest}{suffix}", HTTPStatus.MOVED_PERMANENTLY)
        if r.method == "GET" and path in ("/usagers/", "/usagers/index.html"):
            response = Response(spa.index_html(self._config()))
            response.headers.append(("Content-Security-Policy", spa.CSP))
            return response
        if r.method == "GET" and path in spa.ASSETS:
            ctype, body = spa.ASSETS[path]
            return Response(body, ctype=ctype)
        if path.startswith("/api/"):
            return self._api(r)
        return Response(spa.not_found_html(), HTTPStatus.NOT_FOUND)

    def _config(self) -> dict[str, object]:
        sso = self.replica.base(SSO)
        return {"portal": self.replica.base(PORTAL), "client_id": CLIENT_ID,
                "sso_auth": f"{sso}{REALM}/protocol/openid-connect/auth",
                "password_url": f"{sso}{REALM}/login-actions/reset-credentials?client_id={CLIENT_ID}",
                "stamps_url": self.replica.base(STAMPS) + "/", "accept": ACCEPT,
                "max_mo": round(self.replica.max_upload_bytes / (1024 * 1024), 2)}

    def _account(self, r: Request) -> Account | None:
        account_id = self.store.sessions.get(r.cookies.get(SESSION_COOKIE, ""))
        return self.store.accounts.get(account_id) if account_id else None

    def _api(self, r: Request) -> Response:
        public = {
            ("POST", "/api/auth/code"): self._exchange_code,
            ("POST", "/api/auth/deconnexion"): self._logout,
            ("POST", "/api/inscription/identification"): self._identification,
            ("POST", "/api/inscription/email"): self._email,
            ("GET", "/api/inscription/jeton"): self._token,
            ("POST", "/api/inscription/mot-de-passe"): self._password,
        }
        if (r.method, r.path) in public:
            return public[(r.method, r.path)](r)
        account = self._account(r)
        if account is None:
            return Response.json({"erreur": "Votre session a expiré. Veuillez vous reconnecter."},
                                 HTTPStatus.UNAUTHORIZED)
        private = {
            ("GET", "/api/usager/moi"): self._me,
            ("GET", "/api/notifications"): self._notifications,
            ("GET", "/api/sejour/demande"): lambda _r, a: Response.json(self._application(a)),
            ("POST", "/api/sejour/demande"): self._wizard,
            ("POST", "/api/sejour/pieces"): self._upload,
            ("GET", "/api/sejour/confirmation.pdf"): self._confirmation_pdf,
        }
        if (r.method, r.path) not in private:
            return Response.json({"erreur": "Introuvable"}, HTTPStatus.NOT_FOUND)
        return private[(r.method, r.path)](r, account)

    # --- signing in and out ---------------------------------------------------------------------------

    def _exchange_code(self, r: Request) -> Response:
        """The authorisation code the sign-on host put in the address (#…&code=) for a session."""
        entry = self.store.codes.pop(r.form.get("code", ""), None)
        if entry is None or entry[1] < self.replica.clock() or entry[0] not in self.store.accounts:
            return Response.json({"erreur": "La connexion a échoué. Veuillez réessayer."},
                                 HTTPStatus.BAD_REQUEST)
        session = new_secret()
        self.store.sessions.put(session, entry[0])
        return Response.json({"ok": True}).cookie(SESSION_COOKIE, session, r)

    def _logout(self, r: Request) -> Response:
        self.store.sessions.pop(r.cookies.get(SESSION_COOKIE, ""), None)
        return Response.json({"ok": True}).cookie(SESSION_COOKIE, "", r, max_age=0)

    # --- sign-up: identification, e-mail, then the password page reached from the e-mail ---------------

    def _identification(self, r: Request) -> Response:
        f = r.form
        number = re.sub(r"\s", "", f.get("numero", ""))
        dates: list[dt.date | None] = []
        for prefix in ("debut", "fin"):
            try:
                dates.append(dt.date(int(f.get(f"{prefix}_annee", "")), int(f.get(f"{prefix}_mois", "")),
                                     int(f.get(f"{prefix}_jour", ""))))
            except ValueError:
                dates.append(None)
        start, end = dates
        if not re.fullmatch(r"\d{10}", number) or start is None or end is None or start >= end:
            return Response.json({"erreur": INCORRECT}, HTTPStatus.BAD_REQUEST)
        if self.store.account_by_login(number) is not None:
            return Response.json({"erreur": TAKEN}, HTTPStatus.CONFLICT)
        registration = new_secret()
        self.store.registrations.put(registration, Registration(number, start, end))
        return Response.json({"inscription": registration})

    def _email(self, r: Request) -> Response:
        registration = self.store.registrations.get(r.form.get("inscription", ""))
        if registration is None:
            return Response.json({"erreur": INCORRECT}, HTTPStatus.BAD_REQUEST)
        email, again = r.form.get("email", "").strip(), r.form.get("email_confirmation", "").strip()
        errors = {}
        if not email:
            errors["email"] = REQUIRED
        elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            errors["email"] = "L'adresse email n'est pas valide."
        if not again:
            errors["email_confirmation"] = REQUIRED
        elif email.lower() != again.lower():
            errors["email_confirmation"] = "Les adresses email ne sont pas identiques."
        if errors:
            return Response.json({"erreurs": errors}, HTTPStatus.BAD_REQUEST)
        if any(a.email.lower() == email.lower() for a in self.store.accounts.values()):
            return Response.json({"erreur": TAKEN}, HTTPStatus.CONFLICT)
        registration.email = email
        token = secrets.token_urlsafe(32)
        self.store.tokens.put(token, (r.form["inscription"], self.replica.clock() + dt.timedelta(hours=24)))
        link = (f"{self.replica.base(PORTAL)}/usagers/#/espace-personnel/inscription/mot-de-passe"
                f"?token={token}")
        mail = Mail(email, "Création de votre compte - Étrangers en France",
                    "Bonjour,\nPour terminer la création de votre compte sur le site « Étrangers en "
                    "France », choisissez votre mot de passe en suivant le lien ci-dessous. Ce lien est "
                    "valable 24 heures.",
                    link, "Choisir mon mot de passe")
        self.store.send(mail)
        return Response.json({"ok": True, "courriel": {
            "a": mail.to, "objet": mail.subject, "texte": mail.text, "lien": mail.link,
            "libelle": mail.link_label}})

    def _registration(self, token: str) -> Registration | None:
        entry = self.store.tokens.get(token)
        if entry is None or entry[1] < self.replica.clock():
            return None
        return self.store.registrations.get(entry[0])

    def _token(self, r: Request) -> Response:
        return Response.json({"valide": self._registration(r.query.get("token", "")) is not None})

    def _password(self, r: Request) -> Response:
        token = r.form.get("token", "")
        registration = self._registration(token)
        if registration is None:
            return Response.json({"erreur": "Ce lien n'est plus valable. Recommencez la création de votre "
                                            "compte."},
                                 HTTPStatus.BAD_REQUEST)
        errors = password_errors(r.form.get("mot_de_passe", ""), r.form.get("confirmation", ""))
        if errors:
            return Response.json({"erreurs": errors}, HTTPStatus.BAD_REQUEST)
        entry = self.store.tokens.pop(token)
        self.store.registrations.pop(entry[0], None)
        account = Account(new_secret(), registration.number, registration.email, registration.permit_start,
                          registration.permit_end)
        account.set_password(r.form["mot_de_passe"])
        self.store.accounts.put(account.id, account)
        return Response.json({"identifiant": account.number})

    # --- the personal space ---------------------------------------------------------------------------

    def _me(self, _r: Request, a: Account) -> Response:
        name = " ".join(filter(None, (a.given_name, a.family_name)))
        app = a.application
        request = None
        if app is not None:
            request = {"reference": app.reference, "etape": app.step,
                       "depose_le": app.filed.strftime("%d/%m/%Y") if app.filed else ""}
        return Response.json({"usager": {"nom_affiche": name, "identifiant": a.number, "email": a.email},
                              "demande": request})

    def _notifications(self, _r: Request, a: Account) -> Response:
        app = a.application
        items = []
        if app is not None and app.filed is not None:
            items.append({"titre": "Dépôt de votre demande", "date": app.filed.strftime("%d/%m/%Y"),
                          "texte": f"Votre demande n° {app.reference} a bien été déposée."})
        return Response.json({"_items": items, "_meta": {"total": len(items)}})

    # --- the request wizard ---------------------------------------------------------------------------

    def _too_early(self, a: Account) -> dt.date | None:
        opens = a.permit_end - RENEWAL_WINDOW
        return opens if self.replica.today() < opens else None

    def _application(self, a: Account, errors: dict[str, str] | None = None) -> dict[str, object]:
        app = a.application or Application()
        opens = self._too_early(a)
        values = dict(app.values)
        values.setdefault("nom", a.family_name)
        values.setdefault("prenoms", a.given_name)
        values.setdefault("date_naissance", a.birth_date)
        values.setdefault("email", a.email)
        return {
            "etape": app.step, "numero_etape": ORDER.index(app.step), "total": len(ORDER) - 1,
            "etapes": [step.spec() for step in WIZARD], "valeurs": values,
            "pieces": {k: {"nom": u.name, "taille": u.size} for k, u in app.uploads.items()},
            "titre": {"numero": a.number, "debut": a.permit_start.strftime("%d/%m/%Y"),
                      "fin": a.permit_end.strftime("%d/%m/%Y")},
            "trop_tot": opens.strftime("%d/%m/%Y") if opens is not None else "",
            "en_cours": a.application is not None and app.step != "situation",
            "recapitulatif": self._summary(a, app), "reference": app.reference,
            "depose_le": app.filed.strftime("%d/%m/%Y à %H:%M") if app.filed else "",
            "erreurs": errors or {},
        }

    @staticmethod
    def _summary(a: Account, app: Application) -> list[list[str]]:
        rows = [["Titre de séjour actuel", f"n° {a.number}, valable jusqu'au {a.permit_end:%d/%m/%Y}"]]
        for step in WIZARD:
            rows += [["Déclaration sur l'honneur", "Oui" if app.values.get(f.name) else ""]
                     if f.kind == "checkbox" else [f.label, app.values.get(f.name, "")]
                     for f in step.fields if f.name != "observations"]
            rows += [[p.label, f"{app.uploads[p.name].name} ({max(1, app.uploads[p.name].size // 1024)} Ko)"]
                     for p in step.pieces if p.name in app.uploads]
        return rows

    def _wizard(self, r: Request, a: Account) -> Response:
        action = r.form.get("action", "")
        app = a.application
        if action == "commencer":
            if self._too_early(a) is not None:
                return Response.json({**self._application(a), "erreur": "Il est trop tôt pour demander le "
                                      "renouvellement de votre titre"}, HTTPStatus.CONFLICT)
            if app is None or app.filed is not None:
                app = a.application = Application()
            if app.step == "situation":
                app.step = ORDER[1]
            return Response.json(self._application(a))
        if action == "abandonner":
            a.application = None
            return Response.json(self._application(a))
        if app is None or app.step not in STEPS:
            return Response.json(self._application(a), HTTPStatus.CONFLICT)
        step = STEPS[app.step]
        values = {f.name: r.form.get(f.name, "") for f in step.fields if f.name in r.form}
        if action == "precedent":
            app.values.update(values)
            app.step = ORDER[max(1, ORDER.index(app.step) - 1)]
            return Response.json(self._application(a))
        if action == "quitter":
            app.values.update(values)
            return Response.json(self._application(a))
        if action == "ephoto":
            error = check_field(STEPS["justificatifs"].fields[0], r.form.get("code_ephoto", ""))
            if not error:
                app.values["code_ephoto"] = r.form.get("code_ephoto", "").replace(" ", "").upper()
            return Response.json(self._application(a, {"code_ephoto": error} if error else {}),
                                 HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK)
        if action not in ("enregistrer", "deposer") or (action == "deposer") != (step.id == "recapitulatif"):
            return Response.json(self._application(a), HTTPStatus.BAD_REQUEST)
        errors = {f.name: e for f in step.fields if (e := check_field(f, values.get(f.name, "")))}
        errors |= {p.name: "Ce document est obligatoire. Veuillez le joindre." for p in step.pieces
                   if p.name not in app.uploads}
        app.values.update(values)
        if "code_ephoto" in values and not errors.get("code_ephoto"):
            app.values["code_ephoto"] = values["code_ephoto"].replace(" ", "").upper()
        if errors:
            return Response.json(self._application(a, errors), HTTPStatus.BAD_REQUEST)
        if action == "deposer":
            app.reference = f"ENT{secrets.randbelow(10 ** 9):09d}"
            app.filed = self.replica.clock()
        app.step = ORDER[ORDER.index(app.step) + 1]
        return Response.json(self._application(a))

    def _upload(self, r: Request, a: Account) -> Response:
        app = a.application
        piece = r.form.get("piece", "")
        names = {p.name for p in STEPS["justificatifs"].pieces}
        if app is None or app.step != "justificatifs" or piece not in names:
            return Response.json({"erreur": INCORRECT}, HTTPStatus.BAD_REQUEST)
        name, data = r.files.get("fichier", ("", b""))
        error = check_upload(name, data, self.replica.max_upload_bytes)
        if error:
            return Response.json({"erreur": error}, HTTPStatus.BAD_REQUEST)
        upload = app.uploads[piece] = Upload(PurePosixPath(name.replace("\\", "/")).name, len(data))
        return Response.json({"nom": upload.name, "taille": upload.size})

    def _confirmation_pdf(self, _r: Request, a: Account) -> Response:
        app = a.application
        if app is None or app.filed is None:
            return Response.json({"erreur": "Introuvable"}, HTTPStatus.NOT_FOUND)
        rows = [(label, value) for label, value in self._summary(a, app)[:4]]
        pdf = attestation_pdf(app.reference, rows, app.filed, title="Confirmation de dépôt de demande")
        name = f"CONFIRMATION_DEMANDE_TITRE_SEJOUR_{app.reference}_{app.filed:%Y%m%d}.pdf"
        return Response(pdf, ctype="application/pdf",
                        headers=[("Content-Disposition", f'attachment; filename="{name}"')])
