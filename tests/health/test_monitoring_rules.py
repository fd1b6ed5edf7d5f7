"""The fleet's alerting rules and dashboard: valid for promtool, unit-tested, and about metrics the
kiosk really exports (a renamed metric would silently never alert)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.health.metrics import KioskMetrics, version_date

MONITORING = Path(__file__).resolve().parents[2] / "packaging" / "monitoring"
RULES = MONITORING / "pan-kiosk-alerts.yml"
DASHBOARD = MONITORING / "grafana" / "dashboards" / "pan-kiosk-fleet.json"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is needed (Debian package prometheus; scripts/setup.sh installs it)")
    return subprocess.run(["promtool", *args], capture_output=True, text=True, cwd=MONITORING, check=False)


def test_rules_are_valid_and_their_unit_tests_pass() -> None:
    checked = promtool("check", "rules", RULES.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = promtool("test", "rules", "pan-kiosk-alerts.test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr


def exported_names() -> set[str]:
    metrics = KioskMetrics("pref-69-01", site="Préfecture du Rhône")
    metrics.session_ended("filed", "renewal", "ar", wipe_ok=False)
    metrics.device_state("printer", "fault", ("media-empty",))
    metrics.content("2026.12.07", "abc")
    return {line.split("{")[0].split(" ")[0] for line in metrics.render().splitlines()
            if line and not line.startswith("#")}


def test_every_kiosk_metric_named_in_rules_and_dashboard_is_exported() -> None:
    names = exported_names()
    used = set(re.findall(r"pan_kiosk_[a-z_]+", RULES.read_text() + DASHBOARD.read_text()))
    assert used and used <= names, used - names


def test_dashboard_is_json_with_a_site_filter_and_a_query_in_every_panel() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert [v["name"] for v in dashboard["templating"]["list"]] == ["datasource", "site"]
    assert all(p["targets"][0]["expr"] for p in dashboard["panels"])
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


def test_metrics_carry_the_terminal_and_its_site_and_visits_by_guide_and_language() -> None:
    metrics = KioskMetrics("pref-69-01", site='Sous-préfecture "Villefranche"')
    metrics.session_ended("documents_prepared", "renewal", "ar")
    metrics.session_ended("abandoned", None, "fr", wipe_ok=False)
    metrics.device_state("printer", "fault", ("media-empty", "stopped"))
    text = metrics.render()
    info = 'pan_kiosk_terminal_info{terminal="pref-69-01",site="Sous-préfecture \\"Villefranche\\""} 1'
    assert info in text
    assert 'pan_kiosk_visits_total{terminal="pref-69-01",procedure="renewal",language="ar"} 1' in text
    assert 'pan_kiosk_visits_total{terminal="pref-69-01",procedure="none",language="fr"} 1' in text
    assert 'pan_kiosk_wipe_failures_total{terminal="pref-69-01"} 1' in text
    assert 'pan_kiosk_device_fault{terminal="pref-69-01",device="printer",kind="media-empty"} 1' in text


@pytest.mark.parametrize(("version", "number"), [("2026.11.26", 20261126), ("2026.1.5-2", 20260105),
                                                  ("demo", 0), ("2026.11.261", 0)])
def test_content_versions_compare_as_dates(version: str, number: int) -> None:
    assert version_date(version) == number
