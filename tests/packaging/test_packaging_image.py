"""The OS image recipe (shellcheck, dry run, hardening files) and the Ansible example (YAML, template)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from kiosk import config as config_mod

REPO = Path(__file__).resolve().parents[2]
IMAGE = REPO / "packaging" / "image"
ANSIBLE = REPO / "packaging" / "ansible"


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_image_script_passes_shellcheck() -> None:
    done = subprocess.run(
        ["shellcheck", str(IMAGE / "build-image")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def test_image_dry_run_plans_the_package_and_the_hardening(tmp_path: Path) -> None:
    deb = tmp_path / "pan-kiosk_0.1.0_amd64.deb"
    deb.write_bytes(b"!<arch>\n")  # the dry run does not open it
    done = subprocess.run(
        [str(IMAGE / "build-image"), "--dry-run", "--deb", str(deb), "--output", str(tmp_path / "k.img")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    plan = done.stdout
    for step in (
        "debootstrap --variant=minbase",
        "apt-get install -y -q --no-install-recommends /tmp/pan-kiosk.deb",
        "systemctl mask getty@.service autovt@.service",
        "systemctl mask udisks2.service",
        "systemctl enable pan-kiosk.service pan-kiosk-content.service",
        "set-default graphical.target",
        "bootctl install",
        "passwd --lock root",
        "vt.global_cursor_default=0",
    ):
        assert step in plan, step
    assert not (tmp_path / "k.img").exists()  # nothing was done for real


def test_image_refuses_bad_arguments(tmp_path: Path) -> None:
    script = str(IMAGE / "build-image")
    assert subprocess.run([script, "--dry-run"], capture_output=True, check=False).returncode == 2
    missing = subprocess.run(
        [script, "--dry-run", "--deb", str(tmp_path / "none.deb")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "no such package" in missing.stderr


def test_hardening_files_say_what_they_must() -> None:
    etc = IMAGE / "rootfs" / "etc"
    assert "kernel.sysrq = 0" in (etc / "sysctl.d/90-pan-kiosk.conf").read_text()
    logind = (etc / "systemd/logind.conf.d/pan-kiosk.conf").read_text()
    assert "NAutoVTs=0" in logind and "ReserveVT=0" in logind
    assert 'ENV{UDISKS_IGNORE}="1"' in (etc / "udev/rules.d/90-pan-kiosk-no-automount.rules").read_text()
    assert "install usb-storage /bin/false" in (etc / "modprobe.d/pan-kiosk.conf").read_text()
    assert "PasswordAuthentication no" in (etc / "ssh/sshd_config.d/pan-kiosk.conf").read_text()


def test_ansible_playbooks_are_valid_yaml_with_the_expected_tasks() -> None:
    site = yaml.safe_load((ANSIBLE / "site.yml").read_text())
    play = site[0]
    assert play["hosts"] == "kiosks" and "serial" in play and play["max_fail_percentage"] == 0
    names = [task["name"] for task in play["tasks"]]
    assert any("configuration" in n for n in names) and any("Doctor" in n for n in names)
    template = next(t for t in play["tasks"] if "ansible.builtin.template" in t)
    assert template["ansible.builtin.template"]["validate"] == "/usr/bin/pan-kiosk check-config %s"
    assert yaml.safe_load((ANSIBLE / "rollback.yml").read_text())[0]["hosts"] == "kiosks"


def inventory_hosts() -> list[dict[str, str]]:
    """Every terminal of the example inventory with its group's variables (3 sites)."""
    import shlex
    hosts: list[dict[str, str]] = []
    groups: dict[str, dict[str, str]] = {}
    section = ""
    for raw in (ANSIBLE / "inventory.example.ini").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section.endswith(":vars"):
            key, _, value = line.partition("=")
            groups.setdefault(section.removesuffix(":vars"), {})[key] = shlex.split(value)[0]
        elif ":" not in section:
            name, *pairs = shlex.split(line)
            hosts.append({"group": section, "name": name, **dict(p.split("=", 1) for p in pairs)})
    return [{**groups.get(h["group"], {}), **h} for h in hosts]


def test_ansible_template_renders_a_valid_terminal_configuration_for_every_site() -> None:
    import jinja2

    defaults = yaml.safe_load((ANSIBLE / "group_vars/kiosks.yml").read_text())
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters["to_json"] = json.dumps
    template = env.from_string((ANSIBLE / "templates/kiosk.toml.j2").read_text())
    hosts = inventory_hosts()
    assert len({h["group"] for h in hosts}) == 3
    for host in hosts:
        text = template.render(**{**defaults, **host, "ansible_managed": "Ansible managed"})
        parsed = config_mod.parse(text, f"{host['name']}.toml")          # the cross-field rules too
        assert parsed.terminal.id == host["terminal_id"] and parsed.terminal.site_name == host["site_name"]
        assert parsed.updates.url.startswith("https://") and parsed.updates.public_key
        assert parsed.simulated_devices == () and parsed.devices.speech == "espeak"     # never a silent demo
        assert parsed.help.channel in ("webhook", "matrix") and parsed.help.url.startswith("https://")
