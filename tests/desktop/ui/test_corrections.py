"""Issue 12 point 1, through the real window (sample core): a saved call is reopened and
corrected (F2, or choosing a finished name), the correction supersedes it; a do-not-call that
reaches the household asks first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.services.views import CallView
from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from tests.desktop.ui.helpers import type_keys
from tests.desktop.ui.test_call_flow import ALT, CTRL, ready, shown_name


def save(qtbot: QtBot, window: MainWindow, *keys: object) -> None:
    type_keys(qtbot, *keys)
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))


def test_f2_reopens_the_last_call_and_saving_supersedes_it(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    call = window.work.call
    call.notes.setPlainText("Rang out")
    save(qtbot, window, (Qt.Key.Key_N, ALT))  # Maria: no answer...
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    correct = call.findChild(QPushButton, "correctLast")
    assert correct.isVisible() and "F2" in correct.text()
    type_keys(qtbot, Qt.Key.Key_F2)  # ...it was her after all
    qtbot.waitUntil(lambda: shown_name(window) == "Maria Lopez" and call.correcting is not None)
    notice = call.findChild(QLabel, "correctionNotice")
    assert notice.isVisible() and "(no answer)" in notice.text()
    # the earlier call is offered again: its outcome and notes
    assert call.dispositions.selected() == "no_answer"
    assert call.findChild(QPlainTextEdit, "notes").toPlainText() == "Rang out"
    first_id = sample_core.saved[0][0]
    save(qtbot, window, Qt.Key.Key_1, Qt.Key.Key_1, (Qt.Key.Key_C, ALT))
    fixed = sample_core.saved[1][1]
    assert fixed.supersedes == first_id and fixed.disposition == "contacted"
    assert fixed.answers == {"support": "yes", "plan": "yes"}
    note = window.findChild(QLabel, "savedNote")
    qtbot.waitUntil(lambda: note.text().startswith("✓ Corrected Maria Lopez"))
    assert not notice.isVisible()


def test_choosing_a_finished_name_reopens_its_call_instead_of_a_second_one(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    call = window.work.call
    save(qtbot, window, Qt.Key.Key_2, "Jobs", Qt.Key.Key_Return, (Qt.Key.Key_C, ALT))
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    window.work.open_contact(1)  # Maria, done, from the list
    qtbot.waitUntil(lambda: call.correcting is not None)
    # Back-style recall: the answer she gave is marked on its question
    assert call.script.earlier_button() is not None
    assert call.script.earlier_button().accessibleName() == "Undecided"
    assert QApplication.focusWidget() is call.script.earlier_button()
    # Esc: not correcting after all; nothing saved, the next name comes
    type_keys(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    assert call.correcting is None and len(sample_core.saved) == 1


@pytest.mark.parametrize("agree", [False, True])
def test_do_not_call_for_a_household_asks_and_names_a_promised_call_back(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, agree: bool
) -> None:
    sample_core.set_state(1, "call_back")  # Maria asked to be called back
    window = ready(qtbot, main_window)
    window.work.open_contact(2)
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    questions: list[str] = []
    window.work.call.confirm_do_not_call = lambda q: questions.append(q) or agree
    type_keys(qtbot, (Qt.Key.Key_D, ALT), (Qt.Key.Key_Return, CTRL))
    assert len(questions) == 1
    assert "Daniel Lopez, Maria Lopez" in questions[0]
    assert "call-back promised to Maria Lopez is cancelled" in questions[0]
    if agree:
        qtbot.waitUntil(lambda: len(sample_core.saved) == 1)
        assert sample_core.saved[0][1].disposition == "do_not_call"
    else:
        assert sample_core.saved == [] and shown_name(window) == "Daniel Lopez"


def test_do_not_call_on_someones_own_cell_is_not_asked_for_the_household(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_view = sample_core.call_view

    def on_her_cell(contact_id: int) -> CallView:
        view = sample_view(contact_id)
        if contact_id != 1:
            return view
        return replace(view, phone="+16145550999", number=2, numbers=2, own_number=True)

    sample_core.call_view = on_her_cell  # type: ignore[method-assign]
    window = ready(qtbot, main_window)  # Maria, who shares a number with Daniel
    assert shown_name(window) == "Maria Lopez"
    window.work.call.confirm_do_not_call = lambda q: pytest.fail("asked for the household")
    save(qtbot, window, (Qt.Key.Key_D, ALT))
    assert sample_core.saved[0][1].disposition == "do_not_call"


def test_do_not_call_for_someone_alone_is_not_asked(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    window.work.open_contact(3)  # Aisha lives alone
    qtbot.waitUntil(lambda: shown_name(window) == "Aisha Rahman")
    window.work.call.confirm_do_not_call = lambda q: pytest.fail("asked for one person")
    save(qtbot, window, (Qt.Key.Key_D, ALT))
    assert sample_core.saved[0][1].disposition == "do_not_call"
