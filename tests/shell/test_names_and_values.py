"""Names and values as an assistive technology reads them (QAccessible: what Qt's AT-SPI bridge
exposes): the date step's +/- buttons say what they change and the sentence follows the date, the
keyboard's function keys have names in the visitor's language, the step indicator is a text with no
Increase/Decrease, the application's locale is the visitor's language, and the attract screen keeps
one name while its text rotates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QProgressBar, QWidget
from screen_input import click

from kiosk.content.model import StepKind
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.shell import keyboards as kb
from kiosk.visit.session import EndReason
from kiosk.visit.ui.attract import AttractPage

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description
SPECIAL_NAMES = {"fr": {kb.BACKSPACE: "Supprimer", kb.SPACE: "Espace", kb.ENTER: "Entrée",
                        kb.SHIFT: "Majuscule", kb.NUMBERS: "Chiffres"},
                 "ar": {kb.BACKSPACE: "حذف", kb.SPACE: "مسافة", kb.ENTER: "إدخال", kb.NUMBERS: "الأرقام",
                        kb.SWITCH: "الحروف اللاتينية"}}


def accessible(widget: QWidget) -> QAccessibleInterface:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None and iface.isValid()
    return iface


def atspi_actions(iface: QAccessibleInterface) -> list[str]:
    """The actions the AT-SPI bridge offers (QAccessibleBridgeUtils::effectiveActionNames): the
    interface's own, plus Increase and Decrease on anything that has a value interface."""
    actions = list(iface.actionInterface().actionNames()) if iface.actionInterface() is not None else []
    if iface.valueInterface() is not None:
        actions += [QAccessibleActionInterface.increaseAction(), QAccessibleActionInterface.decreaseAction()]
    return actions


def locale_of(widget: QWidget) -> str:
    """The object's language as AT-SPI gives it (the Locale attribute of Qt's interface)."""
    attributes = accessible(widget).attributesInterface()
    assert attributes is not None
    return attributes.attributeValue(QAccessible.Attribute.Locale).name()


def to_date_step(kiosk, qtbot, language: str):  # noqa: ANN001, ANN201
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons[language])
    kiosk.controller.choose_procedure("renewal")
    while kiosk.visit.state.step.kind is not StepKind.DATE:
        step = kiosk.visit.state.step
        kiosk.controller.choose(step.answers[0].id) if step.answers else kiosk.controller.next()
    return w.router.date_page


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_date_buttons_say_what_they_change_and_the_sentence_follows(make_kiosk, qtbot,  # noqa: ANN001
                                                                    language: str) -> None:
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    tr = kiosk.translators.get(language)
    page = to_date_step(kiosk, qtbot, language)
    for field, caption in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        for sign, buttons in (("plus", page.plus), ("minus", page.minus)):
            iface = accessible(buttons[field])
            assert iface.role() == QAccessible.Role.Button
            assert iface.text(NAME) == tr.tr(f"{caption}, {sign} one")
            assert iface.text(NAME) not in ("+", "−")
    plus_day = accessible(page.plus["day"])
    before = plus_day.text(DESCRIPTION)
    assert before and before == accessible(page._result).text(NAME)
    with qtbot.waitSignal(page.plus["day"].clicked, timeout=2000):
        plus_day.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    after = plus_day.text(DESCRIPTION)
    assert after != before and tr.date(page.value) in after            # the new date, on the button
    assert accessible(page._result).text(NAME) == after                 # and as the sentence's name
    assert kiosk.controller.end(EndReason.FINISHED).ok
    assert page.is_empty() and not plus_day.text(DESCRIPTION)


def go_to_end(kiosk, qtbot, language: str):  # noqa: ANN001, ANN201
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons[language])
    click(qtbot, w.procedure_page.buttons["alpha"])
    kiosk.controller.next()
    kiosk.controller.choose("two")
    assert kiosk.visit.state.step.kind is StepKind.END
    return w.router.end_page.reference_field


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_keyboard_keys_are_named_by_function_in_the_visitors_language(make_kiosk, qtbot,  # noqa: ANN001
                                                                      language: str) -> None:
    kiosk = make_kiosk()
    w = kiosk.window
    field = go_to_end(kiosk, qtbot, language)
    click(qtbot, field)
    qtbot.waitUntil(w.keyboard.isVisible)
    tr = kiosk.translators.get(language)
    assert accessible(w.keyboard).text(NAME) == tr.tr("Keyboard") != "keyboard"
    names = {key: accessible(button).text(NAME) for key, button in w.keyboard.keys.items()}
    for key, name in SPECIAL_NAMES[language].items():
        assert names[key] == name, key
    assert all(name and name not in kb.SPECIAL for name in names.values())
    if language == "ar":
        w.keyboard.press(kb.SWITCH)                              # to Latin letters
        assert accessible(w.keyboard.keys[kb.SHIFT]).text(NAME) == "تبديل"
        w.keyboard.press(kb.NUMBERS)                             # the numbers' switch key goes back
        assert accessible(w.keyboard.keys[kb.SWITCH]).text(NAME) == "الحروف"
        w.keyboard.press(kb.SWITCH)
        assert w.keyboard.layout_name == "arabic"
        w.keyboard.press(kb.SWITCH)
    shift = accessible(w.keyboard.keys[kb.SHIFT])
    assert not shift.state().checked
    w.keyboard.press(kb.SHIFT)
    assert shift.state().checkable and shift.state().checked        # on, for a screen reader too
    assert accessible(w.keyboard.keys["a"]).text(NAME) == "A"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_step_indicator_is_named_and_cannot_be_moved(make_kiosk, qtbot, language: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    go_to_end(kiosk, qtbot, language)
    state = kiosk.visit.state
    assert not w.top_bar.findChildren(QProgressBar)
    iface = accessible(w.top_bar.progress)
    assert iface.text(NAME) == kiosk.translators.get(language).tr(
        "Step {current} of {total}", current=state.position, total=state.total)
    assert iface.valueInterface() is None
    moves = {QAccessibleActionInterface.increaseAction(), QAccessibleActionInterface.decreaseAction()}
    assert not moves & set(atspi_actions(iface))
    w.top_bar.progress.grab()                                      # it paints (a bar, no text)


def test_the_locale_is_the_visitors_language_until_the_wipe(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w = kiosk.window
    assert QLocale().name() == "fr_FR" and locale_of(w.bottom_bar.help_button) == "fr_FR"
    field = go_to_end(kiosk, qtbot, "ar")
    arabic = QLocale.Language.Arabic
    assert QLocale().language() is arabic and w.locale().language() is arabic
    assert QLocale(locale_of(field)).language() is QLocale.Language.Arabic    # the field's language
    assert QLocale(locale_of(w.keyboard)).language() is QLocale.Language.Arabic
    kiosk.controller.set_language("ru")                          # a mediator switches the language
    assert QLocale().name() == "ru_RU" and locale_of(field) == "ru_RU"
    kiosk.controller.end(EndReason.FINISHED)
    assert QLocale().name() == "fr_FR" and locale_of(field) == "fr_FR"
    assert locale_of(w.attract._start) == "fr_FR"


@pytest.mark.parametrize(("default", "start", "others"), [
    ("fr", "Touchez ici pour commencer", "Autres langues : "),
    ("ar", "المس هنا للبدء", "لغات أخرى: ")])
def test_the_attract_screen_keeps_one_name_and_describes_the_other_languages(
        qtbot, default: str, start: str, others: str) -> None:  # noqa: ANN001
    translators = Translators(None)
    languages = ("fr", "ar", "ru", "fa")
    page = AttractPage(translators.get, languages, "Site", interval_ms=20, default=default)
    qtbot.addWidget(page)
    page.show()
    button = accessible(page._start)
    shown = set()
    for _ in range(len(languages)):
        text = page._start.text()
        qtbot.waitUntil(lambda text=text: page._start.text() != text, timeout=2000)
        shown.add(page._start.text())
        assert button.text(NAME) == start                          # whatever the button shows
    assert len(shown) == len(languages)
    description = button.text(DESCRIPTION)
    assert description.startswith(others)
    for code in languages:
        native = translators.get(code).language.native_name
        assert (native in description) is (code != default)
    assert locale_of(page._start).startswith(default)
    for label, code in zip(page._others, languages, strict=True):   # each invitation in its own voice
        wanted = QLocale(translators.get(code).language.locale)
        assert QLocale(locale_of(label)).language() == wanted.language()
