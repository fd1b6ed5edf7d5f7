"""The portal's single-page app: one HTML page under /usagers/, its style sheet and its script (same
origin, as the real app loads /usagers/styles.<hash>.css and its bundles). The script routes on the
address's hash (#/…), swaps the main heading without loading a page, and talks to the same-origin /api/
(portal.py). What the server sends is put in the page with textContent only, never as HTML.
"""

from __future__ import annotations

from html import escape

from kiosk.browser.replica.official import as_json
from kiosk.browser.replica.pages import BANNER

TITLE = "Étrangers en France"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")

CSS = """
body{font-family:"Marianne","Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#161616;background:#f6f6f6}
a{color:#000091}
.practice{background:#b34000;color:#fff;font-weight:bold;text-align:center;padding:10px;font-size:20px}
.skip a{position:absolute;left:-9999px}.skip a:focus{left:8px;top:8px;background:#fff;padding:4px}
.cookies{background:#eee;padding:8px 24px;font-size:15px}.cookies button{margin:4px 0 0}
header{background:#fff;border-bottom:3px solid #000091;padding:12px 24px;display:flex;flex-wrap:wrap;
 align-items:center;gap:16px}
header .rf{font-weight:bold;text-transform:uppercase;font-size:14px;line-height:1.1}
header .site{color:#000091;font-size:20px;font-weight:bold}
header .site small{display:block;color:#3a3a3a;font-size:13px;font-weight:normal}
nav#nav{margin-left:auto;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
nav#nav details{position:relative}nav#nav summary{cursor:pointer;color:#000091;font-weight:bold}
nav#nav details ul{position:absolute;right:0;z-index:5;background:#fff;border:1px solid #ddd;list-style:none;
 margin:4px 0;padding:8px 16px;min-width:340px}
nav#nav details li{margin:8px 0}
main{background:#fff;max-width:920px;margin:24px auto;padding:24px 32px;min-height:300px}
h1{color:#000091;font-size:28px}h2{font-size:20px}
.fr-breadcrumb{font-size:14px;color:#666}
.fr-card{border:1px solid #ddd;padding:8px 24px 24px;margin:16px 0}
.fr-btn{font-family:inherit;display:inline-block;background:#000091;color:#fff;border:0;padding:12px 20px;
 font-size:18px;margin:16px 12px 0 0;text-decoration:none;cursor:pointer}
.fr-btn--secondary{background:#fff;color:#000091;border:1px solid #000091}
.fr-btn[disabled]{background:#e5e5e5;color:#929292}
.fr-input-group{margin-top:16px}.fr-label{display:block;font-weight:bold}
.fr-hint-text{display:block;font-weight:normal;color:#666;font-size:14px}
.fr-input,.fr-select{width:100%;box-sizing:border-box;padding:8px;font-size:18px;border:0;
 border-bottom:2px solid #3a3a3a;background:#eee;font-family:inherit}
.dates{display:flex;gap:8px}.dates .fr-input{width:6em}.dates .fr-select{width:12em}
.fr-input-group--error .fr-input,.fr-input-group--error .fr-select{border-bottom-color:#ce0500}
.fr-error-text{color:#ce0500;margin:4px 0}
.fr-checkbox-group{margin-top:16px}.fr-checkbox-group input{width:24px;height:24px;vertical-align:middle}
.fr-alert{border-left:4px solid #0063cb;background:#e8edff;padding:8px 16px;margin:16px 0}
.fr-alert--error{border-left-color:#ce0500;background:#ffe9e9}
.fr-alert--success{border-left-color:#18753c;background:#b8fec9}
.fr-stepper{color:#666;font-size:15px}
.tiles{display:flex;gap:16px;flex-wrap:wrap}
.fr-tile{display:block;border:1px solid #ddd;border-bottom:4px solid #000091;padding:20px;width:360px;
 font-weight:bold;text-decoration:none}
.piece{border:1px solid #ddd;padding:8px 16px 16px;margin:16px 0}
.practice-mail{border:3px dashed #b34000;background:#fff8f0;padding:8px 20px;margin:24px 0}
.practice-mail .title{color:#b34000;font-weight:bold}
.actions{margin-top:24px}
.fr-tabs__list{display:flex;gap:8px;list-style:none;padding:0;margin:24px 0 0;border-bottom:1px solid #ddd}
.fr-tabs__tab{font-family:inherit;font-size:16px;background:#e3e3fd;color:#000091;border:0;padding:10px 16px;
 cursor:pointer}
.fr-tabs__tab[aria-selected=true]{background:#fff;border:1px solid #ddd;border-top:2px solid #000091}
.fr-tabs__panel{padding:8px 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #ddd;padding:6px}
.modal{position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center}
.modal>div{background:#fff;padding:24px 32px;max-width:560px}
footer{max-width:920px;margin:0 auto 24px;font-size:14px;display:flex;gap:16px;flex-wrap:wrap}
"""

JS = r"""'use strict';
(() => {
const CONFIG = JSON.parse(document.getElementById('replica-config').textContent);
const app = document.getElementById('app');
const nav = document.getElementById('nav');
const MONTHS = ['Janvier', 'Février', 'Mars', 'Avril', 'Mai', 'Juin', 'Juillet', 'Août', 'Septembre',
                'Octobre', 'Novembre', 'Décembre'];
let current = 0;        // the render in progress: an older one that finishes late draws nothing
let me = null;          // the signed-in visitor (GET /api/usager/moi), or null

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(3)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

async function api(method, path, body) {
  const options = {method, credentials: 'same-origin', headers: {'Accept': 'application/json'}};
  if (body instanceof FormData) options.body = body;
  else if (body) options.body = new URLSearchParams(body);
  let response;
  try { response = await fetch(path, options); } catch (e) {
    return {ok: false, status: 0, data: {erreur: 'Le service est momentanément indisponible.'}};
  }
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  return {ok: response.ok, status: response.status, data};
}

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  return {raw, path: q < 0 ? raw : raw.slice(0, q),
          params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))};
}

function show(token, ...nodes) {
  if (token !== current) return false;
  app.replaceChildren(...nodes.filter(n => n !== null && n !== undefined && n !== false));   // not "null"
  window.scrollTo(0, 0);
  return true;
}

const h1 = text => el('h1', {}, text);
const crumbs = (...items) => el('p', {class: 'fr-breadcrumb'}, 'Vous êtes ici : ' + items.join(' > '));
const alertBox = (kind, text, id) => el('div', {class: 'fr-alert fr-alert--' + kind, id,
                                                 role: kind === 'error' ? 'alert' : 'status'},
                                        el('p', {}, text));
const button = (label, attrs, onclick) => el('button', {type: 'button', class: 'fr-btn', ...attrs, onclick},
                                             label);
const link = (label, href, attrs) => el('a', {href, ...attrs}, label);

// --- header ---------------------------------------------------------------------------------------------

function renderNav() {
  const menu = el('details', {id: 'menu-demarches'}, el('summary', {}, 'Démarches'), el('ul', {},
    [['Demander ou renouveler un titre de séjour', '#/espace-personnel/mon-compte'],
     ["Demander l'accès à la nationalité française", '#/espace-personnel/mon-compte'],
     ['Demander une autorisation de travail', '#/espace-personnel/mon-compte'],
     ['Déclarer un changement de situation', '#/sejour/changement-situation'],
     ['Demander un document de voyage', '#/sejour/document-voyage'],
     ['Acheter un timbre fiscal', CONFIG.stamps_url]]
      .map(([label, href]) => el('li', {}, link(label, href)))));
  const items = [link('Accueil', '#/', {id: 'accueil_link'}), menu];
  if (me) {
    items.push(link('Mes Notifications', '#/espace-personnel/mes-notifications', {id: 'navBar-new'}),
      el('details', {id: 'menu-usager'}, el('summary', {}, me.usager.nom_affiche || me.usager.identifiant),
        el('ul', {},
          el('li', {}, link('ACCÉDER À MON COMPTE', '#/espace-personnel/mon-compte',
                            {id: 'mon-compte_link'})),
          el('li', {}, link('CHANGER MON MOT DE PASSE', CONFIG.password_url, {id: 'mot-de-passe_link'})),
          el('li', {}, link('Se déconnecter', '#/', {id: 'deconnexion_link', onclick: logout})))));
  } else {
    items.push(link('SE CONNECTER', '#/espace-personnel/connexion-inscription',
                    {id: 'connexion_link', class: 'fr-btn'}));
  }
  nav.replaceChildren(...items);
}

async function logout(event) {
  event.preventDefault();
  await api('POST', '/api/auth/deconnexion', {});
  me = null;
  renderNav();
  location.hash = '#/';
}

function signIn() {
  const state = randomId();
  sessionStorage.setItem('anef_state', state);
  const params = new URLSearchParams({client_id: CONFIG.client_id, theme: 'portail-anef',
    redirect_uri: CONFIG.portal + '/usagers/#', response_mode: 'fragment', response_type: 'code',
    scope: 'openid', state, nonce: randomId(), ui_locales: 'fr'});
  location.href = CONFIG.sso_auth + '?' + params.toString();
}

// --- pages ----------------------------------------------------------------------------------------------

function home(token) {
  show(token, h1('Étrangers en France'),
    el('p', {}, "Bienvenue sur le site de l'administration numérique pour les étrangers en France (ANEF)."),
    el('p', {}, 'Vous pouvez y faire vos démarches de titre de séjour, de naturalisation et de document ' +
                'de voyage.'),
    link('Se connecter', '#/espace-personnel/connexion-inscription', {class: 'fr-btn', id: 'se-connecter'}),
    link('Acheter un timbre fiscal', CONFIG.stamps_url,
         {class: 'fr-btn fr-btn--secondary', id: 'acheter-timbre'}));
}

function landing(token) {
  show(token, crumbs('Accueil', 'Connexion'), h1('Connexion'),
    el('section', {class: 'fr-card'}, el('h2', {}, 'Vous avez déjà un compte'),
      el('p', {}, 'Connectez-vous avec votre identifiant et votre mot de passe, ou avec FranceConnect.'),
      button('Se connecter', {id: 'btn-se-connecter'}, signIn)),
    el('section', {class: 'fr-card'}, el('h2', {}, 'CRÉATION DE COMPTE'),
      el('p', {}, 'Première visite ? Créez votre compte.'),
      link('Créer mon compte', '#/espace-personnel/creation-compte', {class: 'fr-btn fr-btn--secondary',
                                                                      id: 'creer-compte'})));
}

function errorText(errors, name) {
  if (!errors || !errors[name]) return null;
  return el('p', {class: 'fr-error-text', id: name + '-erreur'}, errors[name]);
}

function group(errors, name, ...children) {
  const wrong = errors && errors[name];
  return el('div', {class: 'fr-input-group' + (wrong ? ' fr-input-group--error' : '')}, ...children,
            errorText(errors, name));
}

function input(name, label, type, value, attrs) {
  const e = el('input', {type: type || 'text', id: name, name, class: 'fr-input', ...attrs});
  e.value = value || '';
  return [el('label', {for: name, class: 'fr-label'}, label), e];
}

function dateInputs(prefix, label, errors) {
  return group(errors, prefix, el('span', {class: 'fr-label'}, label),
    el('div', {class: 'dates'},
      el('input', {type: 'text', id: prefix + '_jour', class: 'fr-input', inputmode: 'numeric',
                   'aria-label': 'Jour', placeholder: 'Jour'}),
      el('select', {id: prefix + '_mois', class: 'fr-select', 'aria-label': 'Mois'},
         el('option', {value: ''}, 'Mois'), MONTHS.map((m, i) => el('option', {value: i + 1}, m))),
      el('input', {type: 'text', id: prefix + '_annee', class: 'fr-input', inputmode: 'numeric',
                   'aria-label': 'Année', placeholder: 'Année'})));
}

const value = id => (document.getElementById(id) || {}).value || '';

function signUp(token) {
  let registration = '';
  const title = () => [crumbs('Accueil', 'Connexion', 'Création de compte'), h1('Création de compte')];
  const choice = () => show(token, ...title(), el('p', {}, 'Vous êtes :'),
    button("Je suis étranger non européen, titulaire d'un visa ou d'un titre de séjour",
           {id: 'profil-etranger'}, () => identification()),
    button("Je suis français ou ressortissant de l'UE ou assimilés (Suisse, Norvège, Islande, Lichtenstein)",
           {id: 'profil-ue', class: 'fr-btn fr-btn--secondary'},
           () => app.append(alertBox('info', "Ce parcours n'est pas reproduit dans l'entraînement."))));
  const identification = (message) => show(token, ...title(), el('h2', {}, 'Identification'),
    message ? alertBox('error', message, 'erreur-identification') : null,
    el('p', {}, 'Les champs marqués d\'un * sont obligatoires'),
    group({}, 'numero', ...input('numero', 'Numéro de votre visa ou votre numéro étranger *', 'text', '',
                                 {placeholder: 'Exemple : 9999999999', inputmode: 'numeric'})),
    dateInputs('debut', 'Date de début de validité *'), dateInputs('fin', 'Date de fin de validité *'),
    button('Créer mon compte', {id: 'btn-creer-compte'}, async () => {
      const fields = ['numero', 'debut_jour', 'debut_mois', 'debut_annee', 'fin_jour', 'fin_mois',
                      'fin_annee'];
      const r = await api('POST', '/api/inscription/identification',
                          Object.fromEntries(fields.map(f => [f, value(f)])));
      if (r.ok) { registration = r.data.inscription; email(); return; }
      const kept = Object.fromEntries(fields.map(f => [f, value(f)]));
      identification(r.data.erreur);
      for (const [k, v] of Object.entries(kept)) document.getElementById(k).value = v;
    }));
  const email = (errors, message) => show(token, crumbs('Accueil', 'Connexion', 'Création de compte'),
    h1('Saisissez votre adresse email'), message ? alertBox('error', message, 'erreur-email') : null,
    el('p', {}, 'Les champs marqués d\'un * sont obligatoires'),
    group(errors, 'email', ...input('email', 'Adresse email * :', 'email', value('email'))),
    group(errors, 'email_confirmation', ...input('email_confirmation', "Confirmation de l'adresse email * :",
                                                 'email', value('email_confirmation'))),
    button('Valider', {id: 'btn-valider'}, async () => {
      const r = await api('POST', '/api/inscription/email', {
        inscription: registration, email: value('email'), email_confirmation: value('email_confirmation')});
      if (r.ok) sent(r.data.courriel); else email(r.data.erreurs || {}, r.data.erreur);
    }));
  const sent = mail => show(token, crumbs('Accueil', 'Connexion', 'Création de compte'),
    h1('Un courriel vous a été envoyé'),
    el('p', {}, 'Pour terminer la création de votre compte, ouvrez le courriel envoyé à ' + mail.a +
                ' et suivez le lien. Le lien est valable 24 heures.'),
    link("Retour à l'accueil", '#/', {class: 'fr-btn fr-btn--secondary', id: 'btn_span_RetourAccueil'}),
    el('aside', {class: 'practice-mail', id: 'courriel-entrainement'},
      el('p', {class: 'title'}, 'Entraînement : voici le courriel que vous recevriez dans votre messagerie.'),
      el('p', {}, 'À : ' + mail.a), el('p', {}, 'Objet : ' + mail.objet),
      ...mail.texte.split('\n').map(line => el('p', {}, line)),
      el('p', {}, link(mail.libelle, mail.lien, {id: 'lien-courriel'}))));
  choice();
}

async function password(token, route) {
  const key = route.params.get('token') || '';
  const check = await api('GET', '/api/inscription/jeton?token=' + encodeURIComponent(key));
  const title = 'Création de votre mot de passe';
  if (!check.ok || !check.data.valide) {
    show(token, h1(title),
         alertBox('error', "Ce lien n'est plus valable. Recommencez la création de votre compte.",
                  'lien-expire'));
    return;
  }
  const form = (errors) => show(token, h1(title),
    el('p', {}, 'Votre mot de passe doit contenir au moins 12 caractères, dont une majuscule, ' +
                'une minuscule, un chiffre et un caractère spécial.'),
    group(errors, 'mot_de_passe', ...input('mot_de_passe', 'Mot de passe *', 'password', '',
                                           {autocomplete: 'new-password'})),
    group(errors, 'confirmation', ...input('confirmation', 'Confirmation du mot de passe *', 'password', '',
                                           {autocomplete: 'new-password'})),
    button('Valider', {id: 'btn_CreerMDP'}, async () => {
      const r = await api('POST', '/api/inscription/mot-de-passe', {
        token: key, mot_de_passe: value('mot_de_passe'), confirmation: value('confirmation')});
      if (!r.ok) {
        if (r.data.erreurs) form(r.data.erreurs);
        else show(token, h1(title), alertBox('error', r.data.erreur));
        return;
      }
      show(token, h1('Votre compte est créé'),
        alertBox('success', 'Votre compte est créé. Votre identifiant de connexion est votre numéro ' +
                 'étranger : ' + r.data.identifiant + '.', 'compte-cree'),
        button('Se connecter', {id: 'btn-se-connecter'}, signIn));
    }));
  form({});
}

async function needAccount(token) {
  if (me) return true;
  if (token === current) location.replace('#/espace-personnel/connexion-inscription');
  return false;
}

async function dashboard(token) {
  if (!await needAccount(token)) return;
  const request = me.demande;
  show(token, crumbs('Accueil', 'Mon compte'), h1('Mon compte'),
    el('p', {}, 'Bonjour' + (me.usager.nom_affiche ? ' ' + me.usager.nom_affiche : '') + '.'),
    el('div', {class: 'tiles'},
      link('Je demande ou renouvelle un titre de séjour', '#/sejour/demande-titre-sejour',
           {class: 'fr-tile', id: 'tuile-titre-sejour'}),
      link('Je déclare un changement de situation', '#/sejour/changement-situation',
           {class: 'fr-tile', id: 'tuile-changement-situation'})),
    el('h2', {}, 'Mes demandes'),
    request && request.reference
      ? el('p', {id: 'demande-deposee'}, 'Demande de titre de séjour n° ' + request.reference +
           ', déposée le ' + request.depose_le + '.')
      : el('p', {}, request ? 'Vous avez une demande en cours.' : "Vous n'avez pas de demande en cours."),
    nationalityTab());
}

function nationalityTab() {
  // The personal space's tab «Demande d'accès à la Nationalité Française» (DSFR tabs, button.fr-tabs__tab;
  // C3 45d26d3 and e60b5b1, site-journey §5 and §10): a tab of #/espace-personnel/mon-compte, not a page
  // of its own. Its timeline ("frise") is not reproduced.
  const panel = el('div', {class: 'fr-tabs__panel', id: 'panneau-nationalite', role: 'tabpanel',
                           'aria-labelledby': 'onglet-nationalite', hidden: true},
    el('p', {}, "Le suivi de la demande de nationalité n'est pas reproduit dans l'entraînement."));
  const tab = el('button', {type: 'button', class: 'fr-tabs__tab', id: 'onglet-nationalite', role: 'tab',
                            'aria-selected': 'false', 'aria-controls': 'panneau-nationalite'},
                 "Demande d'accès à la Nationalité Française");
  tab.addEventListener('click', () => {
    const open = tab.getAttribute('aria-selected') !== 'true';
    tab.setAttribute('aria-selected', open ? 'true' : 'false');
    panel.hidden = !open;
  });
  const list = el('ul', {class: 'fr-tabs__list', role: 'tablist'}, el('li', {role: 'presentation'}, tab));
  return el('div', {class: 'fr-tabs'}, list, panel);
}

async function notifications(token) {
  if (!await needAccount(token)) return;
  const r = await api('GET', '/api/notifications');
  const items = r.ok ? r.data._items : [];
  show(token, crumbs('Accueil', 'Mes Notifications'), h1('Mes Notifications'),
    items.length ? el('ul', {}, items.map(n => el('li', {}, el('strong', {}, n.titre), ' (' + n.date + ') : ',
                                                         n.texte)))
                 : el('p', {}, "Vous n'avez pas de notification non lue."));
}

function travelDocument(token) {
  // #/sejour/document-voyage and its first choice (S12 GISTI, site-journey §14); the heading is the
  // Démarches menu's label [inferred]. Reached without an account (S12); the rest is not reproduced.
  show(token, crumbs('Accueil', 'Document de voyage'), h1('Demander un document de voyage'),
    el('div', {class: 'fr-checkbox-group'},
      el('input', {type: 'radio', name: 'voyage', id: 'voyage-demander', checked: true}), ' ',
      el('label', {for: 'voyage-demander'}, 'je souhaite demander ou renouveler')),
    alertBox('info', "La suite de cette démarche n'est pas reproduite dans l'entraînement."),
    link("Retour à l'accueil", '#/', {class: 'fr-btn fr-btn--secondary'}));
}

function changeOfSituation(token) {
  show(token, crumbs('Accueil', 'Mon compte'), h1('Déclarer un changement de situation'),
    alertBox('info', "Cette démarche n'est pas reproduite dans l'entraînement."),
    link('Retour à mon compte', '#/espace-personnel/mon-compte', {class: 'fr-btn fr-btn--secondary'}));
}

// --- the request wizard ---------------------------------------------------------------------------------

function wizardField(f, values, errors) {
  const label = f.label + (f.required ? ' *' : '');
  const hint = f.hint ? el('span', {class: 'fr-hint-text'}, f.hint) : null;
  if (f.kind === 'checkbox') {
    const box = el('input', {type: 'checkbox', id: f.name, name: f.name});
    box.checked = !!values[f.name];
    return el('div', {class: 'fr-checkbox-group'}, box, ' ', el('label', {for: f.name}, label),
              errorText(errors, f.name));
  }
  let control;
  if (f.kind === 'select') {
    control = el('select', {id: f.name, name: f.name, class: 'fr-select'},
                 el('option', {value: ''}, 'Sélectionnez une option'),
                 f.options.map(o => el('option', {value: o}, o)));
  } else if (f.kind === 'textarea') {
    control = el('textarea', {id: f.name, name: f.name, class: 'fr-input', rows: 4});
  } else {
    control = el('input', {type: f.kind, id: f.name, name: f.name, class: 'fr-input'});
  }
  control.value = values[f.name] || '';
  return group(errors, f.name, el('label', {for: f.name, class: 'fr-label'}, label, hint), control);
}

function collect(step) {
  const out = {etape: step.id};
  for (const f of step.champs) {
    const e = document.getElementById(f.name);
    if (e) out[f.name] = f.kind === 'checkbox' ? (e.checked ? 'oui' : '') : e.value;
  }
  return out;
}

async function wizard(token) {
  if (!await needAccount(token)) return;
  const r = await api('GET', '/api/sejour/demande');
  if (r.ok) draw(token, r.data);
}

async function act(token, action, extra) {
  const r = await api('POST', '/api/sejour/demande', {action, ...extra});
  if (r.status === 401) { location.replace('#/espace-personnel/connexion-inscription'); return null; }
  if (!r.data.etapes) {
    if (token === current) app.prepend(alertBox('error', r.data.erreur || 'Une erreur est survenue.'));
    return r;
  }
  draw(token, r.data, r.data.erreur);
  return r;
}

function draw(token, state, message) {
  if (state.etape === 'situation') return situation(token, state, message);
  if (state.etape === 'confirmation') return confirmation(token, state);
  const step = state.etapes.find(s => s.id === state.etape);
  const errors = state.erreurs || {};
  const last = step.id === 'recapitulatif';
  const body = [];
  if (step.id === 'justificatifs') body.push(...pieces(token, state, step, errors));
  if (last) {
    body.push(el('p', {}, 'Vérifiez les informations de votre demande avant de la déposer. ' +
                         'Après le dépôt, vous ne pourrez plus les modifier.'),
              el('table', {id: 'recapitulatif'},
                 state.recapitulatif.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
  }
  const fields = step.champs.filter(f => f.name !== 'code_ephoto')
    .map(f => wizardField(f, state.valeurs, errors));
  show(token, crumbs('Accueil', 'Mon compte', 'Demande de titre de séjour'),
    el('p', {class: 'fr-stepper', id: 'etape'}, 'Etape ' + state.numero_etape + '/' + state.total),
    h1(step.titre),
    Object.keys(errors).length ? alertBox('error', 'Certaines informations sont manquantes ou incorrectes. ' +
                                                   'Veuillez vérifier votre saisie.', 'erreurs') : null,
    el('p', {}, "Les champs marqués d'un * sont obligatoires"),
    ...body, ...fields,
    el('div', {class: 'actions'},
      state.numero_etape > 1
        ? button("< Revenir à l'étape précédente", {id: 'btn-precedent', class: 'fr-btn fr-btn--secondary'},
                 () => act(token, 'precedent', collect(step))) : null,
      button('Abandonner la demande', {id: 'btn-abandonner', class: 'fr-btn fr-btn--secondary'},
             () => askAbandon(token)),
      button('Quitter et revenir plus tard', {id: 'btn-quitter', class: 'fr-btn fr-btn--secondary'},
             async () => {
               await api('POST', '/api/sejour/demande', {action: 'quitter', ...collect(step)});
               location.hash = '#/espace-personnel/mon-compte';
             }),
      last ? button('Déposer la demande >', {id: 'btn-deposer'}, () => act(token, 'deposer', collect(step)))
           : button('Enregistrer et poursuivre >', {id: 'btn-poursuivre'},
                    () => act(token, 'enregistrer', collect(step)))));
}

function situation(token, state, message) {
  const early = state.trop_tot;
  show(token, crumbs('Accueil', 'Mon compte', 'Demande de titre de séjour'), h1('Votre situation actuelle'),
    message && !early ? alertBox('error', message) : null,
    el('section', {class: 'fr-card', id: 'titre-actuel'}, el('h2', {}, 'Votre titre de séjour'),
      el('p', {}, 'Numéro étranger : ' + state.titre.numero),
      el('p', {}, 'Valable du ' + state.titre.debut + ' au ' + state.titre.fin)),
    early ? alertBox('error', 'Il est trop tôt pour demander le renouvellement de votre titre', 'trop-tot')
          : null,
    early ? el('p', {}, 'Vous pourrez faire votre demande à partir du ' + early + '.') : null,
    el('div', {class: 'fr-checkbox-group'},
      el('input', {type: 'radio', name: 'choix', id: 'renouvellement', checked: true}), ' ',
      el('label', {for: 'renouvellement'}, 'Je sollicite le renouvellement de ce titre')),
    el('div', {class: 'fr-checkbox-group'},
      el('input', {type: 'radio', name: 'choix', id: 'autre-titre', disabled: true}), ' ',
      el('label', {for: 'autre-titre'}, 'JE SOLLICITE UN AUTRE TITRE DE SÉJOUR :'),
      el('span', {class: 'fr-hint-text'}, "(non reproduit dans l'entraînement)")),
    el('div', {class: 'fr-checkbox-group fr-ml-4w'},      // one of its choices (site.toml request_situation)
      el('input', {type: 'radio', name: 'autre', id: 'autre-salarie', disabled: true}), ' ',
      el('label', {for: 'autre-salarie'}, 'En tant que salarié - Hors passeport talent & hors Citoyen UE')),
    el('div', {class: 'fr-checkbox-group fr-ml-4w'},
      el('input', {type: 'radio', name: 'autre', id: 'autre-famille', disabled: true}), ' ',
      el('label', {for: 'autre-famille'}, 'En tant que membre de famille')),
    button(state.en_cours ? 'Je continue' : 'Je commence', {id: 'btn-je-commence', disabled: !!early},
           () => act(token, 'commencer', {})));
}

const deposited = file => 'Fichier déposé : ' + file.nom + ' (' +
                          Math.max(1, Math.round(file.taille / 1024)) + ' Ko)';

function pieces(token, state, step, errors) {
  const size = CONFIG.max_mo + ' Mo';
  const out = [el('p', {id: 'contraintes'}, 'Formats acceptés : PDF, JPG ou PNG. Taille maximale : ' + size +
                   ' par fichier. Les fichiers PDF protégés par un mot de passe ne sont pas acceptés.')];
  for (const p of step.pieces) {
    const done = state.pieces[p.name];
    const status = el('p', {id: p.name + '-etat', role: 'status'},
                      done ? deposited(done) : 'Aucun fichier déposé');
    const error = errorText(errors, p.name);
    const fileInput = el('input', {type: 'file', id: p.name, name: p.name, accept: CONFIG.accept});
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files[0];
      if (!file) return;
      const data = new FormData();
      data.append('piece', p.name);
      data.append('fichier', file, file.name);
      status.textContent = 'Envoi en cours…';
      const r = await api('POST', '/api/sejour/pieces', data);
      const old = document.getElementById(p.name + '-erreur');
      if (old) old.remove();
      if (r.ok) {
        state.pieces[p.name] = r.data;
        status.textContent = deposited(r.data);
      } else {
        status.textContent = done ? status.textContent : 'Aucun fichier déposé';
        status.after(el('p', {class: 'fr-error-text', id: p.name + '-erreur', role: 'alert'}, r.data.erreur));
      }
      fileInput.value = '';
    });
    out.push(el('div', {class: 'piece' + (error ? ' fr-input-group--error' : '')},
                el('label', {for: p.name, class: 'fr-label'}, p.label + ' *'), fileInput, status, error));
  }
  const photo = step.champs.find(f => f.name === 'code_ephoto');
  out.push(el('div', {class: 'piece'}, wizardField(photo, state.valeurs, errors),
    button('Confirmer', {id: 'btn-confirmer-ephoto', class: 'fr-btn fr-btn--secondary'},
           () => act(token, 'ephoto', {code_ephoto: value('code_ephoto'), ...collect(step)}))));
  return out;
}

function askAbandon(token) {
  const dialog = el('div', {class: 'modal', id: 'modale-abandon', role: 'dialog', 'aria-modal': 'true'},
    el('div', {}, el('p', {}, 'Voulez-vous vraiment abandonner votre demande ? Les informations saisies ' +
                              'seront supprimées.'),
      button('Oui, abandonner', {id: 'btn-confirmer-abandon'}, async () => {
        dialog.remove();
        await act(token, 'abandonner', {});
      }),
      button('Non', {id: 'btn-annuler-abandon', class: 'fr-btn fr-btn--secondary'}, () => dialog.remove())));
  app.append(dialog);
}

function confirmation(token, state) {
  show(token, crumbs('Accueil', 'Mon compte', 'Demande de titre de séjour'),
    el('p', {class: 'fr-stepper', id: 'etape'}, 'Etape ' + state.numero_etape + '/' + state.total),
    h1('Confirmation'),
    alertBox('success', 'Votre demande a bien été déposée.', 'demande-deposee'),
    el('p', {}, 'Numéro de demande : ', el('strong', {id: 'numero-demande'}, state.reference)),
    el('p', {}, 'Déposée le ' + state.depose_le + '.'),
    el('p', {}, "Cette confirmation n'est pas un titre de séjour. Gardez-la : elle prouve que vous avez " +
                'déposé votre demande.'),
    link('Télécharger ma confirmation de dépôt de demande', '/api/sejour/confirmation.pdf',
         {class: 'fr-btn', id: 'telecharger-confirmation'}),
    link('Retour à mon compte', '#/espace-personnel/mon-compte', {class: 'fr-btn fr-btn--secondary'}));
}

function notFound(token) {
  show(token, h1('Page introuvable'), link("Retour à l'accueil", '#/'));
}

// --- routing --------------------------------------------------------------------------------------------

const VIEWS = {
  '': home, '/': home,
  '/espace-personnel/connexion-inscription': landing,
  '/espace-personnel/creation-compte': signUp,
  '/espace-personnel/inscription/mot-de-passe': password,
  '/espace-personnel/mon-compte': dashboard,
  '/espace-personnel/mes-notifications': notifications,
  '/sejour/demande-titre-sejour': wizard,
  '/sejour/changement-situation': changeOfSituation,
  '/sejour/document-voyage': travelDocument,
};

async function signedIn(token, fragment) {
  // Back from the sign-on host: #state=…&session_state=…&code=… (response_mode=fragment).
  const params = new URLSearchParams(fragment);
  const expected = sessionStorage.getItem('anef_state');
  sessionStorage.removeItem('anef_state');
  const r = expected && params.get('state') === expected
    ? await api('POST', '/api/auth/code', {code: params.get('code') || ''}) : {ok: false, data: {}};
  if (r.ok) { location.replace('#/espace-personnel/mon-compte'); return; }
  show(token, h1('Connexion impossible'), alertBox('error', 'La connexion a échoué. Veuillez réessayer.'),
       button('Se connecter', {id: 'btn-se-connecter'}, signIn));
}

async function render() {
  const token = ++current;
  const route = parseHash();
  if (!route.raw.startsWith('/') && /(^|&)code=/.test(route.raw)) {
    await signedIn(token, route.raw);
    return;
  }
  const r = await api('GET', '/api/usager/moi');
  if (token !== current) return;
  me = r.ok ? r.data : null;
  renderNav();
  await (VIEWS[route.path] || notFound)(token, route);
}

const banner = document.getElementById('cookies');
if (localStorage.getItem('cookies-acceptes')) banner.remove();
else document.getElementById('accepter-cookies').addEventListener('click', () => {
  localStorage.setItem('cookies-acceptes', 'oui');
  banner.remove();
});
addEventListener('hashchange', render);
render();
})();
"""


def _shell(config_json: str, main: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(TITLE)} — {escape(BANNER)}</title>"
        '<link rel="stylesheet" href="/usagers/styles.css"></head><body>'
        '<div class="skip"><a href="#app">Accéder au contenu</a></div>'
        f'<div class="practice" role="note" id="entrainement">{escape(BANNER)}</div>'
        '<div class="cookies" id="cookies"><p>Ce site utilise des cookies qui garantissent le bon '
        "fonctionnement du site et permettent son optimisation. Sans eux, il ne peut pas fonctionner "
        "correctement. Ils sont activés par défaut et ne peuvent pas être désactivés.</p>"
        '<button type="button" class="fr-btn" id="accepter-cookies">Accepter les cookies nécessaires</button>'
        "</div>"
        '<header><div class="rf">République<br>Française</div>'
        f'<div class="site">{escape(TITLE)}<small>Direction générale des étrangers en France</small></div>'
        '<nav id="nav" aria-label="Menu principal"></nav></header>'
        f'<main id="app" tabindex="-1">{main}</main>'
        '<footer><a href="#/contact">Contact</a><a href="#/plandusite">Plan du site</a>'
        '<a href="#/mentions-legales">Mentions légales</a><a href="#/aide-accessibilite">Accessibilité</a>'
        "</footer>"
        f'<script type="application/json" id="replica-config">{config_json}</script>'
        '<script src="/usagers/main.js"></script></body></html>').encode()


def index_html(config: dict[str, object]) -> bytes:
    """The app's page: empty until the script draws the route (as an Angular app's index.html)."""
    return _shell(as_json(config), "<p>Chargement…</p>")


def not_found_html() -> bytes:
    return _shell("{}", "<h1>Page introuvable</h1>").replace(b'<script src="/usagers/main.js"></script>', b"")


ASSETS: dict[str, tuple[str, bytes]] = {
    "/usagers/styles.css": ("text/css; charset=utf-8", CSS.encode("utf-8")),
    "/usagers/main.js": ("text/javascript; charset=utf-8", JS.encode("utf-8")),
}
