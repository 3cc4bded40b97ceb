"""Issue 12 point 5, through the real window (sample core): closing mid-call asks; a kept
draft reopens where it was at the next start; cancel keeps the window; discard forgets it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from tests.desktop.ui.helpers import type_keys
from tests.desktop.ui.test_call_flow import ALT, ready, shown_name


def start_a_call(qtbot: QtBot, window: MainWindow, sample_core: SampleCore) -> None:
    """Maria: "Yes", then the polling-place question is showing; a note typed."""
    type_keys(qtbot, Qt.Key.Key_1)
    window.work.call.notes.setPlainText("Sounds busy")
    window.work.call.script.focus_current()
    # kept on disk a moment after the last change, without closing
    qtbot.waitUntil(lambda: sample_core.draft is not None and bool(sample_core.draft.notes))


def test_a_call_kept_as_draft_reopens_where_it_was(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    start_a_call(qtbot, window, sample_core)
    asked: list[str] = []
    window.ask_close_mid_call = lambda name: asked.append(name) or "keep"
    assert window.close()
    assert asked == ["Maria Lopez"]

    again = main_window()  # the next start
    qtbot.waitUntil(lambda: again.work.call.view is not None)
    call = again.work.call
    assert shown_name(again) == "Maria Lopez"
    assert call.script.answers() == {"support": "yes"}
    assert call.script.walk is not None and call.script.walk.current is not None
    assert call.script.walk.current.id == "plan"  # the question it was on
    assert call.notes.toPlainText() == "Sounds busy"
    assert QApplication.focusWidget().objectName() == "answerButton"
    note = again.findChild(QLabel, "savedNote")
    assert note.text().startswith("Reopened the call to Maria Lopez left unfinished")
    # finishing it saves it once, and the draft is gone
    type_keys(qtbot, Qt.Key.Key_1, (Qt.Key.Key_C, ALT))
    with qtbot.waitSignal(again.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
    assert sample_core.saved[-1][1].answers == {"support": "yes", "plan": "yes"}
    assert sample_core.draft is None


@pytest.mark.parametrize("choice", ["cancel", "discard"])
def test_closing_mid_call_can_be_cancelled_or_the_call_discarded(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, choice: str
) -> None:
    window = ready(qtbot, main_window)
    start_a_call(qtbot, window, sample_core)
    window.ask_close_mid_call = lambda name: choice
    closed = window.close()
    if choice == "cancel":
        assert not closed and window.isVisible()
        assert window.work.call.script.answers() == {"support": "yes"}
        assert sample_core.draft is not None
    else:
        assert closed
        qtbot.waitUntil(lambda: sample_core.draft is None)


def test_closing_with_nothing_entered_does_not_ask(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    window.ask_close_mid_call = lambda name: pytest.fail("asked with nothing entered")
    assert window.close()
