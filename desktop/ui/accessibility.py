"""Screen-reader support the widgets share: announcements, descriptions that carry what a
SPEC name ("questionText", "syncStatus") cannot, and a tab order that follows the layout.

SPEC fixes the key widgets' accessible names to their object names, so tests and scripts can
find them; a screen reader speaks the description after the name, so that is where the words
a person needs go (docs/accessibility.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QWidget


class Announcer(QObject):
    """Every announcement also comes out here, for tests (Qt gives Python no hook on the
    events it hands to the platform's accessibility bridge)."""

    sig_announced = Signal(str)


_announcer: Announcer | None = None


def announcer() -> Announcer:
    global _announcer
    if _announcer is None:
        _announcer = Announcer()
    return _announcer


def announce(widget: QWidget, message: str) -> None:
    """Have screen readers say `message` (politely: after what they are saying now), without
    moving the focus. AT-SPI carries it as an Announcement event (Orca speaks it)."""
    if not message:
        return
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
    announcer().sig_announced.emit(message)


def describe(widget: QWidget, text: str) -> None:
    """Set the accessible description (Qt tells assistive technology that it changed)."""
    if widget.accessibleDescription() != text:
        widget.setAccessibleDescription(text)


def show_text(label: QLabel, text: str) -> None:
    """A label whose accessible name is fixed (SPEC): its text is spoken as the description."""
    label.setText(text)
    describe(label, text)


def show_countdown(label: QLabel, shown: str, spoken: str) -> None:
    """A countdown label: `shown` to the second, `spoken` (its description) to the minute, so
    assistive technology hears of a change only when the words say something new."""
    label.setText(shown)
    describe(label, spoken)


def name_countdown(label: QLabel, shown: str, spoken: str) -> None:
    """A countdown label without a SPEC name: its accessible name (Qt's default is the text,
    renamed every second) is `spoken`, to the minute."""
    label.setText(shown)
    if label.accessibleName() != spoken:
        label.setAccessibleName(spoken)


def chain_tabs(place: QWidget, widgets: Iterable[QWidget]) -> None:
    """Put `widgets`, in order, where `place` is in the tab order (widgets made later, such
    as a question's answer buttons, would otherwise come last in the window). `place` may
    take no focus itself (a container): Qt ignores such a widget as an anchor, so the
    anchor is the nearest Tab stop before it."""
    chained = list(widgets)
    anchor: QWidget | None = place
    while anchor is not None and (not _takes_tab(anchor) or anchor in chained):
        anchor = anchor.previousInFocusChain()
        if anchor is place:
            return  # nothing before it takes the focus
    if anchor is None:
        return
    for widget in chained:
        QWidget.setTabOrder(anchor, widget)
        anchor = widget


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
