"""Keyboard and window helpers shared by the UI and end-to-end tests."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Show `widget` as the active window: shortcuts only fire in the active window."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def type_keys(qtbot: QtBot, *keys: object) -> None:
    """Send each key to whichever widget has the focus right now (keyboard-only use).

    A key is a str (typed as text), a Qt.Key, or a (Qt.Key, modifiers) tuple.
    """
    from PySide6.QtCore import Qt

    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        if isinstance(key, str) and len(key) > 1:
            qtbot.keyClicks(target, key)
        elif isinstance(key, tuple):
            qtbot.keyClick(target, key[0], key[1])
        else:
            qtbot.keyClick(target, key, Qt.KeyboardModifier.NoModifier)
