"""The pack's texts must not contradict each other or the pack's own declarations (`content check`).

Pure: it reads the model objects `load_pack` built and the parsed contacts.toml, and returns problems.
A contradiction is reported at the second place, and its message names the first (file, procedure,
step, field), so the author sees both texts.

1. Phone numbers. Every French number in every visitor text (guides, costs, documents, site.toml) is
   found (10 digits from 0 or +33, spaced or not; 4-digit special numbers 3xxx; 1x/11x after "appelez
   le"/"composez le") and normalised to its digits. Each number is declared once in contacts.toml with
   its name, hours (or "unverified"), what the call costs and its source; a text cites only declared
   numbers, written exactly as declared (a no-break space counts as a space). A claim about the price
   ("gratuit", "numéro vert", "prix d'un appel normal", "non surtaxé", "surtaxé", "€/min") or the hours
   ("9 h", "lundi", "horaires"...) in the sentence of a number or the next one must agree with the
   declaration; unverified hours stay out of the visitor's text. A declared price must agree with the
   numbering plan (0800-0805 free, 0806-0809 and geographic/mobile/09 numbers a normal call, 081/082/089
   surcharged).
2. Amounts. "180 €", "1 000 euros", "55 EUR" in a text belong to the fee named in the same sentence,
   else in the next or the previous sentence of the paragraph: a structured cost's label, or a «quoted
   term» naming a fee (droit, taxe, frais, redevance, pénalité, majoration, amende). A cost's label and
   note belong to that cost. All amounts of one fee name, and all `amount_eur` of one cost id, agree
   across the pack; so do the `status` and `since` of one cost id. A visitor text states an amount only
   when a verified cost named by that fee (label equal to, or starting with, the fee name) has it: an
   amount read only in secondary sources stays in [[costs]] and out of the visitor's text. An amount no
   fee name claims is not compared.
3. Where and how a procedure is filed. A sentence of a guide is a filing claim when it has a filing verb
   (FILING_VERB: se fait, déposer, faire la demande, envoyer le dossier, valider, demander, déclarer...)
   and names one channel: online (ONLINE: sur internet, par internet, en ligne, sur le site de l'ANEF,
   sur l'ANEF, sur le téléservice) or offline (OFFLINE: en préfecture, au guichet, sur papier,
   formulaire/dossier papier, par courrier, par la poste). "à la préfecture" is not a channel: it names
   who receives the request ("vous le déclarez à la préfecture" is true of an online declaration). A
   negated claim ("ne se fait plus en préfecture") counts for the other channel; a sentence naming both
   channels is not a claim. A claim is exclusive (seulement, uniquement, exclusivement, ne … qu'),
   hedged (dans certains départements, parfois, souvent, selon la préfecture, vérifier que...), a
   substitute route (its paragraph says the site does not work), or plain. An online and an offline
   claim of the same guide, or of two guides of the same kind (KINDS), contradict when the online one is
   exclusive or the offline one is plain or exclusive: a local paper route or a fallback beside a general
   online rule is what the law asks for, not a contradiction. EXCEPTIONS lists what is legitimately
   filed otherwise, each with its reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.content.model import Document, Procedure, SiteMap
from kiosk.content.pack import PackProblem, is_https_url

CONTACTS_FILE = "contacts.toml"
CONTACT_FIELDS = {"number", "name", "hours", "charged", "source", "url", "date", "read", "note"}
UNVERIFIED = "unverified"
CHARGES = ("free", "normal call price", "surcharged", UNVERIFIED)

# Guides of the same kind file the same way; a guide not listed here is compared with itself only.
KINDS: dict[str, tuple[str, ...]] = {
    "renewal": ("renewal", "resident_card_renewal"),
    "first card": ("first_student", "first_talent"),
    "declaration": ("change_of_address", "change_of_situation"),
}
# Sentences about something that is legitimately filed another way than the guide's procedure.
EXCEPTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Only renewals of 10-year cards moved to the ANEF service (July 2024): a first resident card (or a
    # first 10-year Algerian certificate) is still filed at the prefecture.
    (re.compile(r"premi[eè]re? (?:demande de )?(?:carte de résident|certificat de résidence)", re.I),
     "first 10-year cards are filed at the prefecture"),
    # A cerfa form is a paper procedure of its own, e.g. the declaration of nationality by marriage
    # (F2726, cerfa n°15277) beside the online naturalisation request (F2213).
    (re.compile(r"\bcerfa\b|déclaration de nationalité", re.I), "a paper form of another procedure"),
)

_SP = "[ \u00a0\u202f]"
_SEP = "[ .\\-\u00a0\u202f]"
PHONE = re.compile(rf"(?<![\d+])(?:\+33{_SP}?(?:\(0\){_SP}?)?|0{_SEP}?)[1-9](?:{_SEP}?\d){{8}}(?!\d)"
                   rf"|(?<!\d)(?<!\d[,.])3\d{_SP}?\d\d(?!\d|[,.]\d|{_SP}?(?:€|euros?\b|EUR\b|%))")
CALLED = re.compile(r"\b(?:appel(?:ez|er)|compos(?:ez|er))\s+le\s+(1\d{1,2})\b(?!\s?(?:€|euros?\b|%))", re.I)
CHARGE_CLAIM = re.compile(
    r"(?P<normal>non[ -]surtax\w*|(?:prix|coût|tarif) d['’]un appel (?:normal|local)|au prix normal"
    r"|tarif normal)|(?P<surcharged>surtax\w*|€\s*(?:/|par)\s*min\w*|centimes? (?:la|par) minute)"
    r"|(?P<free>\bgratuit\w*|numéro vert|sans frais)", re.I)
CLAIMED = {"normal": "normal call price", "surcharged": "surcharged", "free": "free"}
HOURS_SPECIFIC = re.compile(r"\b\d{1,2}\s?h(?:\s?\d{2})?\b|\b\d{1,2}\s?heures?\b|\b24\s?h?\s?/\s?24\b"
                            r"|\b7\s?j(?:ours)?\s?/\s?7\b|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi"
                            r"|dimanche)s?\b|\bjours? (?:ouvrés|fériés)\b", re.I)
HOURS_GENERIC = re.compile(r"\bhoraires?\b|\bheures d['’]ouverture\b|\bouvert\b", re.I)

AMOUNT = re.compile(rf"(?<![\d,.])(\d{{1,3}}(?:{_SP}\d{{3}})+|\d+)(?:,(\d{{1,2}}))?{_SP}?"
                    r"(?:€|euros?\b|EUR\b)")
QUOTED = re.compile(r"«\s*([^»]+?)\s*»")
FEE_WORD = re.compile(r"\b(?:droits?|taxes?|frais|redevances?|pénalités?|majorations?|amendes?)\b", re.I)

FILING_VERB = re.compile(
    r"\bse (?:fait|font|fera|feront|faisait)\b|\bdépos(?:er|ez|e|ent|é|ée)\b|\bfaire (?:la|les|cette|"
    r"votre|vos|une) (?:\d+ )?demandes?\b|\b(?:faites|fait|font) (?:la|les|cette|votre) demande\b"
    r"|\benvoy(?:er|ez) (?:le|votre) dossier\b|\bvalid(?:er|ez)\b|\bdemand(?:er|ez)\b|\bdéclar(?:er|ez)\b",
    re.I)
ONLINE = re.compile(r"\bsur internet\b|\bpar internet\b|\ben ligne\b|\bsur le site de l['’]ANEF\b"
                    r"|\bsur l['’]ANEF\b|\bsur le téléservice\b", re.I)
OFFLINE = re.compile(r"\ben (?:sous-)?préfecture\b|\bau guichet\b|\bsur papier\b|\b(?:formulaire|dossier|"
                     r"demande)s? papier\b|\bpar courrier\b|\bpar la poste\b", re.I)
NEGATION = re.compile(r"\bne\b(?:(?!\bqu['’]).)*?\b(?:pas|plus|jamais)\b|\bn['’]\w+ (?:pas|plus|jamais)\b",
                      re.I)
EXCLUSIVE = re.compile(r"\bseulement\b|\buniquement\b|\bexclusivement\b|\bne\b[^.!?]*?\bqu['’]", re.I)
HEDGED = re.compile(r"\bdans certain(?:e)?s (?:départements|préfectures|cas)\b|\bparfois\b|\bsouvent\b"
                    r"|\bselon (?:le département|la préfecture|votre préfecture)\b|\bpeut-être\b"
                    r"|\bvérifi\w* (?:avec vous )?que\b", re.I)
SUBSTITUTE = re.compile(r"\ble site ne (?:marche|fonctionne) pas\b|\bdépôt en ligne est impossible\b"
                        r"|\ben cas de panne\b", re.I)


@dataclass(frozen=True)
class Place:
    file: str
    procedure: str = ""
    step: str = ""
    field: str = ""

    def __str__(self) -> str:
        parts = [self.file] + [f"{k} {v}" for k, v in (("procedure", self.procedure), ("step", self.step),
                                                       ("field", self.field)) if v]
        return ", ".join(parts)

    def problem(self, message: str) -> PackProblem:
        return PackProblem(self.file, message, self.procedure, self.step, self.field)


@dataclass(frozen=True)
class Text:
    place: Place
    text: str


@dataclass(frozen=True)
class Contact:
    number: str         # as written in contacts.toml, and so in every text
    digits: str
    name: str
    hours: str          # or "unverified": then no text states hours
    charged: str        # one of CHARGES
    place: Place


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    start: int
    end: int


def check(procedures: Mapping[str, Procedure], documents: Mapping[str, Document], site: SiteMap | None,
          contacts: Mapping[str, Any] | None,
          kinds: Mapping[str, tuple[str, ...]] = KINDS) -> list[PackProblem]:
    """Every contradiction of the pack; `contacts` is contacts.toml as read (None: the pack has none)."""
    texts = list(pack_texts(procedures, documents, site))
    declared, problems = read_contacts(contacts)
    problems += check_phones(texts, declared)
    problems += check_amounts(texts, procedures)
    problems += check_filing(procedures, kinds)
    return problems


def pack_texts(procedures: Mapping[str, Procedure], documents: Mapping[str, Document],
               site: SiteMap | None) -> Iterator[Text]:
    """Every text a visitor may read, with where it is."""
    for proc in procedures.values():
        yield from _guide_texts(proc)
        for cost in proc.costs:
            for name in ("label", "note"):
                yield Text(Place(proc.file, proc.id, "", f"costs[{cost.id}].{name}"), getattr(cost, name))
    for doc in documents.values():
        for name in ("name", "explanation", "pages"):
            yield Text(Place("documents.toml", field=f"{doc.id}.{name}"), getattr(doc, name))
        for i, alternative in enumerate(doc.alternatives):
            yield Text(Place("documents.toml", field=f"{doc.id}.alternatives[{i}]"), alternative)
    for i, host in enumerate(site.hosts if site else ()):
        yield Text(Place("site.toml", field=f"hosts[{i}].reason"), host.reason)
    for i, page in enumerate(site.pages if site else ()):
        yield Text(Place("site.toml", field=f"pages[{i}].title"), page.title)
        yield Text(Place("site.toml", field=f"pages[{i}].text"), page.text)
        for label, explanation in page.glossary:
            yield Text(Place("site.toml", field=f"pages[{i}].glossary[{label}]"), f"{label} : {explanation}")


def _guide_texts(proc: Procedure) -> Iterator[Text]:
    """The texts of a guide itself (titles, summary, steps), which say how its procedure is filed."""
    yield Text(Place(proc.file, proc.id, "", "title"), proc.title)
    yield Text(Place(proc.file, proc.id, "", "summary"), proc.summary)
    for step in proc.steps.values():
        here = Place(proc.file, proc.id, step.id)
        yield Text(Place(here.file, proc.id, step.id, "title"), step.title)
        yield Text(Place(here.file, proc.id, step.id, "text"), step.text)
        for answer in step.answers:
            yield Text(Place(here.file, proc.id, step.id, f"answers[{answer.id}].label"), answer.label)
        for term, explanation in step.glossary:
            yield Text(Place(here.file, proc.id, step.id, f"glossary[{term}]"), f"{term} : {explanation}")


def sentences(text: str) -> list[Sentence]:
    """Sentences (ending with . ! ? before a space or the end) within paragraphs (blank-line separated)."""
    out = []
    for p, para in enumerate(re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*", text)):
        for s in re.finditer(r"(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]+|$)", para.group()):
            if s.group().strip():
                out.append(Sentence(p, para.start() + s.start(), para.start() + s.end()))
    return out


def _index(spans: list[Sentence], pos: int) -> int:
    return next((i for i, s in enumerate(spans) if s.start <= pos < s.end), len(spans) - 1)


# --- 1. phone numbers ---------------------------------------------------------------------------------

def digits_of(number: str) -> str:
    """The number as dialled from France: +33 (0)8 06… and 08 06… are both 0806…"""
    digits = re.sub(r"\D", "", number)
    if number.lstrip().startswith("+33"):
        digits = digits[2:]
        digits = digits if digits.startswith("0") else "0" + digits
    return digits


def numbering_plan_charge(digits: str) -> str | None:
    """What a call costs by the French numbering plan (ARCEP), when its prefix says it."""
    if len(digits) != 10:
        return None
    if "0800" <= digits[:4] <= "0805":
        return "free"
    if "0806" <= digits[:4] <= "0809" or digits[:2] in ("01", "02", "03", "04", "05", "06", "07", "09"):
        return "normal call price"
    return "surcharged" if digits[:3] in ("081", "082", "089") else None


def phone_numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, as written) of every phone number in a French text."""
    found = [(m.start(), m.end(), m.group()) for m in PHONE.finditer(text)]
    found += [(m.start(1), m.end(1), m.group(1)) for m in CALLED.finditer(text)]
    return sorted(found)


def read_contacts(raw: Mapping[str, Any] | None) -> tuple[dict[str, Contact], list[PackProblem]]:
    """contacts.toml: [[contacts]] number, name, hours, charged, source, url, date, read (note)."""
    declared: dict[str, Contact] = {}
    problems: list[PackProblem] = []
    if raw is None:
        return declared, problems
    for key in sorted(set(raw) - {"contacts"}):
        problems.append(Place(CONTACTS_FILE, field=key).problem("unknown field (allowed: contacts)"))
    tables = raw.get("contacts", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        return declared, [*problems, Place(CONTACTS_FILE, field="contacts").problem(
            "expected [[contacts]] tables")]
    for i, table in enumerate(tables):
        contact = _contact(table, Place(CONTACTS_FILE, field=f"contacts[{i}]"), problems)
        if contact is None:
            continue
        if contact.digits in declared:
            problems.append(contact.place.problem(f"{contact.number} is declared twice; the first is at "
                                                  f"{declared[contact.digits].place}"))
            continue
        declared[contact.digits] = contact
    return declared, problems


def _contact(t: dict[str, Any], where: Place, problems: list[PackProblem]) -> Contact | None:
    def at(name: str, message: str) -> None:
        problems.append(Place(CONTACTS_FILE, field=f"{where.field}.{name}").problem(message))

    for key in sorted(set(t) - CONTACT_FIELDS):
        at(key, f"unknown field (allowed: {', '.join(sorted(CONTACT_FIELDS))})")
    values = {k: t.get(k) for k in ("number", "name", "hours", "charged", "source", "url")}
    missing = [key for key, value in values.items() if not isinstance(value, str) or not value.strip()]
    for key in missing:
        at(key, f"expected a non-empty text, got {values[key]!r:.40}")
    if missing:
        return None
    number, charged = str(values["number"]), str(values["charged"])
    if not (m := PHONE.fullmatch(number.strip())) or m.group() != number:
        at("number", f"expected one French phone number as visitors read it, got {number!r:.40}")
        return None
    if charged not in CHARGES:
        at("charged", f"expected one of {', '.join(CHARGES)}, got {charged!r:.40}")
        return None
    plan = numbering_plan_charge(digits_of(number))
    if plan and charged not in (plan, UNVERIFIED):
        at("charged", f"{number} is charged as {plan!r} by the French numbering plan, not {charged!r}")
    if not is_https_url(str(values["url"])):
        at("url", f"expected an https:// address, got {values['url']!r:.60}")
    for key in ("date", "read"):
        if type(t.get(key)) is not dt.date:
            at(key, f"expected a date (2026-12-07), got {t.get(key)!r:.40}")
    if not isinstance(t.get("note", ""), str):
        at("note", "expected text")
    return Contact(number, digits_of(number), str(values["name"]), str(values["hours"]), charged,
                   Place(CONTACTS_FILE, field=f"{where.field}.number"))


def check_phones(texts: list[Text], declared: Mapping[str, Contact]) -> list[PackProblem]:
    problems = []
    for item in texts:
        numbers = phone_numbers(item.text)
        if not numbers:
            continue
        spans = sentences(item.text)
        for _, _, written in numbers:
            contact = declared.get(digits_of(written))
            if contact is None:
                problems.append(item.place.problem(f"cites the phone number {written}, which is not declared "
                                                   f"in {CONTACTS_FILE}; expected it there with its hours, "
                                                   "price and source"))
            elif re.sub(r"[\u00a0\u202f]", " ", written) != contact.number:
                problems.append(item.place.problem(f"writes {written!r}, but {contact.place} writes "
                                                   f"{contact.number!r}; expected it written the same way"))
        problems += _claims(item, numbers, spans, declared)
    return problems


def _claims(item: Text, numbers: list[tuple[int, int, str]], spans: list[Sentence],
            declared: Mapping[str, Contact]) -> list[PackProblem]:
    """Price and hours claims next to a number must agree with the number's declaration."""
    problems = []
    claims = [(m.start(), "charge", m.lastgroup or "", m.group()) for m in CHARGE_CLAIM.finditer(item.text)]
    claims += [(m.start(), "hours", "specific", m.group()) for m in HOURS_SPECIFIC.finditer(item.text)]
    claims += [(m.start(), "hours", "generic", m.group()) for m in HOURS_GENERIC.finditer(item.text)]
    for pos, kind, value, said in claims:
        if any(start <= pos < end for start, end, _ in numbers):
            continue                                    # "16 h" inside a number is not an hour
        written = _number_of_claim(pos, numbers, spans)
        contact = declared.get(digits_of(written)) if written else None
        if contact is None:
            continue
        if kind == "charge" and contact.charged == UNVERIFIED:
            problems.append(item.place.problem(f"says {said!r} about {written}, whose price {contact.place} "
                                               "does not confirm; expected no price in the text"))
        elif kind == "charge" and CLAIMED[value] != contact.charged:
            problems.append(item.place.problem(f"says {said!r} about {written}, but {contact.place} declares "
                                               f"it {contact.charged!r}"))
        elif kind == "hours" and contact.hours == UNVERIFIED:
            problems.append(item.place.problem(f"states hours ({said!r}) for {written}, whose hours "
                                               f"{contact.place} does not confirm (unverified); expected "
                                               "no hours in the visitor's text"))
        elif kind == "hours" and value == "specific" and _squash(said) not in _squash(contact.hours):
            problems.append(item.place.problem(f"states {said!r} for {written}, but {contact.place} declares "
                                               f"the hours {contact.hours!r}"))
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text).casefold()


def _number_of_claim(pos: int, numbers: list[tuple[int, int, str]], spans: list[Sentence]) -> str | None:
    """The number a claim is about: the nearest one before it in its sentence, else the first one after
    it in its sentence, else the last one of the sentence just before (same paragraph)."""
    i = _index(spans, pos)
    here = [n for n in numbers if spans[i].start <= n[0] < spans[i].end]
    before = [n for n in here if n[0] < pos]
    if before or here:
        return (before[-1] if before else here[0])[2]
    if i > 0 and spans[i - 1].paragraph == spans[i].paragraph:
        previous = [n for n in numbers if spans[i - 1].start <= n[0] < spans[i - 1].end]
        return previous[-1][2] if previous else None
    return None


# --- 2. amounts ---------------------------------------------------------------------------------------

def _name(text: str) -> str:
    return " ".join(text.replace("«", " ").replace("»", " ").split()).casefold()


def _euros(match: re.Match[str]) -> float:
    whole = re.sub(r"\D", "", match.group(1))
    return float(f"{whole}.{match.group(2) or 0}")


def check_amounts(texts: list[Text], procedures: Mapping[str, Procedure]) -> list[PackProblem]:
    labels = {_name(c.label) for p in procedures.values() for c in p.costs if c.label.strip()}
    seen: list[tuple[tuple[str, str], float, Place, str]] = []      # (key, amount, place, how it is said)
    for proc in procedures.values():
        for cost in proc.costs:
            if cost.amount_eur is None:
                continue
            place = Place(proc.file, proc.id, "", f"costs[{cost.id}].amount_eur")
            seen.append((("cost id", cost.id), cost.amount_eur, place, f"{cost.amount_eur:g} €"))
            seen.append((("fee", _name(cost.label)), cost.amount_eur, place, f"{cost.amount_eur:g} €"))
    problems: list[PackProblem] = []
    for item in texts:
        own = _own_cost_label(item, procedures)
        spans = sentences(item.text)
        for m in AMOUNT.finditer(item.text):
            fee = _fee_of_amount(item.text, m.start(), spans, labels) or own
            if fee:
                seen.append((("fee", fee), _euros(m), item.place, m.group()))
                problems += _unverified(item.place, fee, _euros(m), m.group(), procedures)
    problems += _cost_ids_agree(procedures)
    first: dict[tuple[str, str], tuple[float, Place, str]] = {}
    for key, amount, place, said in seen:
        ref = first.setdefault(key, (amount, place, said))
        if abs(ref[0] - amount) > 0.005:
            problems.append(place.problem(f"says {said} for the {key[0]} {key[1]!r}, but {ref[1]} says "
                                          f"{ref[2]}; expected the same amount"))
    return problems


def _unverified(place: Place, fee: str, amount: float, said: str,
                procedures: Mapping[str, Procedure]) -> list[PackProblem]:
    """A visitor text may state an amount only when a verified cost of that name has it: the costs whose
    label is the fee name, or starts with it ("droit de visa de régularisation" names the late-renewal
    penalty "Droit de visa de régularisation, si la demande est en retard" and the L. 436-4 fee alike)."""
    named = [(proc, cost) for proc in procedures.values() for cost in proc.costs
             if cost.amount_eur is not None and _name(cost.label).startswith(fee)]
    if all(cost.verified for _, cost in named) or any(
            cost.verified and abs((cost.amount_eur or 0) - amount) <= 0.005 for _, cost in named):
        return []                       # none named, or verified ones: the comparison above reports
    proc, cost = next(((p, c) for p, c in named if abs((c.amount_eur or 0) - amount) <= 0.005), named[0])
    return [place.problem(f"says {said} for {fee!r}, an amount no primary source verifies "
                          f"({proc.file}, procedure {proc.id}, field costs[{cost.id}].status is "
                          f"{cost.status!r}); expected no amount in the visitor's text: the guide shows "
                          "the cost, and the site the amount")]


def _cost_ids_agree(procedures: Mapping[str, Procedure]) -> list[PackProblem]:
    """A cost id names one fee across the pack: its status and start date agree too (amounts: above)."""
    problems = []
    first: dict[str, tuple[Procedure, str, dt.date | None]] = {}
    for proc in procedures.values():
        for cost in proc.costs:
            if cost.amount_eur is None:
                continue
            ref = first.setdefault(cost.id, (proc, cost.status, cost.since))
            for name, mine, theirs in (("status", cost.status, ref[1]), ("since", cost.since, ref[2])):
                if mine != theirs:
                    problems.append(Place(proc.file, proc.id, "", f"costs[{cost.id}].{name}").problem(
                        f"says {name} {mine!s}, but {ref[0].file}, procedure {ref[0].id}, field "
                        f"costs[{cost.id}].{name} says {theirs!s}; expected one fee, one {name}"))
    return problems


def _own_cost_label(item: Text, procedures: Mapping[str, Procedure]) -> str:
    """A cost's label or note is about that cost."""
    m = re.fullmatch(r"costs\[(.+)\]\.(?:label|note)", item.place.field)
    proc = procedures.get(item.place.procedure)
    if not m or proc is None:
        return ""
    return next((_name(c.label) for c in proc.costs if c.id == m.group(1)), "")


def _fees_in(text: str, span: Sentence, labels: set[str]) -> list[tuple[int, str]]:
    part = text[span.start:span.end]
    found = [(span.start + m.start(), _name(m.group(1))) for m in QUOTED.finditer(part)
             if FEE_WORD.search(m.group(1))]
    folded = _name(part)
    found += [(span.start + folded.find(label), label) for label in labels if label in folded]
    return found


def _fee_of_amount(text: str, pos: int, spans: list[Sentence], labels: set[str]) -> str:
    """The fee an amount is for: the name nearest to it in its sentence, else in the next sentence, else in
    the previous one, within its paragraph."""
    i = _index(spans, pos)
    for j in (i, i + 1, i - 1):
        if 0 <= j < len(spans) and spans[j].paragraph == spans[i].paragraph:
            if fees := _fees_in(text, spans[j], labels):
                return min(fees, key=lambda f: abs(f[0] - pos))[1]
    return ""


# --- 3. where and how a procedure is filed ------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    channel: str        # "online" or "offline"
    strength: str       # "exclusive", "hedged", "substitute" or "plain"
    said: str           # the sentence
    place: Place


def filing_claims(proc: Procedure) -> list[Claim]:
    claims = []
    for item in _guide_texts(proc):
        spans = sentences(item.text)
        for s in spans:
            sentence = item.text[s.start:s.end]
            online, offline = ONLINE.search(sentence), OFFLINE.search(sentence)
            if not FILING_VERB.search(sentence) or bool(online) == bool(offline):
                continue
            if any(pattern.search(sentence) for pattern, _ in EXCEPTIONS):
                continue
            negated = NEGATION.search(sentence) is not None
            channel = "online" if bool(online) != negated else "offline"
            paragraph = " ".join(item.text[p.start:p.end] for p in spans if p.paragraph == s.paragraph)
            strength = ("exclusive" if EXCLUSIVE.search(sentence) else "hedged" if HEDGED.search(sentence)
                        else "substitute" if SUBSTITUTE.search(paragraph) else "plain")
            claims.append(Claim(channel, strength, " ".join(sentence.split()), item.place))
    return claims


def _contradict(online: Claim, offline: Claim) -> bool:
    return online.strength == "exclusive" or offline.strength in ("plain", "exclusive")


def check_filing(procedures: Mapping[str, Procedure],
                 kinds: Mapping[str, tuple[str, ...]] = KINDS) -> list[PackProblem]:
    """Each offline claim is reported once, against the first online claim it contradicts: its own
    guide's first, then those of the guides of the same kind."""
    claims = {pid: filing_claims(proc) for pid, proc in procedures.items()}
    problems = []
    for pid, own in claims.items():
        peers = [pid] + [other for ids in kinds.values() if pid in ids for other in ids
                         if other != pid and other in claims]
        for offline in (c for c in own if c.channel == "offline"):
            online = next((c for peer in peers for c in claims[peer]
                           if c.channel == "online" and _contradict(c, offline)), None)
            if online is not None:
                problems.append(offline.place.problem(
                    f"says the procedure is filed offline ({offline.strength}: {offline.said!r}), but "
                    f"{online.place} says it is filed online ({online.strength}: {online.said!r})"))
    return problems
