"""Document pictograms (assets/pictograms/<name>.svg): every document of the shipped pack names one, the
file exists, Qt's SVG renderer accepts it, it is a 96x96 drawing with no text inside (text is
translated elsewhere), it really draws something dark on its white tile, and no file is left unused.
The pack checker refuses a document whose pictogram has no drawing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from kiosk.__main__ import main
from kiosk.content.pack import PICTOGRAMS, PackError, load_pack, pictogram_file
from kiosk.paths import DEFAULT_PACK
from kiosk.ui.pictogram import FINISH_PICTOGRAM, HELP_PICTOGRAM, IDLE_PICTOGRAM
from kiosk.visit.ui.pictograms import (
    DOCUMENT_PICTOGRAM,
    KIND_PICTOGRAMS,
    LANGUAGE_PICTOGRAM,
    PAPER_ONLY_PICTOGRAM,
    PRINTING_PICTOGRAM,
    PROCEDURES_PICTOGRAM,
    SCAN_PICTOGRAM,
    SITE_DOWN_PICTOGRAM,
    SITE_PICTOGRAM,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
TEXT_ELEMENTS = {f"{SVG_NS}{name}" for name in ("text", "tspan", "textPath", "foreignObject")}

PACK = load_pack(DEFAULT_PACK)
DOCUMENTS = PACK.documents
# the documents' pictograms, the guide pages' (kiosk.visit.ui.pictograms), the overlays' (kiosk.ui.pictogram)
PAGES = {*KIND_PICTOGRAMS.values(), PROCEDURES_PICTOGRAM, PAPER_ONLY_PICTOGRAM, LANGUAGE_PICTOGRAM,
         SCAN_PICTOGRAM, SITE_PICTOGRAM, PRINTING_PICTOGRAM, HELP_PICTOGRAM, FINISH_PICTOGRAM, IDLE_PICTOGRAM,
         SITE_DOWN_PICTOGRAM, DOCUMENT_PICTOGRAM,
         *(p.pictogram for p in PACK.procedures.values()),
         *(s.pictogram for p in PACK.procedures.values() for s in p.steps.values())}
NAMES = sorted({doc.pictogram for doc in DOCUMENTS.values() if doc.pictogram} | PAGES - {""})


def _path(name: str) -> Path:
    return PICTOGRAMS / f"{name}.svg"


@pytest.mark.parametrize("doc_id", sorted(DOCUMENTS))
def test_every_document_has_a_pictogram_file(doc_id: str) -> None:
    name = DOCUMENTS[doc_id].pictogram
    assert name, f"documents.toml [{doc_id}]: no pictogram"
    assert _path(name).is_file(), f"documents.toml [{doc_id}]: pictogram {name!r} has no {_path(name)}"


@pytest.mark.parametrize("name", NAMES)
def test_pictogram_is_a_96_square_drawing_without_text(name: str) -> None:
    root = ET.parse(_path(name)).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 96 96"
    texts = [el.tag for el in root.iter() if el.tag in TEXT_ELEMENTS]
    assert not texts, f"{name}.svg has text elements {texts}: pictograms carry no words"


@pytest.mark.parametrize("name", NAMES)
def test_qt_renders_the_pictogram(qapp: QApplication, name: str) -> None:
    renderer = QSvgRenderer(str(_path(name)))
    assert renderer.isValid(), f"{name}.svg: QtSvg cannot parse it"
    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ff00ff"))         # a colour no pictogram uses: shows what the SVG leaves uncovered
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 48, 48))
    painter.end()
    colours = [image.pixelColor(x, y) for x in range(0, 48, 2) for y in range(0, 48, 2)]
    magenta = sum(1 for c in colours if (c.red(), c.green(), c.blue()) == (255, 0, 255))
    dark = sum(1 for c in colours if c.lightnessF() < 0.35)
    assert magenta < len(colours) * 0.1, f"{name}.svg does not cover its tile"
    assert dark > len(colours) * 0.05, f"{name}.svg draws almost nothing dark: too little contrast on white"


def test_no_pictogram_file_is_unused() -> None:
    files = {p.stem for p in PICTOGRAMS.glob("*.svg")}
    assert files - set(NAMES) == set(), "pictograms no document or page uses"


# --- the pack checker (`pan-kiosk content check`) --------------------------------------------------

def _documents(pictogram: str) -> str:
    return f'[passport]\nname = "Passeport"\nexplanation = "Votre passeport."\npictogram = "{pictogram}"\n'


def test_checker_names_the_document_whose_pictogram_has_no_file(make_pack) -> None:
    with pytest.raises(PackError) as info:
        load_pack(make_pack(documents=_documents("no_such_drawing")))
    [problem] = info.value.problems
    assert (problem.file, problem.field) == ("documents.toml", "passport.pictogram")
    assert "'passport'" in problem.message and "no_such_drawing.svg" in problem.message


def test_content_check_fails_on_a_missing_pictogram(make_pack, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(make_pack(documents=_documents("no_such_drawing")))]) == 2
    assert "passport.pictogram" in capsys.readouterr().err


def test_checker_accepts_a_shipped_pictogram_or_one_the_pack_brings(make_pack) -> None:
    shipped = load_pack(make_pack(documents=_documents("passport")))
    assert shipped.documents["passport"].pictogram == "passport"
    root = make_pack(documents=_documents("new_drawing"),
                     extra_files={"pictograms/new_drawing.svg": _path("passport").read_text()})
    assert load_pack(root).documents["passport"].pictogram == "new_drawing"
    assert pictogram_file("new_drawing", root) == root / "pictograms" / "new_drawing.svg"
    assert pictogram_file("passport", root) == PICTOGRAMS / "passport.svg"


def test_checker_looks_in_the_pictogram_folder_it_is_given(make_pack, tmp_path: Path) -> None:
    with pytest.raises(PackError):
        load_pack(make_pack(documents=_documents("passport")), pictograms=tmp_path / "empty")


@pytest.mark.parametrize("name", ["../passport", "Passport", "passport.svg"])
def test_checker_refuses_a_pictogram_name_that_is_not_an_id(make_pack, name: str) -> None:
    with pytest.raises(PackError) as info:
        load_pack(make_pack(documents=_documents(name)))
    [problem] = info.value.problems
    assert problem.field == "passport.pictogram" and "lowercase" in problem.message
    assert pictogram_file(name, Path(problem.file)) is None


# --- a guide's own pictograms: the procedure's (on its button) and a step's (beside its title) --------

def test_checker_accepts_a_procedure_and_a_step_naming_a_pictogram(make_pack, procedure_toml: str) -> None:
    text = procedure_toml.replace('start = "intro"', 'start = "intro"\npictogram = "card"').replace(
        'title = "Bienvenue"', 'title = "Bienvenue"\npictogram = "house"')
    procedure = load_pack(make_pack(procedure=text)).procedures["demo"]
    assert (procedure.pictogram, procedure.steps["intro"].pictogram) == ("card", "house")
    assert procedure.steps["which"].pictogram == ""


def test_checker_names_the_step_whose_pictogram_has_no_drawing(make_pack, procedure_toml: str) -> None:
    text = procedure_toml.replace('title = "Fini"', 'title = "Fini"\npictogram = "no_such_drawing"')
    with pytest.raises(PackError) as info:
        load_pack(make_pack(procedure=text))
    [problem] = info.value.problems
    assert (problem.procedure, problem.step, problem.field) == ("demo", "end", "pictogram")
    assert "no_such_drawing.svg" in problem.message
