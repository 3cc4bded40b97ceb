"""A slow, lossy link (every request held 1 s, one in ten connections dropped) between the
real main window (offscreen) and a real hub: the calls are made with the keyboard while sync
rounds crawl through the proxy, the window keeps answering, and every result arrives once."""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.e2e.seed import Seeded, hub_results
from tests.e2e.test_calls_offline_keyboard import (
    ALT,
    call,
    sign_in_and_get_names,
)
from tests.e2e.test_calls_offline_keyboard import app_window as app_window  # fixture
from tests.reliability.conftest import Figures, fault_seed
from tests.reliability.fault_proxy import FaultProxy
from tests.support.hub_process import HubProcess

LATENCY = 1.0  # seconds every request waits on the link
WAIT = 60_000  # ms: sending everything over the slow link; ends as soon as done
HEARTBEAT_MS = 20
# The GUI thread never waits on the network: a gap this long means it did (or nearly).
MAX_GAP = LATENCY / 2
CALLS = (
    [(Qt.Key.Key_N, ALT)],  # no answer
    [Qt.Key.Key_3],  # No -> done
    [Qt.Key.Key_2, Qt.Key.Key_Return, Qt.Key.Key_5],  # undecided, skip the text, 5
    [(Qt.Key.Key_L, ALT)],  # left a message
)


class Heartbeat:
    """A QTimer on the GUI thread; the gaps between its ticks show any stall of the loop."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start(HEARTBEAT_MS)

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


@pytest.mark.parametrize(
    "calls",
    [pytest.param(4, id="4-calls"), pytest.param(10, id="10-calls", marks=pytest.mark.slow)],
)
def test_calls_and_sync_over_a_slow_lossy_link_keep_the_window_responsive(
    qtbot: QtBot,
    seeded_hub_any_db: Seeded,
    hub_factory: Callable[..., HubProcess],
    app_window: Callable[[], MainWindow],
    figures: Figures,
    calls: int,
) -> None:
    hub = hub_factory(seeded_hub_any_db.database_url)
    seed = fault_seed()
    with FaultProxy(hub.url, seed=seed, latency=LATENCY, rates={"drop": 0.1}) as link:
        window = app_window()
        with link.pause_faults():  # slow but not yet lossy while signing in
            sign_in_and_get_names(qtbot, window, link.url)
        heartbeat = Heartbeat()
        saved: list[str] = []
        save_times: list[float] = []
        while_syncing = 0
        for keys in itertools.islice(itertools.cycle(CALLS), calls):
            while_syncing += window.scheduler.running
            started = time.monotonic()
            saved.append(call(qtbot, window, *keys)[0])
            save_times.append(time.monotonic() - started)
            # The volunteer reads the next intro while a round crawls over the link.
            with qtbot.waitSignal(window.scheduler.sig_synced, timeout=WAIT):
                pass
        qtbot.waitUntil(lambda: len(hub_results(hub.database_url)) == calls, timeout=WAIT)
        qtbot.waitUntil(
            lambda: window.status.pending_count.text() == "All results sent", timeout=WAIT
        )
        heartbeat.timer.stop()

    gaps = heartbeat.gaps()
    stored = [r[0] for r in hub_results(hub.database_url)]
    figures.add(
        f"seed {seed}: {calls} calls by keyboard, {link.summary()} with {LATENCY} s "
        f"latency each; {while_syncing} saves while a sync was in flight; save + next name "
        f"median {statistics.median(save_times) * 1000:.0f} ms, max "
        f"{max(save_times) * 1000:.0f} ms; event loop {len(gaps)} ticks, largest gap "
        f"{max(gaps) * 1000:.0f} ms; lost {len(set(saved) - set(stored))}, "
        f"doubled {len(stored) - len(set(stored))}"
    )
    assert sorted(stored) == sorted(saved)
    assert while_syncing >= calls // 2  # the link really was busy under the window
    assert max(gaps) < MAX_GAP, f"the window stalled for {max(gaps):.2f} s"
    assert max(save_times) < LATENCY  # a save never waits for the network
