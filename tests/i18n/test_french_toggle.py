"""The "FR" toggle shows the French original under interface texts too (issue 15 point 8): the practice
guide's pages (the site map's, on the practice replica), the guide panel's explanations, the date step's
sentence and the costs card; controls keep one language, and a French visitor never sees a text twice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from kiosk.browser.policy import SiteGuide
from kiosk.browser.replica.hosts import STAMPS
from kiosk.browser.replica.practice import practice_name, practice_site_map
from kiosk.browser.ui.guide_panel import GuidePanel
from kiosk.content.pack import load_pack
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
    pack = load_pack(DEFAULT_PACK)
    assert pack.site is not None
    guide = SiteGuide.for_procedure(pack.procedures["renewal"], practice_site_map(pack.site, practice_name))
    guide.practice = True
    position = guide.locate(f"http://{practice_name(STAMPS)}:8123/achat/choix", "Choix du timbre")
    page = position.page
    assert page is not None and page.step_id == "stamp_shop"
    panel.set_position(position)
    panel.set_practice(True)
    panel.retranslate(tr("ar", True))
    texts = [label.text() for label in panel.findChildren(QLabel)]
    arabic, french = tr("ar", False), tr("fr", False)
    for message in (page.title, page.text, page.glossary[0][1]):         # the content pack's French
        assert arabic.content(message) != message, message
        assert f"{arabic.content(message)}\n{FSI}{message}{PDI}" in texts, message
    practice = "Practice — nothing is sent"                              # the kiosk's own string
    assert f"{arabic.tr(practice)}\n{FSI}{french.tr(practice)}{PDI}" in texts
    panel.retranslate(tr("ar", False))
    assert arabic.content(page.title) in [label.text() for label in panel.findChildren(QLabel)]
