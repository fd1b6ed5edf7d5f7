"""WCAG 2.x contrast: relative luminance of sRGB colours and the contrast ratio between two of them.

Body text needs at least 7:1 on its background (WCAG AAA), everything else at least 4.5:1 (AA).
No Qt here: the theme test reads the theme's hex strings and checks them with these functions.
"""

from __future__ import annotations

AAA_TEXT = 7.0
AA_TEXT = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#rgb' or '#rrggbb' (the '#' optional) as 0–255 channels."""
    value = colour.strip().removeprefix("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = parse_hex(colour)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def ratio(foreground: str, background: str) -> float:
    """Contrast ratio, from 1.0 (same colour) to 21.0 (black on white); order does not matter."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def nearest_passing(foreground: str, background: str, minimum: float) -> str:
    """The foreground colour, darkened or lightened in steps, until it reaches `minimum` on background.

    Keeps the hue roughly; used to tell which replacement colour would pass.
    """
    r, g, b = parse_hex(foreground)
    towards = 0 if luminance(background) > 0.18 else 255
    for step in range(101):
        t = step / 100
        candidate = "#" + "".join(f"{round(c + (towards - c) * t):02x}" for c in (r, g, b))
        if ratio(candidate, background) >= minimum:
            return candidate
    return "#000000" if towards == 0 else "#ffffff"
