"""The on-screen keyboard writes the visitors' scripts: Arabic with its hamza forms, Persian with its own
ی and ک and آ, Cyrillic capitals; its numbers pad shows the visitor's digits and types 0-9. Words are
typed key by key (touching the keys, as a finger does) into the end page's field and, on the practice
site, into a field of the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from screen_input import click

from kiosk.content.model import StepKind
from kiosk.shell import keyboards as kb
from kiosk.shell.ui.keyboard import OnScreenKeyboard

WORDS = {"ar": "أسماء", "fa": "کارت ملی", "ru": "Иванов"}


def reachable(layout: str) -> set[str]:
    """What a layout types: its keys, and their shifted forms."""
    keys = {k for row in kb.LAYOUTS[layout] for k in row if k not in kb.SPECIAL}
    shifted = {kb.SHIFTED.get(layout, {}).get(k, k.upper()) for k in keys} if any(
        kb.SHIFT in row for row in kb.LAYOUTS[layout]) else set()
    return keys | shifted


def type_word(qtbot, keyboard: OnScreenKeyboard, word: str) -> None:  # noqa: ANN001
    """Touch the keys that write `word` on the keyboard's current layout (Shift first where needed)."""
    for char in word:
        key = kb.SPACE if char == " " else char
        if key not in keyboard.keys:
            shifted = kb.SHIFTED.get(keyboard.layout_name, {})
            key = next((k for k in keyboard.keys if shifted.get(k, k.upper()) == char != k), "")
            assert key, f"{char!r} (U+{ord(char):04X}) is not on the {keyboard.layout_name} keyboard"
            qtbot.mouseClick(keyboard.keys[kb.SHIFT], Qt.MouseButton.LeftButton)
            assert keyboard.keys[key].text() == char                  # the key shows what it will type
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)


def test_the_layouts_reach_every_letter_form() -> None:
    assert set("أإآؤئء") <= reachable("arabic")
    assert set("آ\u06cc\u06a9گپچژ") <= reachable("persian")               # ی and ک: the Persian letters
    assert set("ؤئءأإ\u064a\u0643") <= reachable("persian")              # and the Arabic forms, shifted
    for layout in ("arabic", "persian"):
        keys = [k for row in kb.LAYOUTS[layout] for k in row]
        assert len(keys) == len(set(keys)) and kb.SHIFT in keys
        assert set(kb.SHIFTED[layout]) <= set(keys)
    assert set("ЙЁЪ") <= reachable("russian")


def to_end(kiosk, qtbot, language: str):  # noqa: ANN001, ANN201
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons[language])
    click(qtbot, w.procedure_page.buttons["alpha"])
    kiosk.controller.next()
    kiosk.controller.choose("two")
    assert kiosk.visit.state.step.kind is StepKind.END
    field = w.router.end_page.reference_field
    click(qtbot, field)
    qtbot.waitUntil(lambda: field.hasFocus() and w.keyboard.isVisible())
    return field


@pytest.mark.parametrize("language", sorted(WORDS))
def test_a_word_of_the_visitors_script_into_a_kiosk_field(make_kiosk, qtbot, language: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    field = to_end(kiosk, qtbot, language)
    keyboard = kiosk.window.keyboard
    assert keyboard.layout_name == kb.layout_for(language)
    type_word(qtbot, keyboard, WORDS[language])
    assert field.text() == WORDS[language]
    assert kiosk.sessions.current.references == [WORDS[language]]
    if language == "fa":
        assert "\u064a" not in field.text() and "\u0643" not in field.text()     # not the Arabic ي and ك
    data, _directory = kiosk.window._make_receipt()
    assert [r.value for r in data.references] == [WORDS[language]]


@pytest.mark.parametrize(("language", "one"), [("ar", "١"), ("fa", "۱"), ("fr", "")])
def test_the_numbers_pad_shows_the_visitors_digits_and_types_0_to_9(make_kiosk, qtbot, language: str,  # noqa: ANN001
                                                                     one: str) -> None:
    kiosk = make_kiosk()
    field = to_end(kiosk, qtbot, language)
    keyboard = kiosk.window.keyboard
    qtbot.mouseClick(keyboard.keys[kb.NUMBERS], Qt.MouseButton.LeftButton)
    assert keyboard.layout_name == "numeric"
    assert keyboard.keys["1"].text() == (f"{one} 1" if one else "1")
    assert keyboard.keys["1"].accessibleName() == "1"
    for key in "1970":
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "1970" and kiosk.sessions.current.references == ["1970"]


@pytest.mark.real_stack
def test_a_word_of_the_visitors_script_into_a_field_of_the_site(make_kiosk, qtbot) -> None:  # noqa: ANN001
    from browser_helpers import js
    from step_helpers import open_sign_on, touch

    kiosk = make_kiosk('[browser]\nsite = "practice"')
    w, practice = kiosk.window, kiosk.practice
    field = to_end(kiosk, qtbot, "ar")
    field.clearFocus()
    step = w.browser_step
    with qtbot.waitSignal(step.browser.page_loaded, timeout=20000):
        click(qtbot, w.router.end_page.site_button)
    open_sign_on(qtbot, step.browser, practice)                   # the sign-on host's login form
    touch(qtbot, step, "#login")
    qtbot.waitUntil(w.keyboard.isVisible, timeout=5000)
    keyboard = w.keyboard
    assert keyboard.layout_name == kb.LATIN                        # the site's fields: Latin first
    keyboard.press(kb.NUMBERS)
    keyboard.press(kb.SWITCH)                                      # then the visitor's own letters
    assert keyboard.layout_name == "arabic"
    type_word(qtbot, keyboard, WORDS["ar"])
    qtbot.waitUntil(lambda: js(qtbot, step.browser, "document.getElementById('login').value") == WORDS["ar"],
                    timeout=5000)
    keyboard.press(kb.NUMBERS)
    for key in "42":
        keyboard.press(key)
    qtbot.waitUntil(lambda: js(qtbot, step.browser, "document.getElementById('login').value")
                    == WORDS["ar"] + "42", timeout=5000)
