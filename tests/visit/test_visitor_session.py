"""A whole visitor session through the real UI: attract, language, procedure, steps, finish, wipe."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from screen_input import click

from kiosk.visit.visit import Screen


def test_whole_session_then_everything_is_forgotten(make_kiosk, qtbot, tmp_path) -> None:
    kiosk = make_kiosk()
    w = kiosk.window
    assert w.stack.currentWidget() is w.attract
    click(qtbot, w.attract._start)
    assert kiosk.visit.screen is Screen.LANGUAGE
    session_dir = kiosk.sessions.current.directory
    assert session_dir.is_dir() and oct(session_dir.stat().st_mode & 0o777) == "0o700"
    (session_dir / "scan.pdf").write_bytes(b"planted-visitor-data-7f3a")
    QApplication.clipboard().setText("planted-clipboard-7f3a")

    click(qtbot, w.language_page.buttons["ar"])
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert w.stack.currentWidget() is w.procedure_page
    click(qtbot, w.procedure_page.buttons["alpha"])
    assert w.top_bar.progress_label.text()  # progress shown
    click(qtbot, w.step_pages[kiosk.visit.state.step.kind]._next)           # info -> question
    question = w.stack.currentWidget()
    assert [b.text() for b in question.answer_buttons] == ["Branche un", "Branche deux"]
    click(qtbot, question.answer_buttons[0])                                 # -> checklist
    assert kiosk.visit.state.step.id == "docs"
    click(qtbot, w.bottom_bar.back_button)                                              # back works
    assert kiosk.visit.state.step.id == "which"
    click(qtbot, w.stack.currentWidget().answer_buttons[0])
    click(qtbot, w.stack.currentWidget()._next)                              # checklist -> end
    assert kiosk.visit.state.finished
    click(qtbot, w.stack.currentWidget()._next)                              # "I have finished"

    assert kiosk.controller.last_report.ok
    assert not session_dir.exists()
    assert list((tmp_path / "sessions").iterdir()) == []
    assert QApplication.clipboard().text() == ""
    assert w.stack.currentWidget() is w.attract
    assert all(page.is_empty() for page in w.pages())
    assert kiosk.visit.state is None and kiosk.visit.language == "fr"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    counters = (tmp_path / "state" / "counters.csv").read_text()
    assert "alpha" in counters and "completed" in counters and "7f3a" not in counters


def test_finish_button_asks_before_erasing(make_kiosk, qtbot) -> None:
    kiosk = make_kiosk()
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["fr"])
    click(qtbot, w.bottom_bar.finish_button)
    assert w.confirm_overlay.isVisible()
    click(qtbot, w.confirm_overlay._no)
    assert kiosk.visit.active and not w.confirm_overlay.isVisible()
    click(qtbot, w.bottom_bar.finish_button)
    click(qtbot, w.confirm_overlay._yes)
    assert not kiosk.visit.active and w.stack.currentWidget() is w.attract


def test_language_switch_mid_procedure_keeps_progress(make_kiosk, qtbot) -> None:
    kiosk = make_kiosk()
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["fr"])
    click(qtbot, w.procedure_page.buttons["beta"])
    click(qtbot, w.stack.currentWidget()._next)
    path = kiosk.visit.state.path
    click(qtbot, w.top_bar.language_button)
    assert w.stack.currentWidget() is w.language_page
    click(qtbot, w.language_page.buttons["en"])
    assert kiosk.visit.state.path == path and kiosk.visit.screen is Screen.STEP
    assert w.bottom_bar.back_button.text() == "Back"


def test_failed_wipe_puts_the_terminal_out_of_service(make_kiosk, qtbot) -> None:
    kiosk = make_kiosk()

    def broken() -> None:
        raise OSError("disk says no")

    kiosk.sessions.add_wipe_step("broken", broken)
    click(qtbot, kiosk.window.attract._start)
    report = kiosk.controller.end(kiosk_reason())
    assert not report.ok and report.failed == ("broken",)
    assert kiosk.visit.screen is Screen.OUT_OF_SERVICE
    assert kiosk.window.out_of_service.isVisible()


def kiosk_reason():
    from kiosk.visit.session import EndReason
    return EndReason.FINISHED


def test_display_choices_and_french_original_are_reset_by_the_wipe(make_kiosk, qtbot) -> None:
    kiosk = make_kiosk()
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["en"])
    click(qtbot, w.procedure_page.buttons["alpha"])
    page = w.stack.currentWidget()
    assert page._title.text() == "Welcome"
    click(qtbot, w.top_bar.french_button)
    assert page._title.text() == "Welcome\n\u2068Bienvenue\u2069"
    click(qtbot, w.top_bar.text_size_button)
    click(qtbot, w.top_bar.contrast_button)
    assert w.appearance.scale == 1.5 and w.appearance.high_contrast
    assert "#000000" in w.styleSheet()
    click(qtbot, w.bottom_bar.finish_button)
    click(qtbot, w.confirm_overlay._yes)
    assert not w.top_bar.french_button.isChecked() and w.appearance.scale == 1.0
    assert not w.appearance.high_contrast and "#ffffff" in w.styleSheet()


def test_an_uncaught_error_ends_the_session_cleanly(make_kiosk, qtbot) -> None:  # noqa: ANN001
    import sys

    from kiosk.visit.session import EndReason

    kiosk = make_kiosk()
    click(qtbot, kiosk.window.attract._start)
    directory = kiosk.sessions.current.directory
    try:
        raise RuntimeError("a bug somewhere in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert not directory.exists() and kiosk.visit.screen is Screen.ATTRACT
    assert kiosk.controller.last_report.reason is EndReason.RECOVERY
    assert kiosk.window.stack.currentWidget() is kiosk.window.attract


def test_glossary_and_costs_are_shown_in_the_visitors_language(make_kiosk, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QFrame, QLabel

    kiosk = make_kiosk()
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["ar"])
    click(qtbot, w.procedure_page.buttons["alpha"])
    glossary = w.stack.currentWidget().findChild(QFrame, "glossary")
    texts = [lbl.text() for lbl in glossary.findChildren(QLabel)]
    assert texts[0] == "كلمات ستراها على الموقع"
    assert "\u200f«\u00a0\u2068attestation de dépôt\u2069\u00a0»" in texts   # the line reads right to left
    kiosk.controller.next()
    kiosk.controller.choose("one")
    costs = w.stack.currentWidget().findChild(QFrame, "costs")
    assert costs.findChild(QLabel, "cost_stamp").text() == "Timbre fiscal"      # no Arabic in the test pack
    assert costs.findChild(QLabel, "cost_stamp_amount").text() == "\u200f\u2068\u200f225.00\u00a0€\u2069"


def test_date_step_steps_dates_and_is_forgotten(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    import datetime as dt

    from kiosk.content.model import StepKind
    from kiosk.paths import DEFAULT_PACK

    kiosk = make_kiosk(pack=DEFAULT_PACK)
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["ar"])
    kiosk.controller.choose_procedure("renewal")
    while kiosk.visit.state.step.kind is not StepKind.DATE:
        step = kiosk.visit.state.step
        kiosk.controller.choose(step.answers[0].id) if step.answers else kiosk.controller.next()
    page = w.stack.currentWidget()
    page.set_date(dt.date(2027, 1, 31))
    click(qtbot, page.plus["month"])
    assert page.value == dt.date(2027, 2, 28)
    assert page._values["month"].text() == "فبراير"
    click(qtbot, page.minus["year"])
    assert page.value == dt.date(2026, 2, 28)
    assert "2026" in page._result.text() or "٢٠٢٦" in page._result.text()
    click(qtbot, page._unknown)
    assert kiosk.visit.state.step.id == "when"
    kiosk.controller.end(kiosk_reason())
    assert page.is_empty() and page.value == dt.date.today()


def test_requests_handled_on_paper_at_this_prefecture(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[content]\npaper_only = ["beta", "alpha:two"]')
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["fr"])
    click(qtbot, w.procedure_page.buttons["beta"])
    assert kiosk.visit.screen is Screen.PAPER_ONLY and w.stack.currentWidget() is w.paper_page
    assert "papier" in w.paper_page._title.text()
    click(qtbot, w.bottom_bar.back_button)
    click(qtbot, w.procedure_page.buttons["alpha"])
    kiosk.controller.next()
    click(qtbot, w.stack.currentWidget().answer_buttons[1])          # "alpha:two" is on paper here
    assert w.stack.currentWidget() is w.paper_page
    click(qtbot, w.bottom_bar.back_button)
    assert kiosk.visit.state.step.id == "which"
    click(qtbot, w.stack.currentWidget().answer_buttons[0])          # "one" is online
    assert kiosk.visit.state.step.id == "docs"
