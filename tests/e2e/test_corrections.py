"""Issue 12 point 1 end to end: a call corrected in the real window reaches the real hub as a
new result that supersedes the old one, counted once toward the goal (hub and laptop) and
exported as current with the old one marked superseded."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.desktop.ui.helpers import type_keys
from tests.e2e.seed import Seeded, hub_results, query
from tests.e2e.test_calls_offline_keyboard import (  # noqa: F401
    ALT,
    CTRL,
    WAIT,
    app_window,
    call,
    sign_in_and_get_names,
)
from tests.support.hub_process import HubProcess, run_hub_cli


def goal_text(window: MainWindow) -> str:
    return window.status.goal_progress.format()


def test_a_corrected_call_counts_once_and_exports_as_current(
    qtbot: QtBot,
    seeded_hub_any_db: Seeded,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    hub = HubProcess(seeded_hub_any_db.database_url).start()
    try:
        window = app_window()
        sign_in_and_get_names(qtbot, window, hub.url)
        first_id, contact_id = call(qtbot, window, (Qt.Key.Key_N, ALT))  # "no answer"...
        qtbot.waitUntil(lambda: goal_text(window).startswith("1 of"), timeout=WAIT)
        type_keys(qtbot, Qt.Key.Key_F2)  # ...no: she answered and said yes
        qtbot.waitUntil(lambda: window.work.call.correcting is not None, timeout=WAIT)
        view = window.work.call.view
        assert view is not None and view.contact_id == contact_id
        fixed_id, _ = call(qtbot, window, Qt.Key.Key_1, Qt.Key.Key_2, (Qt.Key.Key_C, ALT))

        qtbot.waitUntil(lambda: len(hub_results(hub.database_url)) == 2, timeout=WAIT)
        rows = query(hub.database_url, "SELECT id, supersedes FROM call_results")
        assert dict(rows) == {first_id: None, fixed_id: first_id}
        # one call toward the goal, on the laptop (before and after the upload) and the hub
        qtbot.waitUntil(
            lambda: (
                window.scheduler.last_report is not None
                and window.scheduler.last_report.ok
                and "waiting" not in window.status.pending_count.text()
            ),
            timeout=WAIT,
        )
        assert goal_text(window).startswith("1 of")
        attempts = query(
            hub.database_url, f"SELECT attempts, state FROM contacts WHERE id = {contact_id}"
        )
        assert attempts == [(1, "done")]

        campaign = str(seeded_hub_any_db.campaign_id)
        current = run_hub_cli(hub.database_url, "export-results", campaign)
        everything = run_hub_cli(hub.database_url, "export-results", campaign, "--all")
        assert current.returncode == everything.returncode == 0, current.stderr
        now = {row["result_id"]: row for row in csv.DictReader(io.StringIO(current.stdout))}
        assert first_id not in now  # the export's default: current results only
        assert now[fixed_id]["disposition"] == "contacted"
        by_id = {row["result_id"]: row for row in csv.DictReader(io.StringIO(everything.stdout))}
        assert by_id[first_id]["status"] == "superseded"
        assert by_id[fixed_id]["status"] != "superseded"
    finally:
        hub.stop()
