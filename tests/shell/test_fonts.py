"""No tofu: every text on every screen, in every language, has a glyph in the font Qt picked for it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.shell.ui.screens import tour

ALL = ",".join(LANGUAGES)


def missing_glyphs(text: str, font: QFont) -> str:
    """The characters of `text` drawn as 'missing glyph' boxes with `font` and its fallbacks."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    while line.isValid():
        line.setLineWidth(100000)
        line = layout.createLine()
    layout.endLayout()
    bad = sum(1 for run in layout.glyphRuns() for g in run.glyphIndexes() if g == 0)
    return f"{bad} missing in {text!r}" if bad else ""


def test_the_check_sees_tofu(qapp) -> None:  # noqa: ANN001
    assert missing_glyphs("\ue000", QFont("Noto Sans")) and not missing_glyphs("abc", QFont("Noto Sans"))


def screen_texts(window) -> list[tuple[str, QFont]]:  # noqa: ANN001
    out = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible() and widget.text():
            out.append((widget.text(), widget.font()))
    return out


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_screen_renders_without_tofu(make_kiosk, language: str) -> None:
    offered = f'[languages]\noffered = [{", ".join(repr(c).replace(chr(39), chr(34)) for c in LANGUAGES)}]'
    kiosk = make_kiosk(offered, pack=DEFAULT_PACK)
    problems = set()
    for screen in tour(kiosk, language, list(kiosk.pack.procedures)[:1]):
        QApplication.processEvents()
        for text, font in screen_texts(kiosk.window):
            if problem := missing_glyphs(text, font):
                problems.add(f"{screen}: {problem}")
    assert not problems, sorted(problems)[:10]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_translated_string_has_glyphs(qapp, language: str) -> None:  # noqa: ANN001
    """All the catalogs' texts, also those of screens and guides the tour above does not show (the
    site's guide, its refusals and recovery screens, scan faults, every procedure), in the language's
    font and its fallbacks."""
    from kiosk.i18n import catalogs
    from kiosk.paths import PACKAGE

    font = QFont(LANGUAGES[language].font)
    texts = []
    for po in (PACKAGE / "i18n" / "locale" / language / "LC_MESSAGES" / "kiosk.po",
               DEFAULT_PACK / "locale" / language / "LC_MESSAGES" / "content.po"):
        if po.exists():
            texts += [s for m in catalogs.read(po) if m.id
                      for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s]
    assert len(texts) > (300 if language == "fr" else 780)
    problems = [p for text in texts if (p := missing_glyphs(text, font))]
    assert not problems, problems[:10]
