"""Issue 12 point 6: after the hub comes back, the app knows within seconds (a probe on a
short timer while offline), not after the sync backoff, which grows to minutes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.desktop.ui.helpers import type_keys
from tests.e2e.seed import Seeded
from tests.e2e.test_calls_offline_keyboard import WAIT, app_window, sign_in_by_keyboard  # noqa: F401
from tests.support.hub_process import HubProcess

BACKED_OFF = 60.0  # seconds: the next timed round is at least this far away


def test_the_app_is_online_again_soon_after_the_hub_returns(
    qtbot: QtBot,
    seeded_hub_db: Seeded,
    app_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        window = app_window()
        scheduler = window.scheduler
        scheduler.max_backoff = 300.0  # the app's default: the fixture caps it at 0.5 s
        scheduler.interval = 3600.0
        sign_in_by_keyboard(qtbot, window, hub.url)
        qtbot.waitUntil(lambda: "Online" in window.status.sync_status.text(), timeout=WAIT)

        hub.stop()
        # F5 while the hub is away: each failed round backs off further (5, 10, 20... s).
        backed_off = False
        while not backed_off:
            with qtbot.waitSignal(window.sig_synced, timeout=WAIT) as synced:
                type_keys(qtbot, Qt.Key.Key_F5)
            assert not synced.args[0].online
            backed_off = (scheduler.next_round_in() or 0) >= BACKED_OFF
        qtbot.waitUntil(lambda: "Offline" in window.status.sync_status.text(), timeout=WAIT)
        assert scheduler.probing

        hub.start()
        with qtbot.waitSignal(window.sig_synced, timeout=WAIT) as synced:
            pass  # the probe (every 5 s) finds the hub and starts a round at once
        assert synced.args[0].online
        assert (scheduler.next_round_in() or 0) > 60  # back on the normal interval
        qtbot.waitUntil(lambda: "Online" in window.status.sync_status.text(), timeout=WAIT)
    finally:
        hub.stop()
