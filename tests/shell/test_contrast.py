"""WCAG contrast of both themes: 7:1 for body text, 4.5:1 for buttons and muted text."""

from __future__ import annotations

import pytest

from kiosk.shell.contrast import AA_TEXT, AAA_TEXT, luminance, nearest_passing, parse_hex, ratio
from kiosk.ui.theme import DEFAULT, HIGH_CONTRAST, Theme

THEMES = [DEFAULT, HIGH_CONTRAST]

# (foreground field, background field, minimum ratio)
PAIRS = [
    ("text", "background", AAA_TEXT),          # body text
    ("text", "surface", AAA_TEXT),             # text in cards, bars and ordinary buttons
    ("accent_text", "accent", AA_TEXT),        # primary buttons
    ("danger_text", "danger", AA_TEXT),        # danger buttons
    ("muted", "background", AA_TEXT),          # secondary text
    ("muted", "surface", AA_TEXT),
]


def test_known_ratios() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#fff", "#ffffff") == pytest.approx(1.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)   # the classic near-miss grey
    assert ratio("#ffffff", "#767676") == pytest.approx(ratio("#767676", "#ffffff"))
    assert luminance("#ffffff") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        parse_hex("#12345")


def test_nearest_passing_finds_a_darker_or_lighter_colour() -> None:
    darker = nearest_passing("#d97706", "#ffffff", AA_TEXT)
    assert ratio(darker, "#ffffff") >= AA_TEXT and luminance(darker) < luminance("#d97706")
    lighter = nearest_passing("#555555", "#000000", AAA_TEXT)
    assert ratio(lighter, "#000000") >= AAA_TEXT


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_theme_contrast(theme: Theme) -> None:
    failing = []
    for fg, bg, minimum in PAIRS:
        value = ratio(getattr(theme, fg), getattr(theme, bg))
        if value < minimum:
            better = nearest_passing(getattr(theme, fg), getattr(theme, bg), minimum)
            failing.append(f"{theme.name}.{fg} on {bg}: {value:.2f} < {minimum} (e.g. {better})")
    assert failing == []


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_focus_ring_is_visible_next_to_what_it_surrounds(theme: Theme) -> None:
    # WCAG 1.4.11: 3:1 for a focus indicator against the colours next to it.
    assert ratio(theme.focus, theme.background) >= 3.0
