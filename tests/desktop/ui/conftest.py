"""Fixtures for UI tests: the in-memory sample core, a task runner, a shown main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_all()


@pytest.fixture
def sample_core() -> SampleCore:
    return SampleCore()


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


@pytest.fixture
def main_window(
    qtbot: QtBot, sample_core: SampleCore, tasks: TaskRunner
) -> Callable[[], MainWindow]:
    def make() -> MainWindow:
        window = MainWindow(sample_core, tasks, sync_interval=3600)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        show_active(qtbot, window)
        window.start()
        return window

    return make
