"""Guard against the PySide6 6.12.0 refcount bug: every Python virtual override called from C++
(event handlers, event filters, sizeHint) released one reference to None, and the kiosk aborted with
'deallocating None' after a few hundred screens. The pin in pyproject.toml keeps us off it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QPushButton


class Overridden(QPushButton):
    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt naming
        super().resizeEvent(event)


class Filter(QObject):
    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802 - Qt naming
        return False


def test_virtual_overrides_do_not_leak_references_to_none(qapp) -> None:  # noqa: ANN001
    widget, spy = Overridden(), Filter()
    widget.installEventFilter(spy)
    widget.show()
    before = sys.getrefcount(None)
    for i in range(300):
        widget.resize(100 + i, 80)
        QApplication.processEvents()
    drift = sys.getrefcount(None) - before
    widget.close()
    assert drift > -50, f"None lost {-drift} references in 300 resizes"
