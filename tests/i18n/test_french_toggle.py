"""The "FR" toggle shows the French original under interface texts too (issue 15 point 8): the practice
guide's pages (the kiosk's own strings), the guide panel's explanations, the date step's sentence and
the costs card; controls keep one language, and a French visitor never sees a text twice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from kiosk.browser.policy import Position
from kiosk.browser.replica.guide import PAGES
from kiosk.browser.ui.guide_panel import GuidePanel
from kiosk.i18n import FSI, PDI, Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK

FOLLOW = "Follow the pages of the site. Ask a mediator if you are not sure what to do."


def tr(code: str, french: bool) -> Translator:
    return Translator(LANGUAGES[code], content_dir=DEFAULT_PACK / "locale").with_source(french)


def test_text_adds_the_french_only_with_the_toggle_and_not_for_french_visitors() -> None:
    french = tr("fr", False).tr(FOLLOW)
    assert tr("ar", False).text(FOLLOW) == tr("ar", False).tr(FOLLOW)
    assert tr("ar", True).text(FOLLOW) == f"{tr('ar', False).tr(FOLLOW)}\n{FSI}{french}{PDI}"
    assert tr("fr", True).text(FOLLOW) == french
    assert tr("ar", True).tr(FOLLOW) == tr("ar", False).tr(FOLLOW)       # controls: one language


def test_dates_are_written_in_each_languages_format() -> None:
    sentence = "Your card ended on {expiry}."
    text = tr("ru", True).text(sentence, expiry=dt.date(2026, 5, 1))
    russian, french = text.split("\n")
    assert "1 мая 2026" in russian and french == f"{FSI}Votre carte s'est terminée le 1 mai 2026.{PDI}"


def test_the_practice_guide_shows_its_french_under_each_text(qtbot) -> None:  # noqa: ANN001
    panel = GuidePanel()
    qtbot.addWidget(panel)
    page = PAGES["login"]
    panel.set_position(Position("http://127.0.0.1/login", page, True, "127.0.0.1"))
    panel.set_practice(True)
    panel.retranslate(tr("ar", True))
    texts = [label.text() for label in panel.findChildren(QLabel)]
    arabic, french = tr("ar", False), tr("fr", False)
    for message in (page.title, page.text, page.glossary[0][1], "Practice — nothing is sent"):
        assert f"{arabic.tr(message)}\n{FSI}{french.tr(message)}{PDI}" in texts, message
    panel.retranslate(tr("ar", False))
    assert arabic.tr(page.title) in [label.text() for label in panel.findChildren(QLabel)]
