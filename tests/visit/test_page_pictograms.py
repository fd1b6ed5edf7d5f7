"""Every guide page has its pictogram beside its title (issue 19 point 5: for visitors who cannot read,
meaning does not rest on text alone): every step of every shipped guide, shown by the kiosk's own page
for its kind, draws a pictogram (the step's own, else its kind's) at the start of the title's line in
both directions, named for assistive technology with the title; so do the procedure picker and the
paper-only page. Every step kind has its pictogram, so a new kind cannot come without one."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from kiosk.content.model import StepKind
from kiosk.content.pack import load_pack
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.ui.page import Page
from kiosk.visit.ui.pictograms import (
    BUTTON_PICTOGRAM_SIZE,
    KIND_PICTOGRAMS,
    PAPER_ONLY_PICTOGRAM,
    PROCEDURES_PICTOGRAM,
    Pictogram,
    step_pictogram,
)
from kiosk.visit.ui.procedure import ProcedurePage

PACK = load_pack(DEFAULT_PACK)
TRANSLATORS = Translators(DEFAULT_PACK / "locale")
RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight


def drawn_beside_title(page: Page, rtl: bool) -> Pictogram:
    """The page's pictogram: shown, drawn, named with the title and at the start of its line."""
    [pictogram] = page.findChildren(Pictogram)
    title = page.heading()
    assert title is not None and title.text()
    assert pictogram.isVisibleTo(page), f"{type(page).__name__} {title.text()!r}: no pictogram shown"
    pixmap = pictogram.pixmap()
    assert not pixmap.isNull() and pixmap.width() >= 96, f"{title.text()!r}: the pictogram is not drawn"
    assert pictogram.accessibleName() == title.text()
    picture, heading = pictogram.geometry(), title.geometry()
    assert abs(picture.center().y() - heading.center().y()) < max(picture.height(), heading.height())
    assert (picture.left() > heading.left()) if rtl else (picture.right() < heading.left())
    return pictogram


def test_every_step_kind_has_its_pictogram() -> None:
    assert {kind.value for kind in StepKind} <= set(KIND_PICTOGRAMS)


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_every_step_of_every_guide_shows_its_pictogram(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    router, tr = kiosk.window.router, TRANSLATORS.get(code)
    rtl = code == "ar"
    seen: set[str] = set()
    for procedure in PACK.procedures.values():
        for step in procedure.steps.values():
            page = router.step_pages[step.kind]
            page.setLayoutDirection(RTL if rtl else LTR)
            page.step, page.procedure = step, procedure
            page.retranslate(tr)
            router.stack.setCurrentWidget(page)
            qtbot.waitUntil(lambda p=page: p.findChildren(Pictogram)[0].isVisible())
            pictogram = drawn_beside_title(page, rtl)
            assert pictogram.name == step_pictogram(step)
            assert pictogram.name == (step.pictogram or KIND_PICTOGRAMS[step.kind.value])
            seen.add(step.kind.value)
    assert seen >= {"info", "question", "checklist", "date", "end"}


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_procedure_picker_and_the_paper_page_have_theirs(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    router, tr = kiosk.window.router, TRANSLATORS.get(code)
    pages = ((router.procedure_page, PROCEDURES_PICTOGRAM), (router.paper_page, PAPER_ONLY_PICTOGRAM))
    for page, name in pages:
        page.setLayoutDirection(RTL if code == "ar" else LTR)
        page.retranslate(tr)
        router.stack.setCurrentWidget(page)
        qtbot.waitUntil(lambda p=page: p.findChildren(Pictogram)[0].isVisible())
        assert drawn_beside_title(page, code == "ar").name == name


def test_a_drawing_that_cannot_be_read_leaves_the_title_alone(qtbot, tmp_path, caplog) -> None:  # noqa: ANN001
    (tmp_path / "broken.svg").write_text("<svg")
    pictogram = Pictogram(folder=tmp_path)
    qtbot.addWidget(pictogram)
    assert not pictogram.draw("broken", "Title") and pictogram.pixmap().isNull() and pictogram.isHidden()
    assert not pictogram.draw("broken", "Title")
    assert sum("broken" in r.message for r in caplog.records) == 1          # logged once


def test_a_guide_that_names_its_pictogram_has_it_on_its_button(qtbot) -> None:  # noqa: ANN001
    first, *others = PACK.procedures.values()
    pack = dataclasses.replace(PACK, procedures={first.id: dataclasses.replace(first, pictogram="card"),
                                                 **{p.id: p for p in others}})
    page = ProcedurePage(pack)
    qtbot.addWidget(page)
    page.retranslate(TRANSLATORS.get("fr"))
    mark = page.buttons[first.id].mark
    assert mark is not None and not mark.pixmap().isNull()
    assert mark.width() == BUTTON_PICTOGRAM_SIZE
    assert all(page.buttons[p.id].mark is None for p in others if not p.pictogram)
