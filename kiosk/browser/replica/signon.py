"""Signing in: the portal's sign-on host (a Keycloak realm, sso.anef.dgef.interieur.gouv.fr), FranceConnect
v2 (oidc.franceconnect.gouv.fr) and its identity providers' hosts.

Paths, parameters and labels follow docs/research/site-journey.md §3 and §4 (S1: the captured sign-on
page; C3, C5, C6, C10, C12: the authorisation request, response_mode=fragment and the broker alias
franceconnect-particulier). Not shown by any source, so kept plain and marked [inferred]: FranceConnect
v2's page wording (identity-provider choice, data sent), the identity providers' login pages, how a
first FranceConnect login is tied to an ANEF account (here Keycloak's usual "link your account" step),
and the pages of the forgotten-password flow after the first one. Identity providers accept any
identifier and password: nothing is checked and the identity returned is a practice one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from html import escape
from http import HTTPStatus
from urllib.parse import urlencode

from kiosk.browser.replica import pages
from kiosk.browser.replica.hosts import (
    BROKER,
    CLIENT_ID,
    FRANCECONNECT,
    FRANCECONNECT_V1,
    IDENTITY_PROVIDERS,
    PORTAL,
    REALM,
    SSO,
)
from kiosk.browser.replica.official import (
    CODE_LIFETIME,
    Account,
    Identity,
    Login,
    Mail,
    OfficialReplica,
    Request,
    Response,
    new_secret,
    query,
)
from kiosk.browser.replica.portal import PASSWORD_RULE, password_errors

SITE = "Étrangers en France"
LOGIN_TITLE = "Se connecter | Étrangers en France"
INVALID = "Nom d'utilisateur ou mot de passe invalide, veuillez cliquer sur \"Mot de passe oublié ?\""
LOGIN_HELP = ("Votre identifiant de connexion est votre numéro d'étranger, si vous n'en n'avez pas, votre "
              "adresse mail")       # verbatim (S1), its typo included
FC_TEXT = ("FranceConnect est la solution proposée par l'État pour sécuriser et simplifier la connexion "
           "à vos services en ligne.")
FC_CLIENT = "anef-usagers-franceconnect"
PRACTICE_PERSON = {"given_name": "Camille", "family_name": "Martin", "birthdate": "1990-01-01"}


def _form(action: str, inner: str, ident: str = "") -> str:
    attr = f' id="{ident}"' if ident else ""
    return f'<form method="post" action="{escape(action)}"{attr} novalidate>{inner}</form>'


def _error(text: str, ident: str = "erreur") -> str:
    return f'<div class="fr-alert fr-alert--error" role="alert" id="{ident}"><p>{escape(text)}</p></div>'


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


class SignOn:
    """The Keycloak realm anef-usagers: login, forgotten password, the FranceConnect broker."""

    def __init__(self, replica: OfficialReplica) -> None:
        self.replica = replica
        self.store = replica.store

    # Read at each request: the replica may answer under other names (practice mode, replica/practice.py)
    @property
    def sso(self) -> str:
        return self.replica.base(SSO)

    @property
    def portal(self) -> str:
        return self.replica.base(PORTAL)

    def handle(self, r: Request) -> Response:
        routes = {
            ("GET", REALM + "/protocol/openid-connect/auth"): self._authorize,
            ("GET", REALM + "/login-actions/authenticate"): self._login_again,
            ("POST", REALM + "/login-actions/authenticate"): self._authenticate,
            ("GET", REALM + "/login-actions/reset-credentials"): self._reset,
            ("POST", REALM + "/login-actions/reset-credentials"): self._reset_sent,
            ("GET", REALM + "/login-actions/action-token"): self._action_token,
            ("GET", REALM + "/login-actions/required-action"): self._update_password,
            ("POST", REALM + "/login-actions/required-action"): self._password_updated,
            ("GET", BROKER + "/login"): self._broker_login,
            ("GET", BROKER + "/endpoint"): self._broker_endpoint,
            ("POST", REALM + "/login-actions/first-broker-login"): self._link_account,
        }
        route = routes.get((r.method, r.path))
        if route is None:
            return self._page("<h1>Page non trouvée</h1>", HTTPStatus.NOT_FOUND)
        return route(r)

    def _page(self, body: str, status: HTTPStatus = HTTPStatus.OK, title: str = LOGIN_TITLE) -> Response:
        page = pages.site_page(title, SITE, body, subtitle="Direction générale des étrangers en France")
        return Response(page, status)

    def _problem(self, text: str) -> Response:
        return self._page("<h1>Une erreur est survenue</h1>" + _error(text)
                          + f'<p><a id="retour-application" href="{escape(self._landing())}">'
                            "Retour à l'application</a></p>", HTTPStatus.BAD_REQUEST)

    def _landing(self) -> str:
        return f"{self.portal}/usagers/#/espace-personnel/connexion-inscription"

    # --- login ----------------------------------------------------------------------------------------

    def _authorize(self, r: Request) -> Response:
        q = r.query
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != CLIENT_ID:
            return self._problem("Client invalide.")
        if not redirect.startswith((f"{self.portal}/usagers/", f"{self.portal}/particuliers/")):
            return self._problem("Paramètre invalide : redirect_uri")
        if q.get("response_type") != "code":
            return self._problem("Paramètre invalide : response_type")
        code = new_secret()
        login = self.store.logins.put(code, Login(redirect, q.get("state", "")))
        return self._login_page(code, login)

    def _login_page(self, code: str, login: Login, error: str = "", username: str = "") -> Response:
        action = query(f"{self.sso}{REALM}/login-actions/authenticate", session_code=code,
                       execution=login.execution, client_id=CLIENT_ID, tab_id=login.tab_id)
        reset = query(f"{self.sso}{REALM}/login-actions/reset-credentials", client_id=CLIENT_ID,
                      tab_id=login.tab_id, theme="portail-anef")
        broker = query(f"{self.sso}{BROKER}/login", client_id=CLIENT_ID, tab_id=login.tab_id,
                       session_code=code)
        body = (
            "<h1>Vous avez déjà un compte</h1>" + (_error(error, "erreur-connexion") if error else "")
            + _form(action, pages.input_field("username", "Identifiant :", value=username, hint=LOGIN_HELP,
                                              autocomplete="username", ident="login")
                    + pages.input_field("password", "Mot de passe :", "password",
                                        autocomplete="current-password")
                    + f'<p><a id="mot-de-passe-oublie" href="{escape(reset)}">Mot de passe oublié ?</a></p>'
                    + '<button type="submit" id="kc-login">S\'identifier</button>', "kc-form-login")
            + '<p class="separator">OU</p>' + f"<p>{escape(FC_TEXT)}</p>"
            + f'<a class="button fc-button" id="franceconnect" href="{escape(broker)}">'
              "S'identifier avec FranceConnect</a>"
            + f'<p><a id="fc-en-savoir-plus" href="{escape(self.replica.base(FRANCECONNECT_V1))}'
              '/en-savoir-plus">'
              "Qu'est-ce que FranceConnect ?</a></p>"
            + f'<p><a id="creer-compte" href="{escape(self._landing())}">'
              "Première visite ? Créer votre compte</a></p>")
        return self._page(body)

    def _login(self, r: Request) -> tuple[str, Login] | None:
        code = r.query.get("session_code", "")
        login = self.store.logins.get(code)
        return (code, login) if login is not None else None

    def _expired(self) -> Response:
        return self._page("<h1>Page expirée</h1><p>Votre session de connexion a expiré.</p>"
                          f'<p><a id="recommencer" href="{escape(self._landing())}">Recommencer</a></p>')

    def _login_again(self, r: Request) -> Response:
        found = self._login(r)
        return self._expired() if found is None else self._login_page(*found)

    def _authenticate(self, r: Request) -> Response:
        found = self._login(r)
        if found is None:
            return self._expired()
        code, login = found
        username = r.form.get("username", "")
        account = self.store.account_by_login(username)
        if account is None or not account.check_password(r.form.get("password", "")):
            return self._login_page(code, login, INVALID, username)
        return self._back_to_portal(code, login, account)

    def _back_to_portal(self, session_code: str, login: Login, account: Account) -> Response:
        """Signed in: back to the portal with the code in the address's fragment (response_mode=fragment)."""
        self.store.logins.pop(session_code, None)
        code = new_secret()
        self.store.codes.put(code, (account.id, self.replica.clock() + CODE_LIFETIME))
        params = urlencode({"state": login.state, "session_state": secrets.token_hex(16), "code": code})
        base, _, fragment = login.redirect_uri.partition("#")
        return Response.redirect(f"{base}#{fragment + '&' if fragment else ''}{params}")

    # --- forgotten password ---------------------------------------------------------------------------

    def _reset(self, r: Request, error: str = "") -> Response:
        action = query(f"{self.sso}{REALM}/login-actions/reset-credentials", client_id=CLIENT_ID,
                       tab_id=r.query.get("tab_id", ""))
        return self._page("<h1>Mot de passe oublié ?</h1>" + (_error(error) if error else "")
                          + "<p>Saisissez votre identifiant. Nous vous enverrons un courriel pour choisir un "
                            "nouveau mot de passe.</p>"
                          + _form(action, pages.input_field("username", "Identifiant :", hint=LOGIN_HELP,
                                                            ident="login")
                                  + '<button type="submit" id="kc-reset">Envoyer</button>'),
                          title="Mot de passe oublié | Étrangers en France")

    def _reset_sent(self, r: Request) -> Response:
        username = r.form.get("username", "").strip()
        if not username:
            return self._reset(r, pages.REQUIRED_TEXT)
        account = self.store.account_by_login(username)
        practice = ""
        if account is not None:        # the same answer either way: nobody learns which accounts exist
            key = new_secret()
            self.store.resets.put(key, (account.id, self.replica.clock() + dt.timedelta(hours=1)))
            mail = Mail(account.email, "Réinitialisation de votre mot de passe",
                        "Bonjour,\nPour choisir un nouveau mot de passe, suivez le lien ci-dessous. Ce lien "
                        "est valable 1 heure.",
                        query(f"{self.sso}{REALM}/login-actions/action-token", key=key, client_id=CLIENT_ID),
                        "Choisir un nouveau mot de passe")
            self.store.send(mail)
            practice = _practice_mail(mail)
        return self._page("<h1>Un courriel vous a été envoyé</h1><p>Si ce compte existe, vous allez recevoir "
                          "un courriel avec un lien pour choisir un nouveau mot de passe.</p>" + practice,
                          title="Mot de passe oublié | Étrangers en France")

    def _action_token(self, r: Request) -> Response:
        key = r.query.get("key", "")
        entry = self.store.resets.get(key)
        if entry is None or entry[1] < self.replica.clock():
            return self._problem("Ce lien n'est plus valable.")
        return Response.redirect(query(f"{self.sso}{REALM}/login-actions/required-action",
                                       execution="UPDATE_PASSWORD", client_id=CLIENT_ID, key=key))

    def _update_password(self, r: Request, errors: dict[str, str] | None = None) -> Response:
        key = r.query.get("key", "")
        if key not in self.store.resets:
            return self._problem("Ce lien n'est plus valable.")
        errors = errors or {}
        action = query(f"{self.sso}{REALM}/login-actions/required-action", execution="UPDATE_PASSWORD",
                       client_id=CLIENT_ID, key=key)
        shown = "".join(_error(e, f"erreur-{k}") for k, e in errors.items())
        fields = (pages.input_field("mot_de_passe", "Nouveau mot de passe :", "password",
                                    autocomplete="new-password")
                  + pages.input_field("confirmation", "Confirmation du mot de passe :", "password",
                                      autocomplete="new-password"))
        return self._page("<h1>Réinitialisez votre mot de passe</h1>" + shown
                          + f"<p>{escape(PASSWORD_RULE)}</p>"
                          + _form(action, fields + '<button type="submit" id="kc-update">Valider</button>'),
                          title="Réinitialisez votre mot de passe | Étrangers en France")

    def _password_updated(self, r: Request) -> Response:
        key = r.query.get("key", "")
        entry = self.store.resets.get(key)
        if entry is None or entry[1] < self.replica.clock() or entry[0] not in self.store.accounts:
            return self._problem("Ce lien n'est plus valable.")
        errors = password_errors(r.form.get("mot_de_passe", ""), r.form.get("confirmation", ""))
        if errors:
            return self._update_password(r, errors)
        self.store.resets.pop(key)
        self.store.accounts[entry[0]].set_password(r.form["mot_de_passe"])
        return self._page("<h1>Votre mot de passe a été modifié</h1>"
                          f'<p><a class="button" id="retour-application" href="{escape(self._landing())}">'
                          "Retour à l'application</a></p>")

    # --- the FranceConnect broker (alias franceconnect-particulier) -----------------------------------

    def _broker_login(self, r: Request) -> Response:
        found = self._login(r)
        if found is None:
            return self._expired()
        _code, login = found
        login.broker_state = new_secret()
        fc = self.replica.base(FRANCECONNECT)
        return Response.redirect(query(
            f"{fc}/api/v2/authorize", response_type="code", client_id=FC_CLIENT,
            redirect_uri=f"{self.sso}{BROKER}/endpoint",
            scope="openid given_name family_name birthdate email",
            state=login.broker_state, nonce=new_secret(), acr_values="eidas1", prompt="login consent"))

    def _broker_endpoint(self, r: Request) -> Response:
        entry = self.store.fc_codes.pop(r.query.get("code", ""), None)
        state = r.query.get("state", "")
        found = next(((c, lg) for c, lg in self.store.logins.items()
                      if state and lg.broker_state == state), None)
        if entry is None or found is None or entry[0] != state:
            return self._expired()
        code, login = found
        person = entry[1]
        account = next((a for a in self.store.accounts.values() if person["sub"] in a.franceconnect), None)
        if account is not None:
            return self._back_to_portal(code, login, account)
        login.identity = person
        return self._link_page(code, login)

    def _link_page(self, code: str, login: Login, error: str = "") -> Response:
        """First FranceConnect login: the identity is tied to an existing account by its identifier and
        password (Keycloak's first-broker-login "link account" step) [inferred for ANEF]."""
        action = query(f"{self.sso}{REALM}/login-actions/first-broker-login", session_code=code,
                       client_id=CLIENT_ID, tab_id=login.tab_id)
        person = login.identity or {}
        who = f"{person.get('given_name', '')} {person.get('family_name', '')}".strip()
        body = ("<h1>Associer votre compte</h1>" + (_error(error, "erreur-connexion") if error else "")
                + f"<p>Vous êtes connecté(e) avec FranceConnect ({escape(who)}). C'est votre première "
                  "connexion avec FranceConnect sur ce site : pour l'associer à votre compte, saisissez "
                  "votre identifiant et votre mot de passe une fois.</p>"
                + _form(action, pages.input_field("username", "Identifiant :", hint=LOGIN_HELP, ident="login",
                                                  autocomplete="username")
                        + pages.input_field("password", "Mot de passe :", "password",
                                            autocomplete="current-password")
                        + '<button type="submit" id="kc-link">Associer mon compte</button>', "kc-form-link")
                + f'<p><a id="creer-compte" href="{escape(self._landing())}">'
                  "Première visite ? Créer votre compte</a></p>")
        return self._page(body)

    def _link_account(self, r: Request) -> Response:
        found = self._login(r)
        if found is None or found[1].identity is None:
            return self._expired()
        code, login = found
        account = self.store.account_by_login(r.form.get("username", ""))
        if account is None or not account.check_password(r.form.get("password", "")):
            return self._link_page(code, login, INVALID)
        person = login.identity or {}
        account.franceconnect.add(person["sub"])
        account.given_name = account.given_name or person.get("given_name", "")
        account.family_name = account.family_name or person.get("family_name", "")
        account.birth_date = account.birth_date or _french_date(person.get("birthdate", ""))
        return self._back_to_portal(code, login, account)


def _french_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def _practice_mail(mail: Mail) -> str:
    lines = "".join(f"<p>{escape(line)}</p>" for line in mail.text.split("\n"))
    return ('<aside class="fr-alert" id="courriel-entrainement"><p><strong>'
            "Entraînement : voici le courriel que vous recevriez dans votre messagerie.</strong></p>"
            f"<p>À : {escape(mail.to)}</p>"
            f"<p>Objet : {escape(mail.subject)}</p>{lines}"
            f'<p><a id="lien-courriel" href="{escape(mail.link)}">{escape(mail.link_label)}</a></p></aside>')


class FranceConnect:
    """FranceConnect v2: the identity-provider choice, then the data sent to the service [inferred
    wording], back to the sign-on host's broker endpoint."""

    def __init__(self, replica: OfficialReplica) -> None:
        self.replica = replica
        self.store = replica.store

    @property
    def base(self) -> str:
        return self.replica.base(FRANCECONNECT)

    @property
    def endpoint(self) -> str:
        return f"{self.replica.base(SSO)}{BROKER}/endpoint"

    def _page(self, body: str, status: HTTPStatus = HTTPStatus.OK) -> Response:
        return Response(pages.site_page("FranceConnect", "FranceConnect", body), status)

    def handle(self, r: Request) -> Response:
        routes = {("GET", "/api/v2/authorize"): self._authorize,
                  ("POST", "/api/v2/redirect-to-idp"): self._to_idp,
                  ("GET", "/api/v2/oidc-callback"): self._callback, ("POST", "/api/v2/login"): self._login}
        route = routes.get((r.method, r.path))
        if route is None:
            return self._page("<h1>Page introuvable</h1>", HTTPStatus.NOT_FOUND)
        return route(r)

    def _problem(self, text: str) -> Response:
        return self._page("<h1>Une erreur est survenue</h1>" + _error(text), HTTPStatus.BAD_REQUEST)

    def _authorize(self, r: Request) -> Response:
        q = r.query
        if q.get("client_id") != FC_CLIENT or q.get("redirect_uri") != self.endpoint or not q.get("state"):
            return self._problem("La demande de connexion n'est pas valide (redirect_uri, client_id ou "
                                 "state).")
        transaction = new_secret()
        self.store.identities.put(transaction, Identity(q["redirect_uri"], q["state"]))
        buttons = "".join(
            _form(f"{self.base}/api/v2/redirect-to-idp",
                  _hidden("transaction", transaction) + _hidden("fournisseur", host)
                  + f'<button type="submit" id="fi-{escape(ident)}">{escape(name)}</button>')
            for host, (ident, name) in IDENTITY_PROVIDERS.items())
        return self._page("<h1>Je choisis un compte pour me connecter sur Étrangers en France</h1>"
                          "<p>FranceConnect vous permet d'accéder à ce service avec un compte que vous avez "
                          "déjà.</p>"
                          f'<div class="choices" id="fournisseurs">{buttons}</div>')

    def _to_idp(self, r: Request) -> Response:
        transaction, host = r.form.get("transaction", ""), r.form.get("fournisseur", "")
        identity = self.store.identities.get(transaction)
        if identity is None or host not in IDENTITY_PROVIDERS:
            return self._problem("Votre session FranceConnect a expiré. Veuillez recommencer.")
        identity.provider = host
        return Response.redirect(query(f"{self.replica.base(host)}/authorize", client_id="franceconnect",
                                       redirect_uri=f"{self.base}/api/v2/oidc-callback", response_type="code",
                                       scope="openid", state=transaction))

    def _callback(self, r: Request) -> Response:
        entry = self.store.provider_codes.pop(r.query.get("code", ""), None)
        transaction = r.query.get("state", "")
        identity = self.store.identities.get(transaction)
        if entry is None or identity is None or entry[0] != transaction:
            return self._problem("Votre session FranceConnect a expiré. Veuillez recommencer.")
        identity.person = entry[1]
        p = entry[1]
        provider = IDENTITY_PROVIDERS[identity.provider][1]
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in (
            ("Prénom(s)", p["given_name"]), ("Nom de naissance", p["family_name"]),
            ("Date de naissance", _french_date(p["birthdate"])),
            ("Adresse électronique", p.get("email", ""))))
        return self._page(f"<h1>Vous êtes connecté(e) avec {escape(provider)}</h1>"
                          "<p>Les informations suivantes vont être transmises à Étrangers en France :</p>"
                          f'<table id="donnees">{rows}</table>'
                          + _form(f"{self.base}/api/v2/login", _hidden("transaction", transaction)
                                  + '<button type="submit" id="continuer">'
                                    "Continuer sur Étrangers en France</button>"))

    def _login(self, r: Request) -> Response:
        identity = self.store.identities.pop(r.form.get("transaction", ""), None)
        if identity is None or identity.person is None:
            return self._problem("Votre session FranceConnect a expiré. Veuillez recommencer.")
        code = new_secret()
        self.store.fc_codes.put(code, (identity.client_state, identity.person))
        return Response.redirect(query(identity.client_redirect, code=code, state=identity.client_state))


class IdentityProvider:
    """An identity provider's login page (impots.gouv.fr's fields as in the v1 era, S15; the others
    plain). Practice: any identifier and password are accepted, never checked, never kept."""

    def __init__(self, replica: OfficialReplica, host: str) -> None:
        self.replica = replica
        self.store = replica.store
        self.host = host
        self.ident, self.name = IDENTITY_PROVIDERS[host]

    @property
    def callback(self) -> str:
        return f"{self.replica.base(FRANCECONNECT)}/api/v2/oidc-callback"

    def _page(self, body: str, status: HTTPStatus = HTTPStatus.OK) -> Response:
        return Response(pages.site_page(self.name, self.name, body), status)

    def handle(self, r: Request) -> Response:
        if r.path != "/authorize":
            return self._page("<h1>Page introuvable</h1>", HTTPStatus.NOT_FOUND)
        if r.query.get("redirect_uri") != self.callback or not r.query.get("state"):
            return self._page("<h1>Une erreur est survenue</h1>" + _error("La demande n'est pas valide."),
                              HTTPStatus.BAD_REQUEST)
        fields = (("spi_tmp", "Numéro fiscal", "text"), ("pwd_tmp", "Mot de passe", "password")) \
            if self.ident == "impots" else \
            (("identifiant", "Identifiant", "text"), ("mot_de_passe", "Mot de passe", "password"))
        values = {name: r.form.get(name, "").strip() for name, _label, _kind in fields}
        if r.method == "POST" and all(values.values()):
            code = new_secret()
            sub = hashlib.sha256(f"{self.host}\n{values[fields[0][0]]}".encode()).hexdigest()[:32]
            email = values[fields[0][0]] if "@" in values[fields[0][0]] else ""
            self.store.provider_codes.put(code, (r.query["state"], {"sub": sub, "email": email,
                                                                    **PRACTICE_PERSON}))
            return Response.redirect(query(self.callback, code=code, state=r.query["state"]))
        error = _error(pages.REQUIRED_TEXT) if r.method == "POST" else ""
        action = query(f"{self.replica.base(self.host)}/authorize", **r.query)
        button = "Continuer" if self.ident == "impots" else "Se connecter"
        inner = "".join(pages.input_field(name, label, kind, values[name] if kind != "password" else "")
                        for name, label, kind in fields)
        return self._page(
            f"<h1>Se connecter avec {escape(self.name)}</h1>" + error
            + "<p>Entraînement : écrivez n'importe quel identifiant et mot de passe. Rien n'est vérifié ni "
              "envoyé.</p>"
            + _form(action, inner + f'<button type="submit" '
                                    f'id="{"btnAction" if self.ident == "impots" else "connexion"}">'
                    f"{button}</button>", "idp-form"))


def franceconnect_v1(r: Request) -> Response:
    """app.franceconnect.gouv.fr: only the "Qu'est-ce que FranceConnect ?" page the sign-on page links to."""
    if r.path != "/en-savoir-plus":
        return Response(pages.site_page("FranceConnect", "FranceConnect", "<h1>Page introuvable</h1>"),
                        HTTPStatus.NOT_FOUND)
    return Response(pages.site_page("FranceConnect", "FranceConnect", (
        f"<h1>Qu'est-ce que FranceConnect ?</h1><p>{escape(FC_TEXT)}</p><p>Vous vous connectez avec un "
                                                 "compte que vous avez déjà : impots.gouv.fr, ameli.fr, "
                                                 "L'Identité Numérique La Poste, MSA, France Identité…</p>")))
