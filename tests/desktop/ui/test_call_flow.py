"""The call screen inside the real main window, driven from the keyboard (sample core)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.my_list import RowRole
from desktop.ui.sample_core import SampleCore
from tests.desktop.ui.helpers import type_keys

SPEC_OBJECT_NAMES = [
    "hubUrl", "email", "password", "signIn", "campaignPicker", "listPicker", "reserveButton",
    "cooldownTimer", "holdTimer", "contactList", "dialButton", "questionText", "answerButtons",
    "backButton", "dispositionButtons", "notes", "saveNext", "syncStatus", "pendingCount",
    "goalProgress",
]  # fmt: skip

CTRL = Qt.KeyboardModifier.ControlModifier
NEW_YORK_14_05 = datetime(2026, 3, 3, 19, 5, tzinfo=UTC)  # a Tuesday
NEW_YORK_22_40 = datetime(2026, 3, 4, 3, 40, tzinfo=UTC)
ALT = Qt.KeyboardModifier.AltModifier


def ready(qtbot: QtBot, make: Callable[[], MainWindow]) -> MainWindow:
    """A signed-in window showing the first contact of the list."""
    window = make()
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.work)
    return window


def shown_name(window: MainWindow) -> str:
    view = window.work.call.view
    return view.name if view else ""


def test_every_spec_object_name_is_present_and_accessible(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    for name in SPEC_OBJECT_NAMES:
        widgets = window.findChildren(QWidget, name)
        assert len(widgets) == 1, name
        assert widgets[0].accessibleName() == name


def test_whole_call_from_the_keyboard_saves_and_shows_the_next_name(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    assert shown_name(window) == "Maria Lopez"
    # Yes -> polling place: No -> ride: Walk + Enter -> enthusiasm: 4 -> finished.
    type_keys(qtbot, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_Return, Qt.Key.Key_4)
    assert window.work.call.script.is_finished()
    type_keys(qtbot, Qt.Key.Key_Tab)  # from the dispositions on to the notes...
    focused = QApplication.focusWidget()
    while focused is not None and focused.objectName() != "notes":
        type_keys(qtbot, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
    type_keys(qtbot, "Wants a yard sign")
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000) as saved:
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    result_id, draft = sample_core.saved[0]
    assert saved.args == [str(result_id)]
    assert draft.contact_id == 1
    assert draft.disposition == "contacted"  # chosen for the caller once answers came in
    assert draft.answers == {"support": "yes", "plan": "no", "ride": ["walk"], "enthusiasm": 4}
    assert draft.notes == "Wants a yard sign"
    assert draft.script_version == 3  # the version on screen is the one sent
    assert draft.started_at is not None and draft.ended_at is not None
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    assert "Saved Maria Lopez" in window.findChild(QLabel, "savedNote").text()
    # The next call starts on its first question, with the focus there.
    assert QApplication.focusWidget().objectName() == "answerButton"


def test_do_not_call_by_mnemonic_records_no_answers(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    questions: list[str] = []
    window.work.call.confirm_do_not_call = lambda q: questions.append(q) or True
    type_keys(qtbot, Qt.Key.Key_1)  # an answer first: it is dropped for do-not-call
    type_keys(qtbot, (Qt.Key.Key_D, ALT))
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Enter, CTRL))
    assert len(questions) == 1  # Maria shares her number with Daniel: asked first
    draft = sample_core.saved[0][1]
    assert (draft.disposition, draft.answers) == ("do_not_call", {})
    qtbot.waitUntil(lambda: listed_state(window, draft.contact_id) == "dnc")


def listed_state(window: MainWindow, contact_id: int) -> str | None:
    """The state the list on the left shows for a contact."""
    model = window.work.list_panel.model
    for row in range(model.rowCount()):
        shown = model.index(row, 0).data(RowRole)
        if shown.id == contact_id:
            return str(shown.state)
    return None


def test_save_updates_only_the_saved_rows_without_reloading_the_list(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    panel = window.work.list_panel
    left_before = panel.remaining
    reloads_before = sample_core.my_list_calls
    resets: list[bool] = []
    panel.model.modelReset.connect(lambda: resets.append(True))
    changed: list[int] = []
    panel.model.dataChanged.connect(lambda top, *_: changed.append(top.row()))
    type_keys(qtbot, (Qt.Key.Key_N, ALT))  # no answer
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    assert listed_state(window, 1) == "done"
    assert changed == [panel.model.row_of(1)]
    assert (sample_core.my_list_calls, resets) == (reloads_before, [])
    assert panel.remaining == left_before - 1
    assert f"{left_before - 1} of" in panel.findChild(QLabel, "panelSubtitle").text()


def test_save_without_a_disposition_says_what_is_missing(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    error = window.findChild(QLabel, "inlineError", Qt.FindChildOption.FindChildrenRecursively)
    errors = [e for e in window.findChildren(QLabel, "inlineError") if e.isVisible()]
    assert error is not None and len(errors) == 1
    assert "Choose how the call ended" in errors[0].text()
    assert sample_core.saved == []
    # The focus went to the dispositions, so the next key can fix it.
    type_keys(qtbot, (Qt.Key.Key_N, ALT))
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    assert sample_core.saved[0][1].disposition == "no_answer"


def test_call_back_needs_a_time_in_the_future(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    type_keys(qtbot, (Qt.Key.Key_K, ALT))
    picker = window.findChild(QDateTimeEdit, "callBackAt")
    assert picker.isVisible() and QApplication.focusWidget() is picker
    window.work.call.dispositions.set_call_back_at(datetime.now(UTC) - timedelta(hours=1))
    type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    assert sample_core.saved == []
    assert any(
        "future" in e.text() for e in window.findChildren(QLabel, "inlineError") if e.isVisible()
    )
    when = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    window.work.call.dispositions.set_call_back_at(when)
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    draft = sample_core.saved[0][1]
    assert draft.disposition == "call_back" and draft.call_back_at == when


@pytest.mark.parametrize("agree", [False, True])
def test_dialing_outside_calling_hours_asks_first(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, agree: bool
) -> None:
    sample_core.within_hours = False
    window = ready(qtbot, main_window)
    card = window.work.call.card
    card.clock = lambda: NEW_YORK_22_40
    questions: list[str] = []
    dialed: list[str] = []
    card.confirm_outside_hours = lambda q: questions.append(q) or agree
    card.dialer = lambda phone: dialed.append(phone) or True
    type_keys(qtbot, (Qt.Key.Key_D, CTRL))
    assert len(questions) == 1 and "outside the calling hours (09:00–21:00)" in questions[0]
    assert dialed == (["+16145550123"] if agree else [])


def test_dialing_within_calling_hours_opens_the_tel_link_at_once(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    card = window.work.call.card
    card.clock = lambda: NEW_YORK_14_05
    dialed: list[str] = []
    card.confirm_outside_hours = lambda q: pytest.fail("asked within calling hours")
    card.dialer = lambda phone: dialed.append(phone) or True
    window.findChild(QWidget, "dialButton").click()
    assert dialed == ["+16145550123"]


def test_a_card_left_open_past_the_calling_hours_warns_at_dial_time(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)  # opened within the hours (09:00-21:00 in New York)
    card = window.work.call.card
    local_time = window.findChild(QLabel, "localTime")
    card.clock = lambda: NEW_YORK_14_05
    card.tick()
    assert "14:05 Tue — within calling hours" in local_time.text()
    later = NEW_YORK_14_05 + timedelta(hours=7)  # 21:05 there
    card.clock = lambda: later
    window.findChild(QTimer, "ticker").timeout.emit()  # the window's one-second tick
    assert "21:05 Tue — OUTSIDE calling hours" in local_time.text()
    questions: list[str] = []
    card.confirm_outside_hours = lambda q: questions.append(q) or False
    card.dialer = lambda phone: pytest.fail("dialed outside the hours without asking")
    type_keys(qtbot, (Qt.Key.Key_D, CTRL))
    assert len(questions) == 1 and questions[0].startswith("It is 21:05 Tue for Maria")


def test_choosing_a_name_in_the_list_opens_that_call(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    panel = window.work.list_panel
    panel.view.setFocus()
    row = panel.model.row_of(4)
    assert row is not None
    panel.view.setCurrentIndex(panel.model.index(row, 0))
    type_keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown_name(window) == "Tom Becker")


def test_tab_goes_from_the_question_through_the_endings_and_notes_to_save(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    type_keys(qtbot, Qt.Key.Key_1)  # Back is enabled after one answer
    window.findChild(QWidget, "backButton").setFocus()
    seen: list[str] = []
    for _ in range(30):
        type_keys(qtbot, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
        if seen[-1] == "saveNext":
            break
    # The endings are one group (like radio buttons): Tab stops on the chosen one, the
    # arrow keys move within the group, and the Alt+letter keys pick one directly.
    assert seen == ["disposition_contacted", "notes", "saveNext"]
    window.findChild(QWidget, "disposition_contacted").setFocus()
    type_keys(qtbot, Qt.Key.Key_Right)
    assert QApplication.focusWidget().objectName() == "disposition_no_answer"


def test_copy_puts_the_number_on_the_clipboard(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    ready(qtbot, main_window)
    QApplication.clipboard().clear()
    type_keys(qtbot, (Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier))
    assert QApplication.clipboard().text() == "+16145550123"


def test_the_hold_countdown_ticks(qtbot: QtBot, main_window: Callable[[], MainWindow]) -> None:
    window = ready(qtbot, main_window)
    hold = window.findChild(QLabel, "holdTimer")
    qtbot.waitUntil(lambda: hold.text().startswith("Held for you for 23:4"))
    my_list = window.work.current_list
    assert my_list is not None
    window.work.list_panel.tick(my_list.expires_at + timedelta(seconds=1))
    assert hold.text().startswith("Your hold on these names has ended.")


def test_a_number_put_on_do_not_call_by_the_hub_is_skipped_while_on_screen(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    assert shown_name(window) == "Maria Lopez"
    sample_core.set_state(1, "dnc")  # what a sync applies when the hub's DNC list grows
    window.work.reload()
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez")
    note = window.findChild(QLabel, "savedNote")
    assert note.text() == "Maria Lopez is now on the do-not-call list; skipped."


SMALL_AND_COMMON = [(800, 600), (1024, 600), (1366, 768), (1280, 800)]


def in_sight(window: MainWindow, widget: QWidget) -> bool:
    """`widget` is shown whole inside the window, not scrolled away inside the call page."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    area = window.rect()
    if not (area.contains(top_left) and area.contains(bottom_right)):
        return False
    scroll = window.work.call.findChild(QScrollArea, "callScroll")
    if scroll.widget().isAncestorOf(widget):
        viewport = scroll.viewport()
        inside = viewport.rect()
        return inside.contains(widget.mapTo(viewport, widget.rect().topLeft())) and inside.contains(
            widget.mapTo(viewport, widget.rect().bottomRight())
        )
    return True


def test_the_window_fits_a_netbook_screen(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    assert window.minimumSize().width() <= 800 and window.minimumSize().height() <= 560


@pytest.mark.parametrize("size", SMALL_AND_COMMON)
def test_the_call_screen_is_never_cut_off_sideways(
    qtbot: QtBot, main_window: Callable[[], MainWindow], size: tuple[int, int]
) -> None:
    window = ready(qtbot, main_window)
    window.resize(*size)
    type_keys(qtbot, (Qt.Key.Key_K, ALT))  # the widest state: call-back picker shown
    scroll = window.work.call.findChild(QScrollArea, "callScroll")

    def fits() -> bool:
        return (
            scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
            and scroll.horizontalScrollBar().maximum() == 0
        )

    qtbot.waitUntil(fits)
    # The number and Call are on screen without scrolling, Save & next always.
    for name in ("phoneNumber", "dialButton", "saveNext"):
        widget = window.findChild(QWidget, name)
        qtbot.waitUntil(lambda w=widget: in_sight(window, w))


@pytest.mark.parametrize("size", SMALL_AND_COMMON)
def test_saved_is_in_sight_even_under_a_banner(
    qtbot: QtBot, main_window: Callable[[], MainWindow], size: tuple[int, int]
) -> None:
    window = ready(qtbot, main_window)
    window.resize(*size)
    window.show_banner("This computer has no keyring: you'll be asked for your password.")
    type_keys(qtbot, (Qt.Key.Key_N, ALT))
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    note = window.findChild(QLabel, "savedNote")
    qtbot.waitUntil(lambda: note.text().startswith("✓ Saved Maria Lopez"))
    qtbot.waitUntil(
        lambda: in_sight(window, note) and in_sight(window, window.work.call.save_button)
    )


@pytest.mark.parametrize("size", SMALL_AND_COMMON)
def test_a_save_error_shows_beside_save_and_replaces_the_last_saved_note(
    qtbot: QtBot, main_window: Callable[[], MainWindow], size: tuple[int, int]
) -> None:
    window = ready(qtbot, main_window)
    window.resize(*size)
    type_keys(qtbot, (Qt.Key.Key_N, ALT))
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    note = window.findChild(QLabel, "savedNote")
    qtbot.waitUntil(lambda: shown_name(window) == "Daniel Lopez" and note.isVisible())
    type_keys(qtbot, (Qt.Key.Key_Return, CTRL))  # no disposition for Daniel
    error = window.work.call.findChild(QLabel, "inlineError")
    assert "Choose how the call ended" in error.text()
    assert not note.isVisible() and note.text() == ""  # no stale "✓ Saved" beside it
    save = window.work.call.save_button
    qtbot.waitUntil(lambda: in_sight(window, error))
    # beside Save & next: on the same row
    error_row = error.mapTo(window, error.rect().center()).y()
    assert save.mapTo(window, save.rect().topLeft()).y() <= error_row
    assert error_row <= save.mapTo(window, save.rect().bottomLeft()).y() + error.height()
    # the focus is on what to fix, scrolled into view
    focused = QApplication.focusWidget()
    assert focused is window.work.call.dispositions.buttons()["contacted"]
    qtbot.waitUntil(lambda: in_sight(window, focused))
    type_keys(qtbot, (Qt.Key.Key_B, ALT))
    assert not error.isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768), (1024, 600)])
def test_the_question_stays_put_from_a_household_to_a_person_alone(
    qtbot: QtBot, main_window: Callable[[], MainWindow], size: tuple[int, int]
) -> None:
    """The household line comes and goes with the contact; the card keeps its room, so the
    script under it is not moved or laid out again by each Save & next."""
    window = ready(qtbot, main_window)
    window.resize(*size)
    script_card = window.work.call.findChild(QWidget, "scriptCard")
    household = window.work.call.card.findChild(QLabel, "household")
    places = []
    for name in ("Maria Lopez", "Daniel Lopez", "Aisha Rahman"):
        qtbot.waitUntil(lambda name=name: shown_name(window) == name)
        for _ in range(3):  # the layout runs on posted events
            QApplication.processEvents()
        places.append((household.isVisible(), script_card.geometry()))
        with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
            type_keys(qtbot, (Qt.Key.Key_N, ALT), (Qt.Key.Key_Return, CTRL))
    assert [visible for visible, _ in places] == [True, True, False]
    assert places[1][1] == places[2][1]
