"""Fixtures for UI tests: the in-memory sample core, a task runner, a shown main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import TaskRunner
from tests.desktop.ui.helpers import show_active


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_all()


@pytest.fixture
def sample_core() -> SampleCore:
    return SampleCore()


@pytest.fixture
def main_window(
    qtbot: QtBot, sample_core: SampleCore, tasks: TaskRunner
) -> Callable[[], MainWindow]:
    def make() -> MainWindow:
        window = MainWindow(sample_core, tasks, sync_interval=3600)
        # Closing at teardown with a call in progress: keep its draft, as the dialog's
        # default button does (a modal dialog would wait forever offscreen).
        window.ask_close_mid_call = lambda _name: "keep"
        qtbot.addWidget(window)
        window.resize(1280, 800)
        show_active(qtbot, window)
        window.start()
        return window

    return make
