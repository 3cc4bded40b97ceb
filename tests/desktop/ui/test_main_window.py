"""The main window around the calls: sign-in, sign-out, sync outcomes, feedback, tasks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QPushButton
from pytestqt.qtbot import QtBot

from desktop.services.errors import UserError
from desktop.services.views import SyncReport
from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import TaskRunner, plain_message
from tests.desktop.ui.helpers import type_keys


def test_sign_in_with_a_wrong_password_says_so_in_plain_words(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_core.signed_in = False
    window = main_window()
    form = window.sign_in
    qtbot.waitUntil(lambda: form.hub_url.text() != "")  # prefilled from the saved account
    form.hub_url.setText("hub.example.org")
    form.email.setText("sam@example.org")
    form.password.setFocus()
    type_keys(qtbot, "wrong", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error.isVisible())
    assert (
        form.error.text() == "Wrong email or password. Please check the email address and password."
    )
    # as typed: the core adds the scheme (http on this machine or the office network)
    assert form.hub_url.text() == "hub.example.org"
    type_keys(qtbot, "right", Qt.Key.Key_Return)  # the password was selected: retype it
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.work)


def test_sign_in_form_names_what_is_missing(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_core.signed_in = False
    window = main_window()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in)
    window.sign_in.hub_url.clear()
    window.sign_in.email.clear()
    window.sign_in.sign_in_button.click()
    assert window.sign_in.error.text() == (
        "Please enter the hub address and your email and your password."
    )


def test_signed_in_window_shows_status_and_goal(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: "waiting to send" in window.status.pending_count.text())
    assert window.status.pending_count.text() == "3 results waiting to send"
    goal = window.findChild(QProgressBar, "goalProgress")
    assert goal.maximum() == 1_000_000 and goal.value() == 612_384
    assert goal.format() == "612,384 of 1,000,000 calls"
    qtbot.waitUntil(lambda: window.status.sync_status.text().startswith("● Online · synced"))


def test_sync_that_needs_sign_in_goes_back_to_the_form_and_keeps_results(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)  # the sync at sign-in
    sample_core.sync_once = lambda: SyncReport(  # type: ignore[method-assign]
        ok=False, online=True, needs_sign_in=True, message="Please sign in again."
    )
    with qtbot.waitSignal(window.sig_synced, timeout=5000):
        window.scheduler.sync_now()
    assert window.pages.currentWidget() is window.sign_in
    assert window.sign_in.error.text() == "Please sign in again. Nothing you recorded is lost."
    assert window.sign_in.email.text() == "sam.rivera@example.org"


def test_sync_that_needs_an_upgrade_shows_a_banner(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)  # the sync at sign-in
    sample_core.sync_once = lambda: SyncReport(  # type: ignore[method-assign]
        ok=False, online=True, needs_upgrade=True
    )
    with qtbot.waitSignal(window.sig_synced, timeout=5000):
        window.scheduler.sync_now()
    assert window.banner.isVisible()
    assert "please upgrade" in window.banner.text().lower()


def test_f5_syncs_now(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)  # the sync at sign-in
    before = sample_core.sync_calls
    with qtbot.waitSignal(window.sig_synced, timeout=5000):
        type_keys(qtbot, Qt.Key.Key_F5)
    assert sample_core.sync_calls == before + 1


def test_sync_now_is_a_visible_button_that_names_its_key(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)
    button = window.statusBar().findChild(QPushButton, "syncNow")
    assert button.isVisible() and "F5" in button.text()
    before = sample_core.sync_calls
    with qtbot.waitSignal(window.sig_synced, timeout=5000):
        button.click()
    assert sample_core.sync_calls == before + 1


def test_while_offline_a_probe_finds_the_hub_back_and_syncs_at_once(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_core.online = False
    window = main_window()
    window.scheduler.probe_interval = 0.05
    window.scheduler.max_backoff = 3600.0
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)
    # the hub is away: rounds back off (each failure the next one waits an hour here)...
    assert not window.scheduler.last_report.online
    qtbot.waitUntil(lambda: sample_core.probes >= 2)  # ...but the probe keeps asking
    calls = sample_core.sync_calls
    assert calls == 1
    sample_core.online = True  # the hub is back
    with qtbot.waitSignal(window.sig_synced, timeout=5000) as synced:
        pass
    assert synced.args[0].online and sample_core.sync_calls == calls + 1
    assert not window.scheduler.probing  # online: no more probes


@pytest.mark.parametrize("confirm", [False, True])
def test_sign_out_with_unsent_results_tells_how_many_and_needs_confirmation(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, confirm: bool
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    window.work.call.dispositions.select(
        window.work.call.dispositions.selected()
        or __import__("sync.protocol").protocol.Disposition.busy
    )
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        window.work.call.save()
    asked: list[int] = []
    window.confirm_lose_results = lambda pending, _messages=0: asked.append(pending) or confirm
    window.sign_out()
    qtbot.waitUntil(lambda: asked == [1])
    if confirm:
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in)
        assert not sample_core.signed_in
    else:
        assert window.pages.currentWidget() is window.work
        assert sample_core.signed_in


def test_message_to_organizers_is_queued(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    dialog = window.open_feedback()
    dialog.send()
    assert dialog.error.text() == "Please write a message first."
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.text.setFocus()
    type_keys(qtbot, "Several people asked about early voting.")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        type_keys(qtbot, (Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
    assert sample_core.feedback == ["Several people asked about early voting."]


def test_choose_a_state_lists_remaining_names_and_the_cooldown(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.work.current_list is not None)
    window.show_campaigns()
    screen = window.campaigns
    qtbot.waitUntil(lambda: screen.list_picker.count() == 4)
    texts = [screen.list_picker.item(i).text() for i in range(4)]
    assert texts[0] == "Ohio — 1,482 numbers left to call"
    assert texts[3] == "Vermont — everyone has been called"
    window._tick()
    assert screen.cooldown_timer.text().startswith("You can get more names in 7:")
    assert not screen.reserve_button.isEnabled()
    goal = screen.findChild(QLabel, "goalText")
    assert goal.text().startswith("612,384 of 1,000,000 calls made")


def test_get_names_offline_is_queued_and_the_screen_says_so(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.work.current_list is not None)
    window.show_campaigns()
    screen = window.campaigns
    qtbot.waitUntil(lambda: screen.list_picker.count() == 4)
    screen.set_next_request_at(None)
    sample_core.online = False
    screen.reserve_button.click()
    qtbot.waitUntil(lambda: "next sync" in screen.message.text())
    assert window.pages.currentWidget() is screen


def test_task_errors_reach_the_user_as_plain_words(qtbot: QtBot, tasks: TaskRunner) -> None:
    messages: list[str] = []

    def bug() -> None:
        raise KeyError("internal detail")

    def refused() -> None:
        raise UserError("The hub can't be reached. Check your connection.")

    tasks.run_db(bug, on_error=lambda exc: messages.append(plain_message(exc)))
    tasks.run_net(refused, on_error=lambda exc: messages.append(plain_message(exc)))
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert sorted(messages) == [
        "Something went wrong. The details were written to the log file.",
        "The hub can't be reached. Check your connection.",
    ]
    assert plain_message(ValueError("x")).startswith("Something went wrong")


def test_task_callbacks_run_on_the_gui_thread(qtbot: QtBot, tasks: TaskRunner) -> None:
    import threading

    seen: list[tuple[str, bool]] = []
    tasks.run_db(
        lambda: threading.current_thread().name,
        lambda worker: seen.append((worker, threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: len(seen) == 1)
    worker, on_main = seen[0]
    assert on_main and worker != threading.main_thread().name


def test_without_a_keyring_the_window_says_the_password_will_be_asked_again(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    from dataclasses import replace

    sample_core.signed_in = False
    original = sample_core.sign_in
    sample_core.sign_in = lambda *a: replace(  # type: ignore[method-assign]
        original(*a), account=replace(original(*a).account, remember=False)
    )
    window = main_window()
    form = window.sign_in
    qtbot.waitUntil(lambda: window.pages.currentWidget() is form)
    form.password.setText("right")
    form.sign_in_button.click()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "no keyring" in window.banner.text()
    assert "asked for your password next time" in window.banner.text()


def test_get_names_shows_the_new_list_and_its_first_name(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_core._has_list = False
    window = main_window()
    screen = window.campaigns
    qtbot.waitUntil(lambda: screen.list_picker.count() == 4 and screen.list_picker.hasFocus())
    assert window.pages.currentWidget() is screen  # no list yet: choose a state first
    type_keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    assert window.pages.currentWidget() is window.work
    assert window.work.call.view.name == "Maria Lopez"


def test_release_unused_names_asks_then_gives_them_back(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.work.call.view is not None)
    asked: list[int] = []
    window.work.confirm_release = lambda remaining: asked.append(remaining) or True
    qtbot.waitUntil(lambda: not window.scheduler.running)
    syncs = sample_core.sync_calls
    window.findChild(QPushButton, "releaseButton").click()
    qtbot.waitUntil(lambda: window.work.current_list is None)
    assert asked == [10]
    qtbot.waitUntil(lambda: sample_core.sync_calls > syncs)  # the hub hears of it now
    assert window.work.call.view is None
    more = window.findChild(QPushButton, "moreNames")
    assert more.isVisible() and more.hasFocus()
    type_keys(qtbot, Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.campaigns


@pytest.mark.parametrize(
    ("pending", "messages", "says", "button"),
    [
        (1, 0, "1 result has not reached the hub yet", "Sign out and lose 1 result"),
        (7, 0, "7 results have not reached the hub yet", "Sign out and lose 7 results"),
        (0, 1, "1 message to the organizers has not reached", "Sign out and lose it"),
        (
            2,
            1,
            "2 results and 1 message to the organizers have not reached",
            "Sign out and lose them",
        ),
    ],
)
def test_signing_out_with_unsent_results_counts_them_in_plain_words(
    qtbot: QtBot,
    main_window: Callable[[], MainWindow],
    pending: int,
    messages: int,
    says: str,
    button: str,
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = main_window()
    seen: list[tuple[str, list[str], str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        labels = [b.text() for b in box.buttons()]
        seen.append((box.text(), labels, box.defaultButton().text()))
        next(b for b in box.buttons() if b.text() == "Keep them").click()

    QTimer.singleShot(0, answer)
    assert window.confirm_lose_results(pending, messages) is False
    (text, labels, default), *_ = seen
    assert text.startswith(says) and button in labels and default == "Keep them"


def test_signing_out_with_an_unsent_message_to_organizers_asks_first(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.opening)
    sample_core.send_feedback("People ask about early voting.")
    asked: list[tuple[int, int]] = []
    window.confirm_lose_results = lambda pending, messages=0: bool(
        asked.append((pending, messages))
    )
    window.sign_out()
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [(0, 1)] and sample_core.signed_in  # kept: the answer was no


def test_usable_once_the_first_name_of_the_list_is_shown(
    qtbot: QtBot, main_window: Callable[[], MainWindow]
) -> None:
    window = main_window()
    seen: list[tuple[object, object]] = []
    window.sig_usable.connect(
        lambda: seen.append((window.pages.currentWidget(), window.work.call.view))
    )
    qtbot.waitUntil(lambda: bool(seen))
    page, view = seen[0]
    assert page is window.work and view is not None
    window.work.open_next(view.contact_id)  # later pages and names: not a second start
    qtbot.waitUntil(lambda: window.work.call.view is not view)
    window.show_campaigns()
    assert len(seen) == 1


def test_usable_at_once_on_the_sign_in_form_when_nobody_is_signed_in(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    sample_core.signed_in = False
    window = main_window()
    with qtbot.waitSignal(window.sig_usable, timeout=10_000):
        pass
    assert window.pages.currentWidget() is window.sign_in


def test_on_a_cold_start_the_first_sync_waits_until_the_list_is_on_screen(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    syncs_when_usable: list[int] = []
    window.sig_usable.connect(lambda: syncs_when_usable.append(sample_core.sync_calls))
    qtbot.waitUntil(lambda: bool(syncs_when_usable))
    assert syncs_when_usable == [0]  # nothing competed with showing the list
    assert window.work.call.view is not None
    qtbot.waitUntil(lambda: sample_core.sync_calls >= 1)  # and then it syncs


def _save_busy(qtbot: QtBot, window: MainWindow) -> None:
    from sync.protocol import Disposition

    qtbot.waitUntil(lambda: window.work.call.view is not None and not window.work.call.saving)
    window.work.call.dispositions.select(Disposition.busy)
    with qtbot.waitSignal(window.sig_result_saved, timeout=5000):
        window.work.call.save()


def test_a_save_shows_its_count_without_a_status_query_and_the_scheduler_sends_it_later(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    window.scheduler.push_delay = 3600.0  # a save's round is due, not yet run
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)  # the sync at sign-in
    qtbot.waitUntil(lambda: not window.scheduler.running)
    qtbot.waitUntil(lambda: window.status.pending_count.text() == "3 results waiting to send")
    syncs, statuses, lists = (
        sample_core.sync_calls,
        sample_core.status_calls,
        sample_core.my_list_calls,
    )
    _save_busy(qtbot, window)
    _save_busy(qtbot, window)
    assert window.status.pending_count.text() == "2 results waiting to send"  # from the save
    assert window.status.goal_progress.format() == "612,386 of 1,000,000 calls"
    assert (sample_core.sync_calls, sample_core.status_calls, sample_core.my_list_calls) == (
        syncs,
        statuses,
        lists,
    )
    assert (window.scheduler.next_push_in() or 0) > 3000  # one round for both, due later


def test_the_scheduler_pushes_a_moment_after_a_save(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore
) -> None:
    window = main_window()
    window.scheduler.push_delay = 0.05
    qtbot.waitUntil(lambda: window.scheduler.last_report is not None)
    qtbot.waitUntil(lambda: not window.scheduler.running)
    syncs = sample_core.sync_calls
    with qtbot.waitSignal(window.sig_synced, timeout=5000):
        _save_busy(qtbot, window)
    assert sample_core.sync_calls == syncs + 1
    assert window.scheduler.next_push_in() is None


def test_screens_refresh_themselves_from_published_changes(
    qtbot: QtBot, main_window: Callable[[], MainWindow], sample_core: SampleCore, tasks: TaskRunner
) -> None:
    from desktop.services.views import Changes

    window = main_window()
    qtbot.waitUntil(lambda: window.work.current_list is not None)
    qtbot.waitUntil(lambda: tasks.busy == 0)
    lists, statuses = sample_core.my_list_calls, sample_core.status_calls
    tasks.publish(Changes(contacts=True))  # e.g. a round brought do-not-call numbers
    qtbot.waitUntil(lambda: sample_core.my_list_calls == lists + 1)
    tasks.publish(Changes(status=True))
    qtbot.waitUntil(lambda: sample_core.status_calls == statuses + 1)
    tasks.publish(Changes(pending=9))  # a count that came with a change: no query
    assert window.status.pending_count.text() == "9 results waiting to send"
    qtbot.waitUntil(lambda: tasks.busy == 0)
    assert (sample_core.my_list_calls, sample_core.status_calls) == (lists + 1, statuses + 1)


def test_task_errors_are_logged_with_a_traceback_by_type_not_by_text(
    qtbot: QtBot, tasks: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []

    def refused() -> None:
        raise UserError("Something went wrong with your password.")  # our words, not a bug

    def bug() -> None:
        raise KeyError("internal detail")

    tasks.run_db(refused, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    tasks.run_net(bug, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert isinstance(errors[0], UserError) and isinstance(errors[1], KeyError)
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert [type(r.exc_info[1]) for r in tracebacks if r.exc_info] == [KeyError]
