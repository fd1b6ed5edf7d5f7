"""Every request of a visitor's profile, checked before it leaves: the allow-list covers sub-resources
too, not only navigations.

`RequestFilter` is installed on each visitor's profile (`QWebEngineProfile.setUrlRequestInterceptor`).
Frames (main and sub-frames, their redirects and form submissions) follow the navigation rules
(`NavigationPolicy.check`, the same as `LockedPage.acceptNavigationRequest`); everything else (script,
style sheet, image, font, fetch/XHR, beacon and ping, media, WebSocket, prefetch, favicon, workers…)
follows `NavigationPolicy.check_resource`. A refused request is blocked before Chromium opens a
connection; the log names its host only (the path and query can hold what the visitor typed), paced
by `BlockedRequests`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from kiosk.browser.policy import BlockedRequests, NavigationPolicy, request_host

log = logging.getLogger(__name__)

Kind = QWebEngineUrlRequestInfo.ResourceType
FRAMES = frozenset({Kind.ResourceTypeMainFrame, Kind.ResourceTypeSubFrame,
                    Kind.ResourceTypeNavigationPreloadMainFrame, Kind.ResourceTypeNavigationPreloadSubFrame})


class RequestFilter(QWebEngineUrlRequestInterceptor):
    """Blocks the requests of a profile that the policy refuses; counts them per host in `blocked`.

    Qt calls `interceptRequest` on the GUI thread (profile interceptors, Qt 6). The profile does not
    own its interceptor, and a Qt parent does not keep the Python object alive either (PySide collects
    it and the profile silently stops filtering): whoever installs the filter holds a reference to it
    at least as long as the profile lives (Qt tracks it with a QPointer, so outliving it is harmless).
    """

    def __init__(self, policy: NavigationPolicy, blocked: BlockedRequests | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self.blocked = BlockedRequests() if blocked is None else blocked

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 - Qt naming
        url = info.requestUrl().toString()
        kind = info.resourceType()
        refusal = self._policy.check(url) if kind in FRAMES else self._policy.check_resource(url)
        if refusal is None:
            return
        info.block(True)
        host = request_host(url)
        count = self.blocked.record(host)
        if count is not None:
            log.info("request to %s refused (%s, %s): %d this visit", host, refusal.reason.value,
                     _kind_name(kind), count)


def _kind_name(kind: Kind) -> str:
    return kind.name.removeprefix("ResourceType").lower()
