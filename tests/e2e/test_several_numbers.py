"""A person with several numbers, from a voter file, on the real window against a real hub:
"Number 1 of 2" on the call screen, and after a wrong number their next number at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.desktop.ui.helpers import type_keys
from tests.e2e.seed import hub_results, query, seed_hub
from tests.e2e.test_calls_offline_keyboard import (  # noqa: F401 (app_window: a fixture)
    ALT,
    CTRL,
    WAIT,
    app_window,
    call,
    sign_in_and_get_names,
)
from tests.support.hub_process import HubProcess, run_hub_cli

# An NGP VAN export: Maria has a home and a cell number, Aisha only a work number with an
# extension in its own column.
VAN_EXPORT = """VanID,FirstName,LastName,HomePhone,CellPhone,WorkPhone,WorkPhoneExt
101,Maria,Lopez,614-555-0123,(614) 555-0124,,
102,Aisha,Rahman,,,216-555-0143,45
"""


def card_text(window: MainWindow, name: str) -> str:
    label = window.findChild(QLabel, name)
    assert label is not None, name
    return label.text() if label.isVisible() else ""


def test_the_next_number_is_dialed_after_a_wrong_number(
    qtbot: QtBot,
    tmp_path: Path,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    seeded = seed_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path, VAN_EXPORT)
    hub = HubProcess(seeded.database_url).start()
    try:
        window = app_window()
        sign_in_and_get_names(qtbot, window, hub.url)
        assert window.work.call.view is not None and window.work.call.view.name == "Maria Lopez"
        assert card_text(window, "phoneNumber") == "(614) 555-0123"
        assert card_text(window, "numberPosition") == "Number 1 of 2  ·  home"

        maria = window.work.call.view.contact_id
        with qtbot.waitSignal(window.sig_result_saved, timeout=WAIT):
            type_keys(qtbot, (Qt.Key.Key_W, ALT), (Qt.Key.Key_Return, CTRL))  # wrong number

        # Maria again, on her cell: the next contact is the same person's next number.
        qtbot.waitUntil(lambda: card_text(window, "phoneNumber") == "(614) 555-0124", timeout=WAIT)
        view = window.work.call.view
        assert view is not None and view.contact_id == maria and view.phone == "+16145550124"
        assert card_text(window, "numberPosition") == "Number 2 of 2  ·  cell"
        window.grab().save(str(tmp_path / "number-2-of-2.png"))

        call(qtbot, window, (Qt.Key.Key_N, ALT))  # no answer on the cell: on to Aisha
        qtbot.waitUntil(lambda: card_text(window, "contactName") == "Aisha Rahman", timeout=WAIT)
        assert card_text(window, "phoneNumber") == "(216) 555-0143 ext. 45"
        assert card_text(window, "numberPosition") == "work"  # one number: no "1 of 1"
        dialed: list[str] = []
        window.work.call.card.dialer = lambda number: dialed.append(number) or True
        window.work.call.card.dial()
        assert dialed == ["+12165550143;ext=45"]  # RFC 3966: the phone app dials it after

        qtbot.waitUntil(lambda: len(hub_results(seeded.database_url)) == 2, timeout=WAIT)
        assert sorted(r[1] for r in hub_results(seeded.database_url)) == [
            "no_answer",
            "wrong_number",
        ]
        # Each result told the hub the number it was on: the wrong one was her home number
        # (the household's), the unanswered one her cell.
        dialed_by_disposition = dict(
            query(seeded.database_url, "SELECT disposition, dialed_phone FROM call_results")
        )
        assert dialed_by_disposition == {
            "wrong_number": "+16145550123",
            "no_answer": "+16145550124",
        }
    finally:
        hub.stop()


def test_a_second_number_listed_on_the_hub_is_dropped_at_the_next_sync(
    qtbot: QtBot,
    tmp_path: Path,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    """Maria's cell goes on the do-not-call list while her list is on the laptop: the
    next sync drops it from her numbers (the call screen counts only what may be dialed);
    her home number, the household's, is still hers to call."""
    seeded = seed_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path, VAN_EXPORT)
    hub = HubProcess(seeded.database_url).start()
    try:
        window = app_window()
        sign_in_and_get_names(qtbot, window, hub.url)
        assert card_text(window, "numberPosition") == "Number 1 of 2  ·  home"
        maria = window.work.call.view
        assert maria is not None and maria.name == "Maria Lopez"

        dnc_file = tmp_path / "dnc.csv"
        dnc_file.write_text("phone\n(614) 555-0124\n", encoding="utf-8")
        done = run_hub_cli(seeded.database_url, "dnc", "import", str(dnc_file))
        assert done.returncode == 0, done.stderr
        with qtbot.waitSignal(window.scheduler.sig_synced, timeout=WAIT):
            window.scheduler.sync_now()

        # One number left: the position line names only its kind, as for anyone with one.
        qtbot.waitUntil(lambda: card_text(window, "numberPosition") == "home", timeout=WAIT)
        view = window.work.call.view
        assert view is not None and view.contact_id == maria.contact_id
        assert (view.phone, view.number, view.numbers) == ("+16145550123", 1, 1)
        window.grab().save(str(tmp_path / "second-number-listed.png"))

        # A wrong number on her home number now finishes her: no listed number is dialed.
        with qtbot.waitSignal(window.sig_result_saved, timeout=WAIT):
            type_keys(qtbot, (Qt.Key.Key_W, ALT), (Qt.Key.Key_Return, CTRL))
        qtbot.waitUntil(lambda: card_text(window, "contactName") == "Aisha Rahman", timeout=WAIT)
    finally:
        hub.stop()
