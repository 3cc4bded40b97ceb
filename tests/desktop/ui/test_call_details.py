"""Issue 12 points 7 and 9, through the real window (sample core): the call-back picker on the
voter's clock, Back shows the earlier answer, scale buttons read "1"…"5", Return presses "Get
more names", the demo notice comes back after signing out and in."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.services.hours import local_time
from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from tests.desktop.ui.helpers import type_keys
from tests.desktop.ui.test_call_flow import ALT, CTRL, ready


def answer_labels(window: MainWindow) -> list[str]:
    box = window.work.call.script.findChild(QPushButton, "answerButton").parentWidget()
    return [b.text() for b in box.findChildren(QPushButton, "answerButton") if b.isVisible()]


def test_back_shows_the_answer_given_before_with_the_focus_on_it(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    script = window.work.call.script
    type_keys(qtbot, Qt.Key.Key_2)  # Undecided -> "What matters most?" (text)
    type_keys(qtbot, "Jobs", Qt.Key.Key_Return)
    assert script.is_finished()
    type_keys(qtbot, (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier))  # Back
    edit = QApplication.focusWidget()  # the answer, typed in again, to keep or change
    assert isinstance(edit, QLineEdit) and edit.objectName() == "textAnswer"
    assert edit.text() == "Jobs"
    edit.clear()
    type_keys(qtbot, (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier))
    earlier = script.earlier_button()
    assert earlier is not None and earlier.accessibleName() == "Undecided"
    assert QApplication.focusWidget() is earlier
    hints = [label.text() for label in script.findChildren(QLabel, "hint")]
    assert any("earlier answer is marked" in hint for hint in hints)
    type_keys(qtbot, Qt.Key.Key_Space)  # keeps it
    assert script.answers() == {"support": "undecided"}
    assert script.earlier_button() is None


def test_scale_buttons_read_their_number_once(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = ready(qtbot, main_window)
    # Yes -> polling place: No -> ride: Walk + Enter -> "How excited, from 1 to 5?"
    type_keys(qtbot, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_Return)
    assert answer_labels(window) == ["1", "2", "3", "4", "5"]
    type_keys(qtbot, Qt.Key.Key_4)
    assert window.work.call.script.answers()["enthusiasm"] == 4


def test_return_presses_get_more_names_at_the_end_of_the_list(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    for contact_id in range(1, 11):
        sample_core.set_state(contact_id, "done")
    window.work.reload(open_next=True)
    more = window.work.call.findChild(QPushButton, "moreNames")
    qtbot.waitUntil(lambda: more.isVisible() and QApplication.focusWidget() is more)
    type_keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.campaigns)


def test_the_demo_notice_comes_back_after_signing_out_and_in(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    window.set_standing_notice("https://hub.neighborsforohio.org", "Demo: a practice hub")
    window.accept_account(sample_core.saved_account())  # as the demo's own sign-in does
    assert window.banner.isVisible() and window.banner.text() == "Demo: a practice hub"
    window.sign_out()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in)
    assert not window.banner.isVisible()
    window.sign_in.password.setText("right")
    window.sign_in.password.setFocus()
    type_keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.sign_in)
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text() == "Demo: a practice hub"


@pytest.fixture
def volunteer_in_berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_call_back_is_picked_on_the_voters_clock_and_confirmed_as_chosen(
    qtbot: QtBot,
    main_window: Callable[[], MainWindow],
    sample_core: SampleCore,
    volunteer_in_berlin: None,
) -> None:
    sample_core.timezone = "America/Chicago"  # a voter in Texas, a volunteer in Berlin
    window = ready(qtbot, main_window)
    bar = window.work.call.dispositions
    type_keys(qtbot, (Qt.Key.Key_K, ALT))
    picker = window.findChild(QDateTimeEdit, "callBackAt")
    assert QApplication.focusWidget() is picker
    default = local_time("America/Chicago", bar.call_back_at())
    now_there = local_time("America/Chicago", datetime.now(UTC))
    assert default.date() == (now_there + timedelta(days=1)).date()
    assert 9 <= default.hour < 21 and default.minute == 0  # inside their calling hours
    # "Tomorrow at 18:00", as she said it: typed on her clock.
    day = default.date()
    picker.setDateTime(
        QDateTime(QDate(day.year, day.month, day.day), QTime(18, 0), QTimeZone.utc())
    )
    chosen = datetime(day.year, day.month, day.day, 18, 0, tzinfo=ZoneInfo("America/Chicago"))
    yours = chosen.astimezone(ZoneInfo("Europe/Berlin"))
    your_time = window.findChild(QLabel, "callBackYourTime")
    assert your_time.text() == f"= {yours.strftime('%a %d %b %H:%M')} your time"
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    draft = sample_core.saved[0][1]
    assert draft.call_back_at == chosen
    note = window.findChild(QLabel, "savedNote")
    qtbot.waitUntil(lambda: "call back" in note.text())
    assert f"{chosen.strftime('%a %d %b')} 18:00 their time ({yours:%H:%M} yours)" in note.text()


def test_a_call_back_time_outside_their_hours_says_so(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = ready(qtbot, main_window)
    type_keys(qtbot, (Qt.Key.Key_K, ALT))
    picker = window.findChild(QDateTimeEdit, "callBackAt")
    day = picker.date()
    picker.setDateTime(QDateTime(day, QTime(22, 30), QTimeZone.utc()))
    assert (
        "outside their calling hours (09:00–21:00)"
        in window.findChild(QLabel, "callBackYourTime").text()
    )


def test_the_end_of_the_list_says_when_the_no_answers_can_be_tried_again(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    from desktop.services.views import RetryOutlook

    window = ready(qtbot, main_window)
    for contact_id in range(1, 11):
        sample_core.set_state(contact_id, "done")
    first_at = datetime.now(UTC) + timedelta(hours=4)
    hold = datetime.now(UTC) + timedelta(hours=20)
    sample_core.retries = RetryOutlook(waiting=3, first_at=first_at, hold_until=hold)
    window.work.reload(open_next=True)
    text = window.work.call.findChild(QLabel, "emptyText")
    qtbot.waitUntil(lambda: "3 people who did not answer" in text.text())
    assert f"from {first_at.astimezone():%H:%M}" in text.text()
    assert f"held until {hold.astimezone():%a %H:%M}" in text.text()
    assert "called everyone" not in text.text()
    # when the retry time comes, the next person is offered by itself
    sample_core.set_state(2, "to_call")
    window.work.tick(first_at)
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    assert window.work.call.view.contact_id == 2
