"""HTTPS for content updates: the index (with ETag / If-None-Match), then the archive and its signature.

The index is a small JSON file written by `pan-kiosk content publish`:

    {"format": 1, "id": "default", "version": "2026.11.27",
     "archive": "default-2026.11.27.tar.gz", "signature": "default-2026.11.27.tar.gz.minisig",
     "size": 48213, "sha256": "…", "published": "2026-11-27T09:00:00+00:00"}

`archive` and `signature` are relative to the index address. Nothing in the index is trusted: the
version that counts is the one in the signature's trusted comment; size and SHA-256 only let a kiosk
notice a broken download before checking the signature.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.i18n import N_
from kiosk.sync.errors import FetchError

log = logging.getLogger(__name__)

MAX_INDEX_BYTES = 64 * 1024
MAX_SIGNATURE_BYTES = 16 * 1024
UNREACHABLE = N_("The content server cannot be reached.")


@dataclass(frozen=True)
class Index:
    id: str
    version: str
    archive_url: str
    signature_url: str
    size: int
    sha256: str

    @classmethod
    def from_json(cls, data: Any, base_url: str) -> Index:
        bad = N_("The content server sent an unusable answer.")
        if not isinstance(data, dict) or data.get("format") != 1:
            raise FetchError(bad, "index: not a format 1 object")
        try:
            index = cls(id=str(data["id"]), version=str(data["version"]),
                        archive_url=urljoin(base_url, str(data["archive"])),
                        signature_url=urljoin(base_url, str(data["signature"])),
                        size=int(data["size"]), sha256=str(data["sha256"]).lower())
        except (KeyError, TypeError, ValueError) as exc:
            raise FetchError(bad, f"index: {exc!r}") from None
        for url in (index.archive_url, index.signature_url):
            require_https(url)
        return index


def require_https(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise FetchError(N_("The content update address must start with https://."), url)


@dataclass(frozen=True)
class IndexAnswer:
    index: Index | None        # None: 304 Not Modified
    etag: str | None


class HttpFetcher:
    """requests with a connect/read timeout and retries with backoff on connection errors and 5xx."""

    def __init__(self, timeout_s: float = 30.0, retries: int = 3, backoff_s: float = 1.0,
                 ca_bundle: str | None = None, session: requests.Session | None = None,
                 user_agent: str = "pan-kiosk") -> None:
        self.timeout = (min(10.0, timeout_s), timeout_s)
        self.session = session or requests.Session()
        retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                      backoff_factor=backoff_s, status_forcelist=(429, 500, 502, 503, 504),
                      allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False,
                      respect_retry_after_header=False)
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers["User-Agent"] = user_agent
        self.verify: bool | str = ca_bundle or True

    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        require_https(url)
        try:
            response = self.session.get(url, headers=headers or {}, timeout=self.timeout,
                                        verify=self.verify, stream=True, allow_redirects=True)
        except requests.RequestException as exc:
            raise FetchError(UNREACHABLE, f"{url}: {type(exc).__name__}: {exc}") from None
        if response.status_code not in (200, 304):
            response.close()
            raise FetchError(UNREACHABLE, f"{url}: HTTP {response.status_code}")
        return response

    def _read(self, response: requests.Response, limit: int) -> bytes:
        data = b""
        try:
            for chunk in response.iter_content(1 << 16):
                data += chunk
                if len(data) > limit:
                    raise FetchError(N_("The content server sent an unusable answer."),
                                     f"{response.url}: more than {limit} bytes")
        except requests.RequestException as exc:
            raise FetchError(UNREACHABLE, f"{response.url}: {exc}") from None
        finally:
            response.close()
        return data

    def index(self, url: str, etag: str | None) -> IndexAnswer:
        response = self._get(url, {"If-None-Match": etag} if etag else None)
        if response.status_code == 304:
            response.close()
            return IndexAnswer(None, etag)
        raw = self._read(response, MAX_INDEX_BYTES)
        try:
            data = json.loads(raw)
        except ValueError:
            raise FetchError(N_("The content server sent an unusable answer."), "index: not JSON") from None
        return IndexAnswer(Index.from_json(data, response.url or url), response.headers.get("ETag"))

    def text(self, url: str, limit: int = MAX_SIGNATURE_BYTES) -> str:
        try:
            return self._read(self._get(url), limit).decode("utf-8")
        except UnicodeDecodeError:
            raise FetchError(N_("The content server sent an unusable answer."), f"{url}: not UTF-8") from None

    def download(self, url: str, dest: Path, size: int, sha256: str) -> None:
        """Stream `url` to `dest`; the size and SHA-256 must match what the index announced."""
        response = self._get(url)
        digest = hashlib.sha256()
        written = 0
        try:
            with dest.open("wb") as f:
                for chunk in response.iter_content(1 << 16):
                    written += len(chunk)
                    if written > size:
                        break
                    digest.update(chunk)
                    f.write(chunk)
        except requests.RequestException as exc:
            raise FetchError(UNREACHABLE, f"{url}: {exc}") from None
        finally:
            response.close()
        if written != size or digest.hexdigest() != sha256:
            raise FetchError(N_("The content update was not fully downloaded."),
                             f"{url}: got {written} bytes (expected {size}) or a different SHA-256")
