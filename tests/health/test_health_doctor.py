"""Doctor with the real fc-list, scanimage and lpstat, pointed at empty configurations; sd_notify over a
real datagram socket; metrics text; the credentials keyring; the fleet CLI end to end."""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket
from pathlib import Path

import pytest
from fleet_helpers import MakePack, Served

from kiosk import config as config_mod
from kiosk.__main__ import main
from kiosk.health.doctor import Doctor, Status
from kiosk.health.metrics import KioskMetrics
from kiosk.health.sdnotify import SdNotifier
from kiosk.mediator.credentials import CredentialsKeyring, choose_keyring
from kiosk.paths import DEFAULT_PACK
from kiosk.sync.minisign import SecretKey

# A terminal's configuration checked here for something else than its devices: no devices (not simulated,
# which doctor fails), and a valid key wherever content updates are on (the config requires one).
NO_DEVICES = {"scanner": "none", "printer": "none", "speech": "none"}
PUBLIC_KEY = SecretKey.generate().public().one_line()


def _config(**sections: dict[str, object]) -> config_mod.Config:
    sections.setdefault("devices", NO_DEVICES)
    sections.setdefault("languages", {"offered": ["fr", "ar"]})    # the fonts the fake fc-list lists
    if "url" in sections.get("updates", {}):
        sections["updates"].setdefault("public_key", PUBLIC_KEY)
    text = "\n".join(f"[{name}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items())
                     for name, values in sections.items())
    return config_mod.parse(text, "test.toml")


def _by_name(doctor: Doctor) -> dict[str, Status]:
    return {r.name: r.status for r in doctor.checks()}


@pytest.fixture
def no_fonts(tmp_path: Path) -> dict[str, str]:
    """A fontconfig configuration with one empty font directory: the real fc-list finds nothing."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n')
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fc-list (fontconfig) not installed")
def test_doctor_reports_a_missing_font(no_fonts: dict[str, str], tmp_path: Path) -> None:
    doctor = Doctor(_config(languages={"offered": ["fr", "ar", "ta"]}), env=no_fonts)
    result = doctor.check_fonts()
    assert result.status is Status.FAIL
    assert "Arabic" in result.message and "Tamil" in result.message and "Bengali" not in result.message
    assert Doctor(_config(languages={"offered": ["fr", "ar"]})).check_fonts().status is Status.OK


@pytest.mark.skipif(shutil.which("scanimage") is None, reason="scanimage (sane-utils) not installed")
def test_doctor_reports_a_missing_scanner_and_finds_the_sane_test_device(tmp_path: Path) -> None:
    config = _config(devices={"scanner": "sane"})
    empty = tmp_path / "sane-empty"
    empty.mkdir()
    (empty / "dll.conf").write_text("")
    missing = Doctor(config, env={"SANE_CONFIG_DIR": str(empty)}).check_scanner()
    assert missing.status is Status.FAIL and "no SANE scanner" in missing.message

    present = tmp_path / "sane-test"
    present.mkdir()
    (present / "dll.conf").write_text("test\n")
    if Path("/etc/sane.d/test.conf").exists():
        shutil.copy("/etc/sane.d/test.conf", present / "test.conf")
    found = Doctor(config, env={"SANE_CONFIG_DIR": str(present)}).check_scanner()
    assert found.status is Status.OK and "test:0" in found.message


@pytest.mark.skipif(shutil.which("lpstat") is None, reason="lpstat (cups-client) not installed")
def test_doctor_reports_a_missing_printer() -> None:
    config = _config(devices={"printer": "cups", "printer_queue": "Receipts"})
    result = Doctor(config, env={"CUPS_SERVER": "127.0.0.1:9"}).check_printer()   # nothing listens there
    assert result.status is Status.FAIL and "Receipts" in result.message


@pytest.mark.real_stack
def test_doctor_finds_a_queue_of_a_real_cupsd(cups: object) -> None:
    env = {"CUPS_SERVER": str(cups.socket), "LANG": "C"}  # type: ignore[attr-defined]
    found = Doctor(_config(devices={"printer": "cups", "printer_queue": "PANPDF"}), env=env).check_printer()
    assert found.status is Status.OK and "PANPDF" in found.message
    absent = Doctor(_config(devices={"printer": "cups", "printer_queue": "Nope"}), env=env).check_printer()
    assert absent.status is Status.FAIL


def test_doctor_reports_a_missing_content_pack_and_exit_codes(tmp_path: Path) -> None:
    config = _config(content={"pack": str(tmp_path / "nowhere")})
    doctor = Doctor(config, run=lambda argv, env: (0, "Noto Sans,Noto Sans Arabic\n"))
    checks = _by_name(doctor)
    assert checks["content"] is Status.FAIL and doctor.exit_code(doctor.checks()) == 2
    updates = _config(updates={"url": "https://127.0.0.1:9/index.json", "dir": str(tmp_path / "store")})
    result = Doctor(updates).check_content()
    assert result.status is Status.FAIL and "pan-kiosk content recover" in result.message


def test_doctor_warns_on_low_disk_and_unreachable_server(fixture_pack: Path) -> None:
    config = _config(content={"pack": str(fixture_pack)}, updates={"url": "https://127.0.0.1:9/index.json"},
                     health={"min_free_mb": 500})

    def refuse(url: str, timeout: float, ca: str | None) -> int:
        raise ConnectionRefusedError(url)

    doctor = Doctor(config, run=lambda argv, env: (0, "Noto Sans\nNoto Sans Arabic\n"), http_get=refuse,
                    disk_usage=lambda path: 300 * 1024 * 1024, default_pack=fixture_pack)
    results = {r.name: r for r in doctor.checks()}
    assert results["disk"].status is Status.WARN and "300 MB free" in results["disk"].message
    assert results["network"].status is Status.WARN
    assert Doctor.exit_code(list(results.values())) == 2     # updates on, but no store yet: content fails
    assert Doctor.exit_code([r for r in results.values() if r.name != "content"]) == 1


def test_doctor_network_check_reaches_the_real_server(served: Served, tmp_path: Path) -> None:
    (served.root / "index.json").write_text("{}")
    config = _config(updates={"url": f"{served.url}/index.json", "ca_bundle": str(served.ca_file)})
    assert Doctor(config).check_network().status is Status.OK


def test_sd_notify_sends_ready_and_watchdog_over_a_real_socket(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as receiver:
        receiver.bind(str(path))
        notifier = SdNotifier.from_environ({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"})
        assert notifier.watchdog_interval_s() == 15.0
        assert notifier.ready("showing the attract screen") and notifier.watchdog()
        assert receiver.recv(4096) == b"READY=1\nSTATUS=showing the attract screen"
        assert receiver.recv(4096) == b"WATCHDOG=1"
    silent = SdNotifier.from_environ({})
    assert not silent.enabled and not silent.ready() and silent.watchdog_interval_s() is None


def test_metrics_are_prometheus_text_written_atomically(tmp_path: Path) -> None:
    now = [1000.0]
    metrics = KioskMetrics("pan-69-01", tmp_path / "textfile" / "pan-kiosk.prom", clock=lambda: now[0])
    metrics.session_ended("finished")
    metrics.session_ended("finished")
    metrics.session_ended("idle")
    metrics.device_state("printer", "fault")
    metrics.content("2026.11.27", "abcdef0123456789")
    now[0] = 1060.0
    metrics.error()
    metrics.write()

    text = (tmp_path / "textfile" / "pan-kiosk.prom").read_text()
    assert 'pan_kiosk_uptime_seconds{terminal="pan-69-01"} 60' in text
    assert 'pan_kiosk_sessions_total{terminal="pan-69-01",outcome="finished"} 2' in text
    assert 'pan_kiosk_content_info{terminal="pan-69-01",version="2026.11.27",hash="abcdef012345"} 1' in text
    assert 'pan_kiosk_device_state{terminal="pan-69-01",device="printer",state="fault"} 1' in text
    assert 'pan_kiosk_last_error_timestamp_seconds{terminal="pan-69-01"} 1060' in text
    assert [p.name for p in (tmp_path / "textfile").iterdir()] == ["pan-kiosk.prom"]
    for line in text.splitlines():            # every sample line: name{labels} value
        assert line.startswith("#") or line.rsplit(" ", 1)[1].replace(".", "").isdigit()


def test_credentials_keyring_reads_systemd_credentials_and_refuses_writes(tmp_path: Path) -> None:
    (tmp_path / "pan-kiosk_mediator-accounts").write_text("anna:mediator:scrypt$abc\n")
    backend = choose_keyring({"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert isinstance(backend, CredentialsKeyring)
    assert backend.get_password("pan-kiosk", "mediator-accounts") == "anna:mediator:scrypt$abc"
    assert backend.get_password("pan-kiosk", "missing") is None
    assert backend.get_password("pan-kiosk", "../../etc/passwd") is None
    from keyring.errors import PasswordSetError
    with pytest.raises(PasswordSetError):
        backend.set_password("pan-kiosk", "mediator-accounts", "x")
    assert choose_keyring({}) is None


def test_cli_keygen_publish_update_status_rollback(served: Served, make_pack: MakePack, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "keygen", str(tmp_path / "k.key"), str(tmp_path / "k.pub")]) == 0
    public_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert (tmp_path / "k.key").stat().st_mode & 0o077 == 0
    assert SecretKey.parse((tmp_path / "k.key").read_text()).public().one_line() == public_line
    conf = tmp_path / "kiosk.toml"
    conf.write_text(f'[updates]\nurl = "{served.url}/index.json"\npublic_key = "{public_line}"\n'
                    f'dir = "{tmp_path / "store"}"\nca_bundle = "{served.ca_file}"\n')
    assert main(["check-config", str(conf)]) == 0
    assert main(["content", "recover", "--config", str(conf)]) == 0        # seeds the shipped pack
    shipped = config_mod.load(conf)
    assert shipped.updates.url.startswith("https://127.0.0.1")

    newer = make_pack("2099.01.01", pack_id="default")
    key = str(tmp_path / "k.key")
    assert main(["content", "publish", str(newer), "--key", key, "-o", str(served.root)]) == 0
    assert main(["content", "update", "--config", str(conf)]) == 0
    assert "installed: installed 2099.01.01" in capsys.readouterr().out
    assert main(["content", "status", "--config", str(conf)]) == 0
    assert "2099.01.01" in capsys.readouterr().out
    assert main(["doctor", "--config", str(conf), "--metrics", str(tmp_path / "doctor.prom")]) in (0, 1, 2)
    assert 'check="content"} 0' in (tmp_path / "doctor.prom").read_text()
    assert main(["content", "rollback", "--config", str(conf)]) == 0
    assert "rolled back from 2099.01.01" in capsys.readouterr().out

    archive = next(served.root.glob("*.tar.gz"))
    archive.with_name(archive.name + ".minisig").unlink()
    assert main(["content", "sign", str(archive), "--key", str(tmp_path / "k.key")]) == 0
    assert archive.with_name(archive.name + ".minisig").is_file()


def test_config_example_documents_the_fleet_options() -> None:
    example = config_mod.example()
    for key in ("[updates]", "url = ", "public_key = ", "poll_interval_s = ", "[health]", "metrics_file = "):
        assert key in example
    assert dataclasses.asdict(config_mod.parse(example))["updates"]["poll_interval_s"] == 3600


def test_content_update_with_updates_off_is_not_an_error(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text(f'[updates]\ndir = "{tmp_path / "store"}"\n')
    assert main(["content", "update", "--config", str(conf)]) == 0     # the service ends, no restart loop
    assert "content updates are off" in capsys.readouterr().out


def test_doctor_fails_a_terminal_configuration_that_simulates_a_device() -> None:
    simulated = Doctor(_config(devices={"scanner": "sane", "printer": "simulated", "speech": "espeak"}))
    result = simulated.check_demo()
    assert result.status is Status.FAIL and "simulated printer" in result.message
    real = Doctor(_config(devices={"scanner": "sane", "printer": "cups", "speech": "espeak"}))
    assert real.check_demo().status is Status.OK
    assert Doctor(config_mod.demo_config()).check_demo().status is Status.WARN       # the built-in demo


def test_every_check_prints_on_one_line_whatever_a_tool_printed() -> None:
    doctor = Doctor(_config(devices={"scanner": "sane", "printer": "none", "speech": "none"}),
                    run=lambda argv, env: (1, "sane: error\n  check that the scanner is plugged in\n"))
    assert "\n" not in str(doctor.check_scanner())


def test_doctor_fails_when_an_offered_language_has_no_compiled_catalog(tmp_path: Path) -> None:
    """A package built without babel shipped .po files only: gettext fell back to English in silence."""
    config = _config(languages={"offered": ["fr", "ar", "en"]})
    assert Doctor(config).check_translations().status is Status.OK      # this checkout, compiled
    ui = tmp_path / "ui"
    for code in ("fr", "en"):
        (ui / code / "LC_MESSAGES").mkdir(parents=True)
        (ui / code / "LC_MESSAGES" / "kiosk.mo").write_bytes(b"")
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack, ignore=shutil.ignore_patterns("content.mo"))
    result = Doctor(config, ui_locale=ui, default_pack=pack).check_translations()
    assert result.status is Status.FAIL
    assert "ar (interface)" in result.message and "ar (guides)" in result.message
    assert "en (guides)" in result.message
    assert "fr (" not in result.message and "en (interface)" not in result.message
