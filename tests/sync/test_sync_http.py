"""Content updates through a real HTTPS server on 127.0.0.1: fetch, verify, switch, 304, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fleet_helpers import MakePack, Served

from kiosk.content.pack import load_pack
from kiosk.sync.errors import FetchError, SignatureError, VersionError
from kiosk.sync.fetch import HttpFetcher
from kiosk.sync.minisign import SecretKey
from kiosk.sync.publish import publish
from kiosk.sync.store import ContentStore
from kiosk.sync.updater import ContentUpdater, Outcome

pytestmark = pytest.mark.real_stack


@pytest.fixture
def store(tmp_path: Path, make_pack: MakePack, signing_key: SecretKey) -> ContentStore:
    store = ContentStore(tmp_path / "store", signing_key.public(), seed_pack=make_pack("2026.01.01"))
    store.recover()
    assert store.current_version() == "2026.01.01"
    return store


def _updater(store: ContentStore, served: Served) -> ContentUpdater:
    fetcher = HttpFetcher(timeout_s=5, retries=2, backoff_s=0, ca_bundle=str(served.ca_file))
    return ContentUpdater(store, fetcher, f"{served.url}/index.json")


def _assert_still(store: ContentStore, version: str) -> None:
    assert store.current_version() == version
    load_pack(store.current_path() or Path("/nonexistent"))
    assert not any(store.staging.glob("*")) if store.staging.exists() else True


def test_signed_pack_is_fetched_verified_and_switched_then_304(
        store: ContentStore, served: Served, make_pack: MakePack, signing_key: SecretKey) -> None:
    publish(make_pack("2026.02.01"), served.root, signing_key)
    updater = _updater(store, served)

    result = updater.check()

    assert result.outcome is Outcome.INSTALLED, result
    assert store.current_version() == "2026.02.01"
    assert load_pack(store.current_path() or Path()).version == "2026.02.01"
    previous = store.previous_path()
    assert previous is not None and load_pack(previous).version == "2026.01.01"
    assert (store.current_path() or Path()).joinpath("locale/en/LC_MESSAGES/content.mo").is_file()
    assert [r.path for r in served.requests] == ["/index.json", "/test-2026.02.01.tar.gz.minisig",
                                                  "/test-2026.02.01.tar.gz"]

    served.requests.clear()
    again = updater.check()

    assert again.outcome is Outcome.NOT_MODIFIED
    assert [(r.path, r.status) for r in served.requests] == [("/index.json", 304)]
    assert served.requests[0].if_none_match is not None


def test_same_or_older_version_in_the_index_is_not_downloaded(
        store: ContentStore, served: Served, make_pack: MakePack, signing_key: SecretKey) -> None:
    publish(make_pack("2025.12.31"), served.root, signing_key)

    result = _updater(store, served).check()

    assert result.outcome is Outcome.UP_TO_DATE and result.offered == "2025.12.31"
    assert [r.path for r in served.requests] == ["/index.json"]
    _assert_still(store, "2026.01.01")


def test_index_lying_about_the_version_is_caught_by_the_signed_comment(
        store: ContentStore, served: Served, make_pack: MakePack, signing_key: SecretKey) -> None:
    published = publish(make_pack("2025.06.01"), served.root, signing_key)
    index = json.loads(published.index.read_text())
    published.index.write_text(json.dumps({**index, "version": "2099.01.01"}))

    result = _updater(store, served).check()

    assert result.outcome is Outcome.REFUSED and isinstance(result.error, VersionError)
    _assert_still(store, "2026.01.01")


def test_tampered_archive_is_refused(store: ContentStore, served: Served, make_pack: MakePack,
                                     signing_key: SecretKey) -> None:
    published = publish(make_pack("2026.02.01"), served.root, signing_key)
    data = bytearray(published.archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    published.archive.write_bytes(bytes(data))
    # the attacker controls the server, so the index agrees with the tampered file
    index = json.loads(published.index.read_text())
    import hashlib
    index["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    published.index.write_text(json.dumps(index))

    result = _updater(store, served).check()

    assert result.outcome is Outcome.REFUSED and isinstance(result.error, SignatureError)
    _assert_still(store, "2026.01.01")


def test_truncated_download_is_refused_and_retried_next_time(
        store: ContentStore, served: Served, make_pack: MakePack, signing_key: SecretKey) -> None:
    published = publish(make_pack("2026.02.01"), served.root, signing_key)
    full = published.archive.read_bytes()
    published.archive.write_bytes(full[: len(full) // 2])
    updater = _updater(store, served)

    result = updater.check()

    assert result.outcome is Outcome.REFUSED and isinstance(result.error, FetchError)
    _assert_still(store, "2026.01.01")
    published.archive.write_bytes(full)          # the server is fixed; no ETag was kept, so it retries
    assert updater.check().outcome is Outcome.INSTALLED


def test_pack_signed_with_another_key_is_refused(
        store: ContentStore, served: Served, make_pack: MakePack, other_key: SecretKey) -> None:
    publish(make_pack("2026.02.01"), served.root, other_key)

    result = _updater(store, served).check()

    assert result.outcome is Outcome.REFUSED and isinstance(result.error, SignatureError)
    assert "another key" in result.error.message
    _assert_still(store, "2026.01.01")


def test_forged_key_id_does_not_help(store: ContentStore, served: Served, make_pack: MakePack,
                                     signing_key: SecretKey) -> None:
    impostor = SecretKey(signing_key.key_id, SecretKey.generate().seed)   # same id, other key
    publish(make_pack("2026.02.01"), served.root, impostor)

    result = _updater(store, served).check()

    assert result.outcome is Outcome.REFUSED and isinstance(result.error, SignatureError)
    _assert_still(store, "2026.01.01")


def test_server_errors_are_retried(store: ContentStore, served: Served, make_pack: MakePack,
                                   signing_key: SecretKey) -> None:
    publish(make_pack("2026.02.01"), served.root, signing_key)
    served.fail_next("/index.json", 503)
    served.fail_next("/test-2026.02.01.tar.gz", 502)

    result = _updater(store, served).check()

    assert result.outcome is Outcome.INSTALLED
    assert [(r.path, r.status) for r in served.requests][:2] == [("/index.json", 503), ("/index.json", 200)]


def test_unreachable_server_and_missing_index_leave_the_pack(store: ContentStore, served: Served) -> None:
    assert _updater(store, served).check().outcome is Outcome.REFUSED        # 404: nothing published
    fetcher = HttpFetcher(timeout_s=2, retries=0, ca_bundle=str(served.ca_file))
    closed = ContentUpdater(store, fetcher, "https://127.0.0.1:9/index.json").check()
    assert closed.outcome is Outcome.REFUSED and isinstance(closed.error, FetchError)
    assert store.read_state()["last_error"]
    _assert_still(store, "2026.01.01")


def test_untrusted_certificate_is_refused(store: ContentStore, served: Served, make_pack: MakePack,
                                          signing_key: SecretKey) -> None:
    publish(make_pack("2026.02.01"), served.root, signing_key)
    fetcher = HttpFetcher(timeout_s=5, retries=0)        # system CAs only: the test CA is unknown
    result = ContentUpdater(store, fetcher, f"{served.url}/index.json").check()
    assert result.outcome is Outcome.REFUSED and "SSLError" in str(result.error)


def test_plain_http_is_refused(store: ContentStore) -> None:
    with pytest.raises(FetchError):
        ContentUpdater(store, HttpFetcher(), "http://127.0.0.1/index.json")


def test_rolled_back_version_is_not_reinstalled(store: ContentStore, served: Served, make_pack: MakePack,
                                                signing_key: SecretKey) -> None:
    publish(make_pack("2026.02.01"), served.root, signing_key)
    updater = _updater(store, served)
    assert updater.check().outcome is Outcome.INSTALLED

    back = store.rollback()

    assert back.version == "2026.01.01" and store.current_version() == "2026.01.01"
    assert store.previous_path() is not None
    store.write_state(etag=None)                       # even without the 304 shortcut
    assert updater.check().outcome is Outcome.UP_TO_DATE
    assert store.current_version() == "2026.01.01"
    publish(make_pack("2026.03.01"), served.root, signing_key)
    assert updater.check().outcome is Outcome.INSTALLED      # a newer fix is welcome


def test_watch_polls_until_stopped(store: ContentStore, served: Served, make_pack: MakePack,
                                   signing_key: SecretKey) -> None:
    import threading

    publish(make_pack("2026.02.01"), served.root, signing_key)
    stop = threading.Event()
    seen: list[Outcome] = []

    def report(result: object) -> None:
        seen.append(result.outcome)  # type: ignore[attr-defined]
        if len(seen) == 2:
            stop.set()

    _updater(store, served).watch(0.0, stop, report)     # interval 0: the second check follows at once
    assert seen == [Outcome.INSTALLED, Outcome.NOT_MODIFIED]
