"""The sync timer: `core.sync_once` on the network pool, again and again, never overlapping.

Every `interval` seconds when things go well (env PHONEBANK_SYNC_INTERVAL, default 30), after
the report's `retry_in` when they don't (backoff, capped by PHONEBANK_SYNC_MAX_BACKOFF), at
once on demand (F5), and `push_delay` seconds after a save (PHONEBANK_PUSH_DELAY, default 2):
a save never starts a round itself; the scheduler sees its published `Changes` (results
waiting) and pushes the outbox once for a burst of saves, not once per save. While offline
a cheap probe (`core.hub_reachable`, one HEAD request) runs every PHONEBANK_PROBE_INTERVAL
seconds (default 5): when the hub answers, a round
starts at once, so the app is online again within seconds instead of after the backoff.
(Qt's QNetworkInformation would add the OS's network-change signal, but it lives in QtNetwork,
which the installer leaves out to stay under its size target.)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.tasks import TaskRunner, plain_message

if TYPE_CHECKING:
    from desktop.services.views import Changes, SyncReport
    from desktop.ui.core_api import CoreAPI

DEFAULT_INTERVAL = 30.0
DEFAULT_PUSH_DELAY = 2.0


DEFAULT_MAX_BACKOFF = 300.0
DEFAULT_PROBE_INTERVAL = 5.0


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment; `default` when unset or bad."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def interval_from_env() -> float:
    """PHONEBANK_SYNC_INTERVAL: seconds between rounds when all is well (default 30)."""
    return seconds_from_env("PHONEBANK_SYNC_INTERVAL", DEFAULT_INTERVAL)


def probe_interval_from_env() -> float:
    """PHONEBANK_PROBE_INTERVAL: seconds between reachability probes while offline (5)."""
    return seconds_from_env("PHONEBANK_PROBE_INTERVAL", DEFAULT_PROBE_INTERVAL)


def push_delay_from_env() -> float:
    """PHONEBANK_PUSH_DELAY: seconds from a save to the round that sends it (default 2)."""
    return seconds_from_env("PHONEBANK_PUSH_DELAY", DEFAULT_PUSH_DELAY)


def max_backoff_from_env() -> float:
    """PHONEBANK_SYNC_MAX_BACKOFF: the longest wait after failures (default 300 s)."""
    return seconds_from_env("PHONEBANK_SYNC_MAX_BACKOFF", DEFAULT_MAX_BACKOFF)


class SyncScheduler(QObject):
    """Runs sync rounds on a timer and on demand; reports each round on the GUI thread."""

    sig_started = Signal()
    """A sync round began."""
    sig_synced = Signal(object)
    """A sync round ended: its `SyncReport`."""

    def __init__(
        self,
        core: CoreAPI,
        tasks: TaskRunner,
        *,
        interval: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._core = core
        self._tasks = tasks
        self.interval = interval if interval is not None else interval_from_env()
        self.max_backoff = max_backoff_from_env()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self.probe_interval = probe_interval_from_env()
        self._probe = QTimer(self)
        self._probe.setObjectName("reachabilityProbe")
        self._probe.setSingleShot(True)
        self._probe.timeout.connect(self._probe_hub)
        self._probing = False
        # After a save: one round a moment later sends it (and the saves made meanwhile).
        self.push_delay = push_delay_from_env()
        self._push = QTimer(self)
        self._push.setObjectName("pushAfterSave")
        self._push.setSingleShot(True)
        self._push.timeout.connect(self.sync_now)
        tasks.sig_changes.connect(self._changed)
        self._running = False
        self._again = False
        self._active = False
        self.last_report: SyncReport | None = None

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Sync now and keep syncing on the timer until `stop`."""
        self._active = True
        self.sync_now()

    def stop(self) -> None:
        self._active = False
        self._timer.stop()
        self._probe.stop()
        self._push.stop()

    def push_soon(self) -> None:
        """Send the outbox `push_delay` seconds from the first of a burst of saves (not
        restarted by the next save, so steady calling still sends every few seconds)."""
        if self._active and not self._push.isActive():
            self._push.start(max(0, int(self.push_delay * 1000)))

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.pending:  # a result was saved (a round's report carries no count)
            self.push_soon()

    def next_push_in(self) -> float | None:
        """Seconds until the round that sends the results saved lately (None: none due)."""
        return self._push.remainingTime() / 1000 if self._push.isActive() else None

    def next_round_in(self) -> float | None:
        """Seconds until the timer's next round (None: none planned)."""
        return self._timer.remainingTime() / 1000 if self._timer.isActive() else None

    @property
    def probing(self) -> bool:
        """Offline, and probing the hub on the short timer."""
        return self._probe.isActive() or self._probing

    def sync_now(self) -> None:
        """Start a round now (or right after the one in progress)."""
        if not self._active:
            return
        if self._running:
            self._again = True
            return
        self._timer.stop()
        self._probe.stop()
        self._push.stop()  # this round sends what is waiting
        self._running = True
        self.sig_started.emit()
        self._tasks.run_net(self._core.sync_once, self._finished, self._failed, what="sync")

    def _finished(self, report: SyncReport) -> None:
        self._running = False
        self.last_report = report
        self.sig_synced.emit(report)
        self._schedule(report)

    def _failed(self, error: BaseException) -> None:
        # sync_once reports network trouble itself; this is a bug or a broken local store.
        from desktop.services.views import Changes, SyncReport

        report = SyncReport(
            ok=False,
            online=False,
            retry_in=60.0,
            message=plain_message(error),
            changes=Changes(status=True),
        )
        self._finished(report)
        self._tasks.publish(report.changes)  # the status bar says what happened

    def _schedule(self, report: SyncReport) -> None:
        if not self._active or report.needs_sign_in or report.needs_upgrade:
            return
        if self._again:
            self._again = False
            self.sync_now()
            return
        seconds = self.interval
        if not report.ok and report.retry_in is not None:
            seconds = min(report.retry_in, self.max_backoff)
        self._timer.start(max(50, int(seconds * 1000)))
        if not report.online and seconds > self.probe_interval:
            self._probe.start(int(self.probe_interval * 1000))

    def _probe_hub(self) -> None:
        if not self._active or self._running or self._probing:
            return
        self._probing = True
        self._tasks.run_net(
            self._core.hub_reachable, self._probed, lambda _error: self._probed(False),
            what="probe",
        )  # fmt: skip

    def _probed(self, reachable: bool) -> None:
        self._probing = False
        if not self._active or self._running:
            return
        if reachable:
            self.sync_now()  # the hub is back: sync now, not after the backoff
        else:
            self._probe.start(int(self.probe_interval * 1000))
