"""How far a visit went: one enum, ordered from least to most; the statistics keep the furthest."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """Declared from least to most: a visit keeps the furthest outcome it reached."""

    ABANDONED = "abandoned"                     # left before anything below (default)
    COMPLETED = "completed"                     # reached an end step of the guide
    DOCUMENTS_PREPARED = "documents_prepared"   # at least one document scanned into an upload-ready file
    SITE_FAILURE = "site_failure"               # the official site did not work (incident proof made)
    FILED = "filed"                             # the site confirmed the request was filed

    @property
    def rank(self) -> int:
        return list(Outcome).index(self)

    def furthest(self, other: Outcome) -> Outcome:
        return other if other.rank > self.rank else self
