"""The sync timer: retries by itself after failures, never overlaps, stops when it must."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from desktop.services.views import SyncReport
from desktop.ui.sync_scheduler import SyncScheduler, interval_from_env, max_backoff_from_env
from desktop.ui.tasks import TaskRunner


class FlakyCore:
    """Fails `failures` rounds (asking to retry soon), then succeeds."""

    def __init__(self, failures: int, *, needs_sign_in: bool = False) -> None:
        self.failures = failures
        self.needs_sign_in = needs_sign_in
        self.calls = 0
        self.running = 0
        self.overlapped = False
        self.lock = threading.Lock()

    def sync_once(self) -> SyncReport:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.overlapped |= self.running > 1
        try:
            if self.needs_sign_in:
                return SyncReport(ok=False, online=True, needs_sign_in=True)
            if self.calls <= self.failures:
                return SyncReport(ok=False, online=False, retry_in=0.05, message="offline")
            return SyncReport(ok=True, online=True)
        finally:
            with self.lock:
                self.running -= 1


def test_failures_are_retried_by_the_timer_until_a_round_succeeds(
    qtbot: QtBot, tasks: TaskRunner
) -> None:
    core = FlakyCore(failures=3)
    scheduler = SyncScheduler(core, tasks, interval=3600)
    reports: list[SyncReport] = []
    scheduler.sig_synced.connect(reports.append)
    scheduler.start()
    for _ in range(5):
        scheduler.sync_now()  # presses while a round runs never start a second one
    qtbot.waitUntil(lambda: any(r.ok for r in reports), timeout=10_000)
    scheduler.stop()
    assert core.calls >= 4 and not core.overlapped
    assert [r.ok for r in reports][-1] is True


def test_a_round_that_needs_sign_in_stops_the_timer(qtbot: QtBot, tasks: TaskRunner) -> None:
    core = FlakyCore(failures=0, needs_sign_in=True)
    scheduler = SyncScheduler(core, tasks, interval=0.05)
    with qtbot.waitSignal(scheduler.sig_synced, timeout=5000):
        scheduler.start()
    calls = core.calls
    with qtbot.assertNotEmitted(scheduler.sig_synced, wait=300):
        pass
    assert core.calls == calls


@pytest.mark.parametrize(("raw", "expected"), [("", 30.0), ("0.3", 0.3), ("x", 30.0), ("-1", 30.0)])
def test_sync_interval_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: float
) -> None:
    monkeypatch.setenv("PHONEBANK_SYNC_INTERVAL", raw)
    monkeypatch.setenv("PHONEBANK_SYNC_MAX_BACKOFF", raw)
    assert interval_from_env() == expected
    assert max_backoff_from_env() == (expected if raw == "0.3" else 300.0)
