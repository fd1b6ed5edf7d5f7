"""`content import-fiche`: a Service-Public XML fiche (schema 3.x) becomes a valid draft procedure."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.content.fiche import FicheError, draft_procedure, read_fiche
from kiosk.content.model import StepKind
from kiosk.content.pack import load_pack

MakePack = Callable[..., Path]

FICHE = """<?xml version="1.0" encoding="UTF-8"?>
<Publication xmlns:dc="http://purl.org/dc/elements/1.1/" ID="F99999" type="Fiche d'information"
    spUrl="https://www.service-public.gouv.fr/particuliers/vosdroits/F99999">
  <dc:title>Carte de séjour "exemple" d'un étranger en France</dc:title>
  <dc:description>Une carte pour les besoins du test.</dc:description>
  <dc:date>modified 2025-06-13</dc:date>
  <Introduction><Texte>
    <Paragraphe>Vous pouvez demander cette carte <Expression>en ligne</Expression>.</Paragraphe>
  </Texte></Introduction>
  <Texte>
    <Chapitre>
      <Titre><Paragraphe>Conditions</Paragraphe></Titre>
      <Paragraphe>Vous devez résider en France.</Paragraphe>
      <Liste type="puce">
        <Item><Paragraphe>Avoir un logement</Paragraphe></Item>
        <Item><Paragraphe>Avoir des ressources</Paragraphe></Item>
      </Liste>
      <ASavoir><Titre>À savoir</Titre><Paragraphe>La carte dure 1 an.</Paragraphe></ASavoir>
    </Chapitre>
    <Chapitre>
      <Titre><Paragraphe>Démarche</Paragraphe></Titre>
      <BlocCas affichage="onglet">
        <Cas><Titre>Vous êtes salarié</Titre><Paragraphe>Fournissez un contrat de travail.</Paragraphe></Cas>
        <Cas><Titre>Vous êtes étudiant</Titre>
          <Paragraphe>Fournissez un certificat de scolarité.</Paragraphe>
          <BlocCas><Cas><Titre>Seul cas</Titre><Paragraphe>Texte d'un cas unique.</Paragraphe></Cas></BlocCas>
        </Cas>
        <Cas><Titre>Autre situation</Titre></Cas>
      </BlocCas>
      <Paragraphe>Le timbre fiscal coûte <Valeur>225 €</Valeur>.</Paragraphe>
    </Chapitre>
  </Texte>
</Publication>
"""


@pytest.fixture
def fiche_file(tmp_path: Path) -> Path:
    path = tmp_path / "F99999.xml"
    path.write_text(FICHE, encoding="utf-8")
    return path


def test_reads_dublin_core_metadata(fiche_file: Path) -> None:
    fiche = read_fiche(fiche_file)
    assert fiche.id == "F99999"
    assert fiche.title == 'Carte de séjour "exemple" d\'un étranger en France'
    assert fiche.date == dt.date(2025, 6, 13)
    assert fiche.url == "https://www.service-public.gouv.fr/particuliers/vosdroits/F99999"


def test_draft_is_a_valid_procedure_with_source_and_date(fiche_file: Path, make_pack: MakePack) -> None:
    draft = draft_procedure(read_fiche(fiche_file), "exemple", today=dt.date(2026, 11, 26))
    raw = tomllib.loads(draft)
    assert raw["sources"] == [{"ref": "F99999", "date": dt.date(2025, 6, 13),
                               "url": "https://www.service-public.gouv.fr/particuliers/vosdroits/F99999"}]
    assert raw["checked"] == dt.date(2026, 11, 26)
    proc = load_pack(make_pack(draft, name="exemple")).procedures["exemple"]
    assert proc.title.startswith("Carte de séjour")
    assert proc.steps["welcome"].text == "Vous pouvez demander cette carte en ligne."


def test_draft_keeps_chapters_lists_and_cases(fiche_file: Path, make_pack: MakePack) -> None:
    proc = load_pack(make_pack(draft_procedure(read_fiche(fiche_file), "exemple"), name="exemple")) \
        .procedures["exemple"]
    conditions = proc.steps[proc.steps["welcome"].next or ""]
    assert conditions.title == "Conditions"
    assert conditions.text.split("\n\n") == ["Vous devez résider en France.", "- Avoir un logement",
                                             "- Avoir des ressources", "À savoir : La carte dure 1 an."]
    question = proc.steps[conditions.next or ""]
    assert question.kind is StepKind.QUESTION
    assert [a.label for a in question.answers] == ["Vous êtes salarié", "Vous êtes étudiant",
                                                   "Autre situation"]
    salarie, etudiant, other = (proc.steps[a.next] for a in question.answers)
    assert salarie.text == "Fournissez un contrat de travail."
    # Every branch meets again on the paragraph after the block; a one-case block is not a question.
    assert other.text == "Le timbre fiscal coûte 225 €."
    assert proc.steps[salarie.next or ""] is other
    assert proc.steps[proc.steps[etudiant.next or ""].next or ""] is other
    assert proc.steps[other.next or ""].kind is StepKind.END


def test_cli_writes_the_draft(fiche_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.toml"
    assert main(["content", "import-fiche", str(fiche_file), "-o", str(out)]) == 0
    assert "F99999 (2025-06-13)" in capsys.readouterr().out
    assert tomllib.loads(out.read_text(encoding="utf-8"))["id"] == "f99999"


@pytest.mark.parametrize(("xml", "message"), [
    ("<Publication", "cannot be read as XML"),
    ("<Fiche ID='F1'/>", "expected a <Publication>"),
    ("<Publication xmlns:dc='http://purl.org/dc/elements/1.1/' ID='F1'><dc:title>T</dc:title></Publication>",
     "no dc:date"),
    ("<Publication xmlns:dc='http://purl.org/dc/elements/1.1/' ID='F1'><dc:title>T</dc:title>"
     "<dc:date>hier</dc:date></Publication>", "no YYYY-MM-DD"),
])
def test_unusable_fiche(tmp_path: Path, xml: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(FicheError, match=message):
        read_fiche(path)
    assert main(["content", "import-fiche", str(path)]) == 2
    assert message in capsys.readouterr().err
