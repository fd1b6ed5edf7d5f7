"""What assistive technology is told about the kiosk's screens (AT-SPI on Linux, through Qt's bridge).

Qt's own interfaces already name every button and text field. The widgets marked here get an interface
of the kiosk's instead, registered for that widget in Qt's cache (`QAccessible.registerAccessibleInterface`:
no interface factory, which PySide would call for every object of the process, QtWebEngine's Quick items
included, and crash converting some of them), to say what Qt cannot guess:

- a page's or an overlay's title is a heading (role Heading, attribute `level`): a screen reader says
  "heading level 1" and can jump to it. A label opts in with `mark_heading`;
- an overlay is a dialog, or an alert (`ALERT`: the idle warning), named by its translated title
  (`Titled.accessible_title`) and modal when it covers its whole parent;
- a widget that holds overlays hides from the tree what an open overlay covers, as aria-modal does on
  the web: a screen reader cannot wander into the page under a dialog (`mark_host`).

`announce` sends an announcement (QAccessibleAnnouncementEvent, Qt 6.8+: AT-SPI `object:announcement`).

The interfaces are Python objects: each is kept by its widget (attribute `_accessible`); PySide would
otherwise free it while Qt's cache still points at it. Qt deletes it with the widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast, runtime_checkable

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleAttributesInterface,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QWidget

HEADING_LEVEL = "heading_level"      # property of a QLabel: its level as a heading (1: a screen's title)
ROLE = "accessible_role"             # property of an overlay: DIALOG or ALERT
OVERLAY_HOST = "overlay_host"        # property of a widget that holds overlays
DIALOG, ALERT = "dialog", "alert"
_NULL = shiboken6.VoidPtr(0)         # what interface_cast returns for "no such interface"


@runtime_checkable
class Titled(Protocol):
    def accessible_title(self) -> str: ...


def mark_heading(label: QLabel, level: int = 1) -> QLabel:
    """`label` is a heading of `level`; a level-1 heading also takes the focus (for screen readers:
    nothing changes on screen)."""
    label.setProperty(HEADING_LEVEL, level)
    if level == 1:
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    _register(label, lambda: _Heading(label, level))
    return label


def mark_role(widget: QWidget, role: str) -> None:
    """`widget` (an overlay) is a DIALOG or an ALERT for assistive technology."""
    widget.setProperty(ROLE, role)
    _register(widget, lambda: _Overlay(widget, role))


def mark_host(widget: QWidget) -> None:
    """`widget` holds overlays: what an open overlay covers is hidden from the tree."""
    widget.setProperty(OVERLAY_HOST, True)
    _register(widget, lambda: _Host(widget))


def announce(source: QObject, message: str, assertive: bool = False) -> None:
    """Have the screen reader say `message` (interrupting what it says when `assertive`)."""
    if not message.strip():
        return
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def refresh(widget: QWidget) -> None:
    """Register the widget's kiosk interface again if Qt's cache no longer gives it. The cache keys an
    interface by the object and its QMetaObject, which PySide replaces when a signal is first connected
    to one of the object's Python methods; Qt then makes a plain interface. Called before the widget
    matters to assistive technology (a page or an overlay shown)."""
    make = getattr(widget, "_accessible_maker", None)
    if make is None or isinstance(QAccessible.queryAccessibleInterface(widget), _KioskInterface):
        return
    _register(widget, make)


def _register(widget: QWidget, make: Callable[[], QAccessibleWidget]) -> None:
    """The widget's interface is the one `make` makes (a widget marked again keeps its own); the one Qt
    made for it, if any, is dropped from the cache."""
    current = QAccessible.queryAccessibleInterface(widget)
    if isinstance(current, _KioskInterface):
        return
    if current is not None:
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(current))
    old = getattr(widget, "_accessible", None)
    if isinstance(old, _KioskInterface) and shiboken6.isValid(old):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(old))   # Qt's cache frees it, not Python
    iface = make()
    widget._accessible = iface                # type: ignore[attr-defined]  # keeps the Python object
    widget._accessible_maker = make           # type: ignore[attr-defined]  # for refresh
    QAccessible.registerAccessibleInterface(iface)


class _KioskInterface(QAccessibleWidget):
    """Base of the interfaces made here."""


class _Level(QAccessibleAttributesInterface):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def attributeKeys(self) -> list[QAccessible.Attribute]:  # noqa: N802 - Qt naming
        return [QAccessible.Attribute.Level]

    def attributeValue(self, key: QAccessible.Attribute) -> object:  # noqa: N802 - Qt naming
        return self.level if key == QAccessible.Attribute.Level else None


class _Heading(_KioskInterface):
    def __init__(self, label: QLabel, level: int) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label
        self._level = _Level(level)

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return super().text(kind)

    def interface_cast(self, kind: QAccessible.InterfaceType) -> int:
        """A pointer to the interface of `kind` (the binding wants a shiboken6.VoidPtr, typed int)."""
        if kind == QAccessible.InterfaceType.AttributesInterface:
            return cast(int, shiboken6.VoidPtr(shiboken6.getCppPointer(self._level)[0]))
        found = super().interface_cast(kind)
        return cast(int, _NULL) if found is None else found      # None would crash the binding


class _Overlay(_KioskInterface):
    def __init__(self, widget: QWidget, role: str) -> None:
        super().__init__(widget, QAccessible.Role.AlertMessage if role == ALERT else QAccessible.Role.Dialog)

    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Name and isinstance(widget, Titled):
            return widget.accessible_title() or super().text(kind)
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        widget = self.widget()
        parent = widget.parentWidget()
        state.modal = parent is not None and widget.geometry().contains(parent.rect())
        return state


class _Host(_KioskInterface):
    """Its children, less those under an open overlay (siblings that the overlay's area contains)."""

    def __init__(self, widget: QWidget) -> None:
        role = QAccessible.Role.Window if widget.isWindow() else QAccessible.Role.Client
        super().__init__(widget, role)

    def _shown(self) -> list[QWidget] | None:
        """The children a screen reader may reach, or None when no overlay covers anything."""
        children = [c for c in self.widget().children() if isinstance(c, QWidget) and not c.isWindow()]
        hidden: set[int] = set()
        for index, child in enumerate(children):
            if child.property(ROLE) and child.isVisible():
                area = child.geometry()
                hidden.update(i for i, below in enumerate(children[:index])
                              if area.contains(below.geometry()))
        if not hidden:
            return None
        return [c for i, c in enumerate(children) if i not in hidden]

    def childCount(self) -> int:  # noqa: N802 - Qt naming
        shown = self._shown()
        return super().childCount() if shown is None else len(shown)

    def child(self, index: int) -> QAccessibleInterface:
        shown = self._shown()
        if shown is None or not 0 <= index < len(shown):
            return super().child(index if shown is None else -1)       # out of range: null
        return QAccessible.queryAccessibleInterface(shown[index])

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt naming
        shown = self._shown()
        if shown is None:
            return super().indexOfChild(child)
        target = child.object() if child is not None else None
        return next((i for i, c in enumerate(shown) if c is target), -1)
