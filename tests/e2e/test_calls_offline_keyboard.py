"""The issue's first proof: the real window against a real hub, the calls made with the
keyboard only, the hub going away mid-session, and every result arriving by itself later."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import LazyCore, build_core
from desktop.paths import resolve
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRunner
from tests.desktop.ui.helpers import show_active, type_keys
from tests.e2e.seed import (
    VOLUNTEER_EMAIL,
    VOLUNTEER_PASSWORD,
    Seeded,
    execute,
    hub_answers,
    hub_dnc,
    hub_results,
)
from tests.support.hub_process import HubProcess

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
WAIT = 20_000  # ms: generous for a loaded 2-core machine; the waits end as soon as true


@pytest.fixture
def app_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], MainWindow]]:
    """The real main window on the real core, syncing every 0.3 s (backoff capped at 0.5 s)."""
    monkeypatch.setenv("PHONEBANK_SYNC_INTERVAL", "0.3")
    monkeypatch.setenv("PHONEBANK_SYNC_MAX_BACKOFF", "0.5")
    made: list[tuple[MainWindow, TaskRunner, LazyCore]] = []

    def make() -> MainWindow:
        paths = resolve(tmp_path / "laptop").create()
        core = LazyCore(lambda: build_core(paths, None))
        tasks = TaskRunner()
        window = MainWindow(core, tasks)
        window.ask_close_mid_call = lambda _name: "keep"  # no modal dialog at teardown
        qtbot.addWidget(window)
        window.resize(1280, 800)
        show_active(qtbot, window)
        window.start()
        made.append((window, tasks, core))
        return window

    yield make
    for window, tasks, core in made:
        window.scheduler.stop()
        tasks.wait_for_all()
        core.close()


def focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def sign_in_by_keyboard(qtbot: QtBot, window: MainWindow, hub_url: str) -> None:
    qtbot.waitUntil(lambda: focused_name() == "hubUrl", timeout=WAIT)
    type_keys(qtbot, hub_url, Qt.Key.Key_Tab, VOLUNTEER_EMAIL, Qt.Key.Key_Tab)
    assert focused_name() == "password"
    type_keys(qtbot, VOLUNTEER_PASSWORD, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.campaigns, timeout=WAIT)


def sign_in_and_get_names(qtbot: QtBot, window: MainWindow, hub_url: str) -> None:
    """Sign in, press Enter on the only list, and wait for the first question."""
    sign_in_by_keyboard(qtbot, window, hub_url)
    picker = window.campaigns.list_picker
    qtbot.waitUntil(lambda: picker.count() == 1 and picker.hasFocus(), timeout=WAIT)
    type_keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused_name() == "answerButton", timeout=WAIT)


def call(qtbot: QtBot, window: MainWindow, *keys: object) -> tuple[str, int]:
    """Make one call with `keys`, then Ctrl+Enter; returns (result id, contact id)."""
    view = window.work.call.view
    assert view is not None
    contact_id = view.contact_id
    type_keys(qtbot, *keys)
    with qtbot.waitSignal(window.sig_result_saved, timeout=WAIT) as saved:
        type_keys(qtbot, (Qt.Key.Key_Return, CTRL))
    result_id = str(saved.args[0])
    # The next name is shown (or the list is done) before the next keys go in.
    qtbot.waitUntil(
        lambda: window.work.call.view is None or window.work.call.view.contact_id != contact_id,
        timeout=WAIT,
    )
    return result_id, contact_id


def test_keyboard_only_calls_survive_the_hub_going_away(
    qtbot: QtBot,
    seeded_hub_any_db: Seeded,
    app_window: Callable[[], MainWindow],
) -> None:
    hub = HubProcess(seeded_hub_any_db.database_url).start()
    try:
        window = app_window()
        sign_in_by_keyboard(qtbot, window, hub.url)

        # Choose a state: the list arrives with the first sync; Enter on it gets names.
        picker = window.campaigns.list_picker
        qtbot.waitUntil(lambda: picker.count() == 1 and picker.hasFocus(), timeout=WAIT)
        assert picker.currentItem().text().startswith("Ohio — 1")  # households left
        type_keys(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.work, timeout=WAIT)
        qtbot.waitUntil(lambda: focused_name() == "answerButton", timeout=WAIT)

        saved: list[tuple[str, int]] = []
        dnc_phone = ""
        # 1: Yes -> polling place: Yes -> what would help: ride + reminder, Enter -> done.
        saved.append(call(qtbot, window, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1,
                          Qt.Key.Key_2, Qt.Key.Key_Return))  # fmt: skip
        # 2: Undecided -> what matters: typed, Enter -> how likely: 4 -> done.
        saved.append(call(qtbot, window, Qt.Key.Key_2, "Schools and jobs", Qt.Key.Key_Return,
                          Qt.Key.Key_4))  # fmt: skip
        # 3: they ask never to be called again.
        view = window.work.call.view
        assert view is not None
        dnc_phone = view.phone
        saved.append(call(qtbot, window, (Qt.Key.Key_D, ALT)))
        qtbot.waitUntil(lambda: len(hub_results(hub.database_url)) == 3, timeout=WAIT)
        answers = hub_answers(hub.database_url)
        assert answers[saved[0][0]] == {
            "support": "yes",
            "plan": "yes",
            "help": ["ride", "reminder"],
        }
        assert answers[saved[1][0]] == {
            "support": "undecided",
            "issue": "Schools and jobs",
            "enthusiasm": 4,
        }
        assert answers[saved[2][0]] == {}

        # The hub goes away; five more calls are recorded on the laptop alone.
        hub.stop()
        for keys in (
            [Qt.Key.Key_3],  # No -> done (contacted)
            [(Qt.Key.Key_N, ALT)],  # no answer
            [(Qt.Key.Key_B, ALT)],  # busy
            [Qt.Key.Key_2, Qt.Key.Key_Return, Qt.Key.Key_5],  # undecided, skip text, 5
            [(Qt.Key.Key_L, ALT)],  # left a message
        ):
            saved.append(call(qtbot, window, *keys))
        qtbot.waitUntil(
            lambda: window.status.pending_count.text() == "5 results waiting to send",
            timeout=WAIT,
        )
        qtbot.waitUntil(lambda: "Offline" in window.status.sync_status.text(), timeout=WAIT)
        assert len(hub_results(hub.database_url)) == 3

        # The hub comes back on the same port and database; nobody touches anything.
        hub.restart()
        qtbot.waitUntil(lambda: len(hub_results(hub.database_url)) == 8, timeout=WAIT)
        qtbot.waitUntil(
            lambda: window.status.pending_count.text() == "All results sent", timeout=WAIT
        )
        stored = hub_results(hub.database_url)
        assert sorted(r[0] for r in stored) == sorted(result_id for result_id, _ in saved)
        assert len({contact for _, contact in saved}) == 8
        dispositions = sorted(r[1] for r in stored)
        assert dispositions == sorted(
            ["contacted", "contacted", "do_not_call", "contacted", "no_answer", "busy",
             "contacted", "left_message"]
        )  # fmt: skip
        assert dnc_phone in hub_dnc(hub.database_url)
        # No token or password left in any file: tests/security/test_no_secrets_at_rest.py.
    finally:
        hub.close()


def test_a_refused_token_asks_to_sign_in_again_and_loses_nothing(
    qtbot: QtBot, seeded_hub_db: Seeded, app_window: Callable[[], MainWindow]
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        window = app_window()
        sign_in_and_get_names(qtbot, window, hub.url)

        hub.stop()
        result_id, _contact = call(qtbot, window, (Qt.Key.Key_N, ALT))
        # Meanwhile an organizer revokes every token (say, a lost laptop was reported).
        execute(hub.database_url, "DELETE FROM api_tokens")
        hub.restart()

        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=WAIT)
        assert window.sign_in.error.text() == "Please sign in again. Nothing you recorded is lost."
        assert hub_results(hub.database_url) == []
        qtbot.waitUntil(lambda: focused_name() == "password", timeout=WAIT)
        type_keys(qtbot, VOLUNTEER_PASSWORD, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(hub_results(hub.database_url)) == 1, timeout=WAIT)
        assert hub_results(hub.database_url)[0][:2] == (result_id, "no_answer")
    finally:
        hub.close()


def test_signing_out_with_unsent_results_says_how_many_and_needs_a_yes(
    qtbot: QtBot, seeded_hub_db: Seeded, app_window: Callable[[], MainWindow]
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        window = app_window()
        sign_in_and_get_names(qtbot, window, hub.url)
        hub.stop()
        call(qtbot, window, (Qt.Key.Key_B, ALT))
        call(qtbot, window, (Qt.Key.Key_N, ALT))

        asked: list[int] = []
        answers = iter([False, True])
        window.confirm_lose_results = lambda pending, _messages=0: (
            asked.append(pending) or next(answers)
        )
        window.sign_out_action.trigger()
        qtbot.waitUntil(lambda: asked == [2], timeout=WAIT)
        assert window.pages.currentWidget() is window.work  # "Keep them": nothing changed
        window.sign_out_action.trigger()
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=WAIT)
        assert asked == [2, 2]
    finally:
        hub.close()
