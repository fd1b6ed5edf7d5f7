"""After a visitor, nothing of theirs remains: not in the next visitor's profile, not on disk."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from browser_helpers import READ_JS, disk_roots, grep_disk, js, load, wait_dataset

pytestmark = pytest.mark.real_stack


def read_everything(qtbot, browser) -> dict[str, str]:
    js(qtbot, browser, "delete document.body.dataset.read; 1")
    js(qtbot, browser, READ_JS)
    return json.loads(wait_dataset(qtbot, browser, "read"))


def test_the_disk_search_finds_a_planted_file(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    marker.touch()
    value = "pan-control-" + secrets.token_hex(8)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "blob.bin").write_bytes(b"\x00\x01" + value.encode() + b"\xff")
    expected = [str(tmp_path / "deep" / "er" / "blob.bin")]
    assert grep_disk(value, disk_roots(tmp_path), since=marker) == expected


@pytest.mark.parametrize("end", ["new_visitor", "wipe"])
def test_nothing_of_the_previous_visitor_remains(qtbot, make_browser, aux_site, tmp_path: Path,
                                                 end: str) -> None:
    value = "pan-planted-" + secrets.token_hex(12)
    marker = tmp_path / "marker"
    marker.touch()
    first_dir = tmp_path / "visitor1"
    first_dir.mkdir()
    browser = make_browser(first_dir)
    load(qtbot, browser, f"{aux_site.url}plant?v={value}")
    assert wait_dataset(qtbot, browser, "planted") == "yes"
    cache_key = f"/cache/{value}"
    assert aux_site.hits[cache_key] == 1
    seen = read_everything(qtbot, browser)           # the planting worked in the first profile
    assert seen == {"cookie": f"visitor={value}", "local": value, "session": value, "idb": value}
    js(qtbot, browser, f"fetch('{cache_key}').then(r => r.text())"
                       ".then(() => document.body.dataset.refetched = 'yes'); 1")
    wait_dataset(qtbot, browser, "refetched")
    assert aux_site.hits[cache_key] == 1             # ... and the HTTP cache answered the second fetch

    second_dir = tmp_path / "visitor2"
    second_dir.mkdir()
    if end == "wipe":
        browser.wipe()
        assert browser.view is None and browser.profile is None
    browser.new_visitor(second_dir)
    load(qtbot, browser, aux_site.url + "check")
    assert read_everything(qtbot, browser) == {"cookie": "", "local": "", "session": "", "idb": ""}
    js(qtbot, browser, f"fetch('{cache_key}').then(r => r.text())"
                       ".then(() => document.body.dataset.fetched = 'yes'); 1")
    wait_dataset(qtbot, browser, "fetched")
    assert aux_site.hits[cache_key] == 2             # not served from the previous visitor's cache
    assert js(qtbot, browser, "history.length") == 1

    browser.wipe()
    assert grep_disk(value, disk_roots(tmp_path), since=marker) == []
