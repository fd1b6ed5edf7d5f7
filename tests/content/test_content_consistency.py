"""The consistency check (kiosk.content.consistency, run by load_pack): small packs that contradict
themselves on phone numbers, amounts, or where a procedure is filed fail with a problem naming both
places; the shipped pack passes, and the kiosk's own printed numbers are the pack's declared ones."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.content import consistency
from kiosk.content.pack import PackError, PackProblem, load_pack
from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.receipts import builder, compose

MakePack = Callable[..., Path]
FILE = "procedures/demo.toml"

CONTACTS = '''[[contacts]]
number = "0 806 001 620"
name = "Centre de contact citoyens"
hours = "unverified"
charged = "normal call price"
source = "Arrêté du 1er août 2023"
url = "https://www.legifrance.gouv.fr/"
date = 2023-08-01
read = 2026-12-07

[[contacts]]
number = "01 23 45 67 89"
name = "Accueil de la préfecture"
hours = "du lundi au vendredi, de 9 h à 16 h"
charged = "normal call price"
source = "Page de la préfecture"
url = "https://www.example.gouv.fr/"
date = 2026-01-05
read = 2026-12-07
'''


def problems(root: Path) -> list[PackProblem]:
    with pytest.raises(PackError) as info:
        load_pack(root)
    return info.value.problems


def only(root: Path) -> PackProblem:
    found = problems(root)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def where(p: PackProblem) -> tuple[str, str, str, str]:
    return (p.file, p.procedure, p.step, p.field)


def with_text(procedure: str, step: str, text: str) -> str:
    """The small pack's procedure with `text` as the text of one of its steps."""
    anchor = {"intro": 'title = "Bienvenue"\n', "docs": 'title = "Vos documents"\n',
              "end": 'title = "Fini"\n'}[step]
    assert procedure.count(anchor) == 1
    return procedure.replace(anchor, f'{anchor}text = """{text}"""\n')


def guide(pid: str, welcome: str, end: str = "C'est fini.") -> str:
    """A whole second guide for packs of two guides."""
    return (f'id = "{pid}"\ntitle = "Guide {pid}"\nsummary = "Un guide."\n'
            'official_url = "https://administration-etrangers-en-france.interieur.gouv.fr/"\n'
            'checked = 2026-01-01\nstart = "welcome"\n\n[[sources]]\nref = "F2209"\n'
            'url = "https://www.service-public.fr/particuliers/vosdroits/F2209"\ndate = 2024-04-22\n\n'
            f'[[steps]]\nid = "welcome"\nkind = "info"\ntitle = "Bienvenue"\ntext = """{welcome}"""\n'
            f'next = "end"\n\n[[steps]]\nid = "end"\nkind = "end"\ntitle = "Fini"\ntext = """{end}"""\n')


# --- the shipped pack -------------------------------------------------------------------------------

def test_shipped_pack_has_no_contradiction() -> None:
    pack = load_pack(DEFAULT_PACK)
    raw = tomllib.loads((DEFAULT_PACK / "contacts.toml").read_text(encoding="utf-8"))
    assert consistency.check(pack.procedures, pack.documents, pack.site, raw) == []


def test_shipped_contacts_say_the_contact_centre_call_is_charged_and_its_hours_unverified() -> None:
    raw = tomllib.loads((DEFAULT_PACK / "contacts.toml").read_text(encoding="utf-8"))
    declared, found = consistency.read_contacts(raw)
    assert found == []
    ccc = declared["0806001620"]
    assert (ccc.number, ccc.charged, ccc.hours) == ("0 806 001 620", "normal call price", "unverified")


def test_the_kiosks_printed_numbers_are_the_packs_declared_ones() -> None:
    declared, _ = consistency.read_contacts(
        tomllib.loads((DEFAULT_PACK / "contacts.toml").read_text(encoding="utf-8")))
    for number in (builder.CONTACT_CENTRE, compose.CONTACT_CENTRE_PHONE, compose.DEFENSEUR_PHONE):
        assert declared[consistency.digits_of(number)].number == number


def test_the_receipts_contact_line_says_the_call_is_charged_not_free() -> None:
    label = builder.CONTACT_CENTRE_LABEL
    assert "free" not in label and "normal call" in label
    fr = Translator(LANGUAGES["fr"])
    assert "gratuit" not in fr.tr(label) and "appel normal" in fr.tr(label)


# --- 1. phone numbers -------------------------------------------------------------------------------

def test_a_cited_number_must_be_declared(make_pack: MakePack, procedure_toml: str) -> None:
    p = only(make_pack(with_text(procedure_toml, "intro", "Appelez le 0 806 001 620.")))
    assert where(p) == (FILE, "demo", "intro", "text")
    assert "0 806 001 620" in p.message and "not declared in contacts.toml" in p.message


@pytest.mark.parametrize("written", ["08 06 00 16 20", "0806001620", "+33 8 06 00 16 20"])
def test_a_declared_number_is_written_as_declared(make_pack: MakePack, procedure_toml: str,
                                                   written: str) -> None:
    p = only(make_pack(with_text(procedure_toml, "docs", f"Appelez le {written}."),
                       extra_files={"contacts.toml": CONTACTS}))
    assert where(p) == (FILE, "demo", "docs", "text")
    assert "contacts.toml, field contacts[0].number" in p.message and "'0 806 001 620'" in p.message


def test_a_no_break_space_counts_as_a_space(make_pack: MakePack, procedure_toml: str) -> None:
    load_pack(make_pack(with_text(procedure_toml, "intro", "Appelez le 0\u00a0806\u00a0001\u00a0620."),
                        extra_files={"contacts.toml": CONTACTS}))


def test_saying_the_contact_centre_is_free_contradicts_its_declaration(make_pack: MakePack,
                                                                      procedure_toml: str) -> None:
    text = "Le centre de contact répond au 0 806 001 620. L'appel est gratuit."
    p = only(make_pack(with_text(procedure_toml, "intro", text), extra_files={"contacts.toml": CONTACTS}))
    assert where(p) == (FILE, "demo", "intro", "text")
    assert "'gratuit'" in p.message and "contacts.toml, field contacts[0].number" in p.message
    assert "'normal call price'" in p.message


def test_saying_the_normal_price_agrees(make_pack: MakePack, procedure_toml: str) -> None:
    text = ("Le centre de contact répond au 0 806 001 620. L'appel coûte le prix d'un appel normal.\n\n"
            "Le Défenseur des droits est gratuit.")       # another paragraph, no number: not about it
    load_pack(make_pack(with_text(procedure_toml, "intro", text), extra_files={"contacts.toml": CONTACTS}))


def test_unverified_hours_stay_out_of_the_text(make_pack: MakePack, procedure_toml: str) -> None:
    text = "Appelez le 0 806 001 620, du lundi au vendredi de 9 h à 17 h."
    found = problems(make_pack(with_text(procedure_toml, "end", text),
                               extra_files={"contacts.toml": CONTACTS}))
    assert found and all(where(p) == (FILE, "demo", "end", "text") for p in found)
    assert all("unverified" in p.message for p in found)


def test_declared_hours_must_match(make_pack: MakePack, procedure_toml: str) -> None:
    good = "Appelez le 01 23 45 67 89, du lundi au vendredi de 9 h à 16 h."
    load_pack(make_pack(with_text(procedure_toml, "end", good), extra_files={"contacts.toml": CONTACTS}))
    p = only(make_pack(with_text(procedure_toml, "end", good.replace("16 h", "18 h")),
                       extra_files={"contacts.toml": CONTACTS}))
    assert "'18 h'" in p.message and "contacts.toml, field contacts[1].number" in p.message


def test_numbers_are_found_in_documents_and_the_site_map_too(make_pack: MakePack) -> None:
    documents = ('[passport]\nname = "Passeport"\n'
                 'explanation = "Votre passeport. Questions : 09 69 39 00 00."\n')
    p = only(make_pack(documents=documents, extra_files={"contacts.toml": CONTACTS}))
    assert where(p) == ("documents.toml", "", "", "passport.explanation")


@pytest.mark.parametrize(("entry", "message"), [
    ('number = "0 806 001 620"', "declared twice"),
    ('number = "0 800 123 456"\ncharged = "normal call price"', "'free' by the French numbering plan"),
    ('number = "3939"\ncharged = "cheap"', "expected one of free, normal call price"),
    ('number = "le 0 806 001 620"', "expected one French phone number"),
])
def test_contacts_toml_is_checked(make_pack: MakePack, entry: str, message: str) -> None:
    extra = ('\n[[contacts]]\nname = "Autre"\nhours = "unverified"\nsource = "S"\n'
             'url = "https://www.example.gouv.fr/"\ndate = 2026-01-01\nread = 2026-12-07\n' + entry + "\n")
    if "charged" not in entry:
        extra += 'charged = "normal call price"\n'
    p = only(make_pack(extra_files={"contacts.toml": CONTACTS + extra}))
    assert p.file == "contacts.toml" and p.field.startswith("contacts[2]") and message in p.message


def test_phone_numbers_are_recognised_and_normalised() -> None:
    text = "Le 0 806 001 620, le +33 (0)1 23 45 67 89, le 39 39, composez le 115. 16 chiffres, 1 300 €."
    assert [consistency.digits_of(n) for _, _, n in consistency.phone_numbers(text)] == [
        "0806001620", "0123456789", "3939", "115"]


# --- 2. amounts -------------------------------------------------------------------------------------

LATE = "Vous devrez peut-être payer {} en plus. Ce montant s'appelle «droit de visa de régularisation»."


def test_one_fee_with_two_amounts_in_two_guides(make_pack: MakePack, procedure_toml: str) -> None:
    root = make_pack(with_text(procedure_toml, "intro", LATE.format("180 €")),
                     extra_files={"procedures/other.toml": guide("other", LATE.format("200 euros"))})
    p = only(root)
    assert where(p) == ("procedures/other.toml", "other", "welcome", "text")
    assert "200 euros" in p.message and "180 €" in p.message
    assert f"{FILE}, procedure demo, step intro, field text" in p.message


def test_the_same_fee_with_the_same_amount_passes(make_pack: MakePack, procedure_toml: str) -> None:
    load_pack(make_pack(with_text(procedure_toml, "intro", LATE.format("180 €")),
                        extra_files={"procedures/other.toml": guide("other", LATE.format("180 euros"))}))


def test_an_amount_for_another_thing_is_not_compared(make_pack: MakePack, procedure_toml: str) -> None:
    other = "Le «timbre fiscal électronique» coûte 50 €."           # not a fee name: the means of payment
    load_pack(make_pack(with_text(procedure_toml, "intro", LATE.format("180 €") + "\n\n" + other)))


def cost(cid: str, label: str, amount: int, status: str = "verified", since: str = "2021-05-01") -> str:
    return (f'\n[[costs]]\nid = "{cid}"\nlabel = "{label}"\namount_eur = {amount}\nstatus = "{status}"\n'
            f'since = {since}\nsource = "CESEDA"\nurl = "https://www.legifrance.gouv.fr/x"\n'
            'read = 2026-12-08\n')


def test_one_cost_id_with_two_amounts(make_pack: MakePack, procedure_toml: str) -> None:
    mine = procedure_toml.replace("\n[[steps]]", cost("stamp", "Timbre fiscal", 225) + "\n[[steps]]", 1)
    other = guide("other", "Bienvenue.").replace("\n[[steps]]", cost("stamp", "Taxe", 250) + "\n[[steps]]", 1)
    p = only(make_pack(mine, extra_files={"procedures/other.toml": other}))
    assert where(p) == ("procedures/other.toml", "other", "", "costs[stamp].amount_eur")
    assert "cost id 'stamp'" in p.message and "procedures/demo.toml, procedure demo" in p.message


def test_one_cost_label_with_two_amounts(make_pack: MakePack, procedure_toml: str) -> None:
    mine = procedure_toml.replace("\n[[steps]]", cost("late", "Droit de visa de régularisation", 180)
                                  + "\n[[steps]]", 1)
    p = only(make_pack(with_text(mine, "end", LATE.format("200 €"))))
    assert where(p) == (FILE, "demo", "end", "text")
    assert "'droit de visa de régularisation'" in p.message and "costs[late].amount_eur" in p.message


def with_cost(procedure: str, text: str) -> str:
    return procedure.replace("\n[[steps]]", text + "\n[[steps]]", 1)


LATE_PENALTY = "Droit de visa de régularisation, si la demande est en retard"
ENTRY_FEE = "Droit de visa de régularisation, si vous êtes entré sans visa"


def test_a_visitor_text_may_not_state_an_unverified_amount(make_pack: MakePack, procedure_toml: str) -> None:
    mine = with_cost(procedure_toml, cost("entry", ENTRY_FEE, 300, status="secondary", since="2026-05-01"))
    p = only(make_pack(with_text(mine, "end", LATE.format("300 €"))))
    assert where(p) == (FILE, "demo", "end", "text")
    assert "no primary source verifies" in p.message and "costs[entry].status is 'secondary'" in p.message


def test_an_unverified_amount_in_the_costs_own_note_is_refused(make_pack: MakePack,
                                                               procedure_toml: str) -> None:
    note = 'note = "Vous payez 300 € avec un «timbre fiscal électronique»."\n'
    mine = with_cost(procedure_toml, cost("entry", ENTRY_FEE, 300, status="secondary") + note)
    p = only(make_pack(mine))
    assert where(p) == (FILE, "demo", "", "costs[entry].note")


def test_a_verified_amount_may_be_repeated_beside_an_unverified_fee_of_the_same_name(
        make_pack: MakePack, procedure_toml: str) -> None:
    """«droit de visa de régularisation» names both the late-renewal penalty (verified 180 €) and the
    fee for an entry without visa (secondary 300 €): the text's 180 € is the verified one."""
    mine = with_cost(procedure_toml, cost("late", LATE_PENALTY, 180)
                     + cost("entry", ENTRY_FEE, 300, status="secondary", since="2026-05-01"))
    load_pack(make_pack(with_text(mine, "end", LATE.format("180 €"))))


def test_one_cost_id_with_two_statuses_or_start_dates(make_pack: MakePack, procedure_toml: str) -> None:
    mine = with_cost(procedure_toml, cost("stamp", "Droit de timbre sur la carte", 50))
    other = guide("other", "Bienvenue.").replace(
        "\n[[steps]]", cost("stamp", "Droit de timbre sur la carte", 50, status="secondary",
                            since="2026-05-01") + "\n[[steps]]", 1)
    found = problems(make_pack(mine, extra_files={"procedures/other.toml": other}))
    assert sorted(p.field for p in found) == ["costs[stamp].since", "costs[stamp].status"]
    assert all(p.file == "procedures/other.toml" and "procedures/demo.toml, procedure demo" in p.message
               for p in found)


def test_shipped_costs_share_ids_and_keep_unverified_amounts_out_of_visitor_texts() -> None:
    """Every guide's payments are structured; one id is one fee across guides; only verified amounts
    appear in the texts (load_pack runs the check: this pack loads)."""
    pack = load_pack(DEFAULT_PACK)
    paying = ["renewal", "resident_card_renewal", "duplicate_card", "change_of_address",
              "change_of_situation", "first_student", "first_talent", "minor_travel_document",
              "naturalisation", "vls_ts_validation"]
    assert all(pack.procedures[p].costs for p in paying)
    by_id: dict[str, set[tuple[float | None, str]]] = {}
    for proc in pack.procedures.values():
        for c in proc.costs:
            by_id.setdefault(c.id, set()).add((c.amount_eur, c.status))
            assert c.amount_eur is None or (c.source and c.url.startswith("https://") and c.read and c.since)
    assert all(len(v) == 1 for v in by_id.values()), by_id
    assert by_id["late_renewal_penalty"] == {(180.0, "verified")}
    assert by_id["renewal_tax"] == {(200.0, "secondary")}
    assert by_id["card_stamp_duty"] == {(50.0, "secondary")}
    assert by_id["naturalisation_stamp"] == {(255.0, "secondary")}

# --- 3. where and how a procedure is filed ----------------------------------------------------------

ONLINE = "La demande se fait sur internet, sur le site de l'ANEF."


@pytest.mark.parametrize("offline", [
    "La demande se fait en préfecture.",
    "Vous déposez le dossier au guichet.",
    "Vous faites la demande sur papier.",
    "La demande ne se fait pas sur internet.",                 # negated online: offline
])
def test_online_and_offline_in_one_guide(make_pack: MakePack, procedure_toml: str, offline: str) -> None:
    p = only(make_pack(with_text(with_text(procedure_toml, "intro", ONLINE), "docs", offline)))
    assert where(p) == (FILE, "demo", "docs", "text")
    assert f"{FILE}, procedure demo, step intro, field text" in p.message and "online" in p.message


@pytest.mark.parametrize("offline", [
    "Dans certains départements, cette demande se fait encore sur papier.",    # a local exception
    "Le site ne marche pas ? Vous pouvez envoyer le dossier par courrier.",    # the substitute route
    "Vous le déclarez à la préfecture.",                       # who receives it, not how it is filed
    "La première carte de résident se fait en préfecture.",    # first 10-year cards: EXCEPTIONS
    "Elle se fait avec un formulaire papier : le «cerfa n°15277».",            # another procedure
    "La demande ne se fait plus en préfecture.",               # negated offline: online
    "Le titre se fait en préfecture ou sur internet.",         # both channels: not a claim
    "Vous allez chercher la carte en préfecture.",             # no filing verb
])
def test_what_does_not_contradict_a_plain_online_rule(make_pack: MakePack, procedure_toml: str,
                                                      offline: str) -> None:
    load_pack(make_pack(with_text(with_text(procedure_toml, "intro", ONLINE), "docs", offline)))


def test_only_online_contradicts_even_a_substitute_route(make_pack: MakePack, procedure_toml: str) -> None:
    only_online = "La demande se fait seulement sur internet."
    fallback = "Le site ne marche pas ? Vous pouvez aussi envoyer le dossier par courrier."
    p = only(make_pack(with_text(with_text(procedure_toml, "intro", only_online), "end", fallback)))
    assert where(p) == (FILE, "demo", "end", "text")
    assert "substitute" in p.message and "exclusive" in p.message


@pytest.mark.parametrize(("ids", "contradiction"), [
    (("renewal", "resident_card_renewal"), True),          # the same kind: KINDS
    (("renewal", "naturalisation"), False),                # different kinds
])
def test_two_guides_of_the_same_kind(make_pack: MakePack, ids: tuple[str, str], contradiction: bool) -> None:
    a, b = ids
    root = make_pack(guide(a, ONLINE), name=a,
                     extra_files={f"procedures/{b}.toml": guide(b, "La demande se fait en préfecture.")})
    if not contradiction:
        load_pack(root)
        return
    p = only(root)
    assert where(p) == (f"procedures/{b}.toml", b, "welcome", "text")
    assert f"procedures/{a}.toml, procedure {a}, step welcome, field text" in p.message


def test_the_filing_phrases_are_read_sentence_by_sentence() -> None:
    text = "Un. Deux : timbres.impots.gouv.fr ici ?\n\nTrois"
    assert [(s.paragraph, text[s.start:s.end].strip()) for s in consistency.sentences(text)] == [
        (0, "Un."), (0, "Deux : timbres.impots.gouv.fr ici ?"), (1, "Trois")]
