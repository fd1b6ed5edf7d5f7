"""`content check`: the shipped pack passes; each kind of broken pack fails with a message that names
the file, procedure, step and field concerned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.content.pack import PackError, PackProblem, load_pack
from kiosk.paths import DEFAULT_PACK

MakePack = Callable[..., Path]

FILE = "procedures/demo.toml"
END_STEP = '[[steps]]\nid = "end"\nkind = "end"\ntitle = "Fini"\n'


def only_problem(root: Path) -> PackProblem:
    with pytest.raises(PackError) as info:
        load_pack(root)
    found = info.value.problems
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def where(p: PackProblem) -> tuple[str, str, str, str]:
    return (p.file, p.procedure, p.step, p.field)


def test_shipped_pack_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(DEFAULT_PACK)]) == 0
    assert "OK" in capsys.readouterr().out
    assert {"renewal", "change_of_address"} <= set(load_pack(DEFAULT_PACK).procedures)


def test_small_valid_pack_passes(make_pack: MakePack) -> None:
    assert set(load_pack(make_pack()).procedures) == {"demo"}


def test_broken_pack_exits_2_and_prints_every_problem(make_pack: MakePack, procedure_toml: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = make_pack(procedure_toml.replace('next = "which"', 'next = "nowhere"'))
    assert main(["content", "check", str(root)]) == 2
    err = capsys.readouterr().err
    assert f"{FILE}, procedure demo, step intro, field next: leads to step 'nowhere'" in err


def test_missing_next_target(make_pack: MakePack, procedure_toml: str) -> None:
    p = only_problem(make_pack(procedure_toml.replace('label = "Branche B"\n  next = "end"',
                                                      'label = "Branche B"\n  next = "nowhere"')))
    assert where(p) == (FILE, "demo", "which", "answers[b].next")
    assert "'nowhere'" in p.message and "does not exist" in p.message


def test_unreachable_step(make_pack: MakePack, procedure_toml: str) -> None:
    p = only_problem(make_pack(procedure_toml + END_STEP.replace('"end"\nkind', '"orphan"\nkind')))
    assert where(p) == (FILE, "demo", "orphan", "")
    assert "cannot be reached" in p.message


def test_step_with_no_path_to_an_end(make_pack: MakePack, procedure_toml: str) -> None:
    looping = procedure_toml.replace('label = "Branche B"\n  next = "end"',
                                     'label = "Branche B"\n  next = "loop"')
    looping += '[[steps]]\nid = "loop"\nkind = "info"\ntitle = "Encore"\nnext = "loop"\n'
    p = only_problem(make_pack(looping))
    assert where(p) == (FILE, "demo", "loop", "")
    assert "no path" in p.message and "end step" in p.message


def test_unknown_field(make_pack: MakePack, procedure_toml: str) -> None:
    text = procedure_toml.replace('title = "Bienvenue"', 'title = "Bienvenue"\ncolour = "red"')
    p = only_problem(make_pack(text))
    assert where(p) == (FILE, "demo", "intro", "colour")
    assert "unknown field" in p.message


def test_unknown_document(make_pack: MakePack, procedure_toml: str) -> None:
    p = only_problem(make_pack(procedure_toml.replace('documents = ["passport"]', 'documents = ["visa"]')))
    assert where(p) == (FILE, "demo", "docs", "documents")
    assert "'visa' is not defined in documents.toml" in p.message


@pytest.mark.parametrize(("url", "field"), [
    ('official_url = "http://administration-etrangers-en-france.interieur.gouv.fr/"', "official_url"),
    ('official_url = "https://not a url"', "official_url"),
])
def test_bad_official_url(make_pack: MakePack, procedure_toml: str, url: str, field: str) -> None:
    text = procedure_toml.replace(
        'official_url = "https://administration-etrangers-en-france.interieur.gouv.fr/"', url)
    p = only_problem(make_pack(text))
    assert where(p) == (FILE, "demo", "", field)
    assert "https://" in p.message


def test_bad_source_url(make_pack: MakePack, procedure_toml: str) -> None:
    text = procedure_toml.replace('url = "https://www.service-public.fr/particuliers/vosdroits/F2209"',
                                  'url = "www.service-public.fr/F2209"')
    p = only_problem(make_pack(text))
    assert where(p) == (FILE, "demo", "", "sources[0]")


def test_missing_sources(make_pack: MakePack, procedure_toml: str) -> None:
    start, end = procedure_toml.index("[[sources]]"), procedure_toml.index("[[steps]]")
    p = only_problem(make_pack(procedure_toml[:start] + procedure_toml[end:]))
    assert where(p) == (FILE, "demo", "", "sources")
    assert "at least one [[sources]]" in p.message


def test_bad_toml(make_pack: MakePack, procedure_toml: str) -> None:
    p = only_problem(make_pack(procedure_toml.replace('title = "Fini"', 'title = "Fini')))
    assert p.file == FILE
    assert "cannot be read" in p.message and "line" in p.message


def test_bad_toml_in_documents(make_pack: MakePack) -> None:
    with pytest.raises(PackError) as info:
        load_pack(make_pack(documents="[passport\n"))
    problems = info.value.problems
    assert problems[0].file == "documents.toml" and "cannot be read" in problems[0].message


def test_duplicate_step_id(make_pack: MakePack, procedure_toml: str) -> None:
    p = only_problem(make_pack(procedure_toml + END_STEP.replace('"end"\nkind', '"docs"\nkind')))
    assert where(p) == (FILE, "demo", "docs", "id")
    assert "used twice" in p.message


def test_all_problems_are_reported_at_once(make_pack: MakePack, procedure_toml: str) -> None:
    text = (procedure_toml.replace('documents = ["passport"]', 'documents = ["visa"]')
            .replace('title = "Bienvenue"', 'title = "Bienvenue"\ncolour = "red"'))
    with pytest.raises(PackError) as info:
        load_pack(make_pack(text))
    assert {p.field for p in info.value.problems} == {"documents", "colour"}


OPTIONAL_FIELDS = '''
site_url_patterns = ["^https://administration-etrangers-en-france\\\\.interieur\\\\.gouv\\\\.fr/particuliers/"]

[[costs]]
id = "stamp"
label = "Timbre fiscal"
amount_eur = 50
previous_eur = 25
since = 2026-05-01
status = "secondary"
source = "Loi n° 2026-103 de finances pour 2026, art. 128"
url = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000053508155"
read = 2026-12-08
applies_when = ["which:a"]
note = "Pour une nouvelle carte."
mediator_note = "Montant non vérifié dans le texte de la loi."

[[costs]]
id = "exam"
label = "Examen civique"
'''


def test_optional_fields_are_read(make_pack: MakePack, procedure_toml: str) -> None:
    text = procedure_toml.replace('start = "intro"\n', 'start = "intro"\n' + OPTIONAL_FIELDS)
    text = text.replace('title = "Bienvenue"', 'title = "Bienvenue"\n'
                        'glossary = { "Se connecter" = "Le bouton pour entrer dans votre compte." }')
    proc = load_pack(make_pack(text)).procedures["demo"]
    stamp, exam = proc.costs
    assert (stamp.id, stamp.amount_eur, stamp.previous_eur, stamp.since, stamp.status, stamp.read) == (
        "stamp", 50.0, 25.0, dt.date(2026, 5, 1), "secondary", dt.date(2026, 12, 8))
    assert stamp.source.startswith("Loi n° 2026-103") and stamp.url.endswith("JORFTEXT000053508155")
    assert stamp.applies_when == (("which", "a"),) and stamp.mediator_note.startswith("Montant")
    assert not stamp.verified and stamp.applies((("which", "a"),)) and not stamp.applies((("which", "b"),))
    assert exam.amount_eur is None and exam.applies(()) and not exam.verified
    assert proc.site_url_patterns[0].startswith("^https://")
    assert proc.steps["intro"].glossary == (("Se connecter", "Le bouton pour entrer dans votre compte."),)


def test_url_pattern_that_does_not_compile(make_pack: MakePack, procedure_toml: str) -> None:
    text = procedure_toml.replace('start = "intro"\n', 'start = "intro"\nsite_url_patterns = ["/(demande"]\n')
    p = only_problem(make_pack(text))
    assert where(p) == (FILE, "demo", "", "site_url_patterns[0]")
    assert "not a valid regular expression" in p.message


def test_glossary_without_explanation(make_pack: MakePack, procedure_toml: str) -> None:
    text = procedure_toml.replace('title = "Bienvenue"', 'title = "Bienvenue"\nglossary = { "API" = "" }')
    p = only_problem(make_pack(text))
    assert where(p) == (FILE, "demo", "intro", "glossary")


AMOUNT = ('[[costs]]\nid = "stamp"\nlabel = "Timbre"\namount_eur = 50\nprevious_eur = 25\n'
          'status = "verified"\nsince = 2026-05-01\nsource = "CESEDA L. 436-7"\nurl = "https://www.legifrance.gouv.fr/x"\n'
          'read = 2026-12-08\n')


def test_a_complete_amount_is_valid(make_pack: MakePack, procedure_toml: str) -> None:
    pack = load_pack(make_pack(procedure_toml.replace("[[sources]]", AMOUNT + "\n[[sources]]")))
    assert pack.procedures["demo"].costs[0].verified


@pytest.mark.parametrize(("cost", "field"), [
    ('[[costs]]\nid = "stamp"\nlabel = "Timbre"\namount_eur = "cher"\n', "costs[0].amount_eur"),
    ('[[costs]]\nid = "stamp"\nlabel = ""\n', "costs[0].label"),
    ('[[costs]]\nid = "Stamp!"\nlabel = "Timbre"\n', "costs[0].id"),
    ('[[costs]]\nid = "stamp"\nlabel = "Timbre"\nprice = 3\n', "costs[0].price"),
    (AMOUNT.replace('status = "verified"\n', ''), "costs[0].status"),
    (AMOUNT.replace('status = "verified"', 'status = "sure"'), "costs[0].status"),
    (AMOUNT.replace('since = 2026-05-01\n', ''), "costs[0].since"),
    (AMOUNT.replace('since = 2026-05-01', 'since = "mai"'), "costs[0].since"),
    (AMOUNT.replace('read = 2026-12-08\n', ''), "costs[0].read"),
    (AMOUNT.replace('source = "CESEDA L. 436-7"\n', ''), "costs[0].source"),
    (AMOUNT.replace('url = "https://www.legifrance.gouv.fr/x"\n', ''), "costs[0].url"),
    (AMOUNT.replace('previous_eur = 25', 'previous_eur = -1'), "costs[0].previous_eur"),
    ('[[costs]]\nid = "stamp"\nlabel = "Timbre"\nstatus = "verified"\n', "costs[0].status"),
    (AMOUNT + 'applies_when = ["which:c"]\n', "costs[0].applies_when"),
    (AMOUNT + 'applies_when = ["nowhere:a"]\n', "costs[0].applies_when"),
    (AMOUNT + 'applies_when = "which:a"\n', "costs[0].applies_when"),
    (AMOUNT + 'applies_when = ["which"]\n', "costs[0].applies_when"),
])
def test_bad_cost(make_pack: MakePack, procedure_toml: str, cost: str, field: str) -> None:
    p = only_problem(make_pack(procedure_toml.replace("[[sources]]", cost + "\n[[sources]]")))
    assert where(p) == (FILE, "demo", "", field)
