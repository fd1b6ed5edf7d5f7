"""Configuration: defaults, every error with line, key and expectation, the CLI's exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.i18n.languages import LANGUAGES


def problems(text: str) -> list[str]:
    with pytest.raises(config.ConfigError) as info:
        config.parse(text, "kiosk.toml", known_languages=LANGUAGES)
    return [str(p) for p in info.value.problems]


def test_defaults_are_a_working_demo() -> None:
    cfg = config.load(None) if not config.DEFAULT_PATH.exists() else config.Config()
    assert cfg.display.mode == "fullscreen" and cfg.languages.default in cfg.languages.offered
    assert cfg.devices.scanner == "simulated"


def test_a_valid_file_is_typed_and_frozen() -> None:
    cfg = config.parse('[terminal]\nid = "pref-75-01"\n[session]\nidle_timeout_s = 90\n'
                       '[languages]\noffered = ["fr", "ar"]\ndefault = "ar"\n', "k.toml")
    assert cfg.terminal.id == "pref-75-01" and cfg.session.idle_timeout_s == 90
    assert cfg.languages.offered == ("fr", "ar")
    with pytest.raises(AttributeError):
        cfg.session.idle_timeout_s = 5  # type: ignore[misc]


def test_every_error_names_line_key_and_expectation() -> None:
    found = problems(
        "[terminal]\n"
        "id = \"bad id!\"\n"            # line 2
        "colour = \"blue\"\n"           # line 3: unknown key
        "[session]\n"
        "idle_timeout_s = \"soon\"\n"   # line 5: wrong type
        "warning_s = 1\n"               # line 6: below minimum
        "[display]\n"
        "mode = \"maximised\"\n"        # line 8: not a choice
        "[languages]\n"
        "offered = [\"fr\", \"xx\"]\n"  # line 10: unknown language
        "[nonsense]\n"                  # line 11: unknown table
        "a = 1\n")
    assert any(p.startswith("line 2: terminal.id: got 'bad id!', expected text matching") for p in found)
    assert any(p.startswith("line 3: terminal.colour: unknown key") for p in found)
    assert "line 5: session.idle_timeout_s: got 'soon', expected a whole number" in found
    assert "line 6: session.warning_s: got 1, expected at least 5" in found
    assert any(p.startswith("line 8: display.mode: got 'maximised', expected one of 'fullscreen'")
               for p in found)
    assert any(p.startswith("line 10: languages.offered: got 'xx'") for p in found)
    assert any(p.startswith("line 11: nonsense: unknown key") for p in found)
    assert len(found) == 7


def test_syntax_error_gives_the_line() -> None:
    assert problems("[terminal]\nid = \n")[0].startswith("line 2: (syntax): not valid TOML")


def test_default_language_must_be_offered() -> None:
    assert problems('[languages]\noffered = ["fr"]\ndefault = "ar"\n') == [
        "line 3: languages.default: got 'ar', expected one of languages.offered"]


def test_example_lists_every_option_and_parses() -> None:
    text = config.example()
    assert config.parse(text, "example") == config.Config()
    assert "idle_timeout_s = 120" in text and "# Seconds without input" in text


def test_check_config_cli(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[session]\nidle_timeout_s = -3\n")
    result = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(bad)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "line 2: session.idle_timeout_s: got -3, expected at least 10" in result.stderr
    good = tmp_path / "good.toml"
    good.write_text(config.example())
    ok = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(good)],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr


def test_a_file_means_a_terminal_with_real_devices_and_the_demo_says_it_is_one() -> None:
    terminal = config.parse('[terminal]\nid = "pref-69-01"\n', "kiosk.toml")
    d = terminal.devices
    assert (d.scanner, d.printer, d.speech) == ("sane", "cups", "espeak")
    assert terminal.simulated_devices == () and not terminal.demo
    written = config.parse('[devices]\nprinter = "simulated"\n', "kiosk.toml")
    assert written.simulated_devices == ("printer",) and written.demo and not written.demo_defaults
    demo = config.demo_config()
    assert demo.demo_defaults and demo.simulated_devices == ("scanner", "printer", "speech")


@pytest.mark.parametrize(("text", "expected"), [
    ('[help]\nchannel = "webhook"\n', 'help.url: channel \'webhook\' needs its address'),
    ('[help]\nchannel = "matrix"\nurl = "https://matrix.example.org"\n',
     "help.matrix_room: channel 'matrix' needs the room id"),
    ('[updates]\nurl = "https://content.example.org/index.json"\n',
     "updates.public_key: content updates need the public key"),
    ('[devices]\nprinter = "none"\nprinter_queue = "PAN"\n', "devices.printer: a CUPS queue is set"),
])
def test_rules_across_fields_name_the_line_the_key_and_what_is_missing(text: str, expected: str) -> None:
    found = problems(text)
    assert len(found) == 1 and found[0].startswith("line 2: ") and expected in found[0], found
