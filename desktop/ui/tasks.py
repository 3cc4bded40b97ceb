"""The task runner: core calls run off the GUI thread, results come back through a signal.

One worker thread owns database work (`run_db`), so writes never race each other; network
work (`run_net`: sign in, get names, sync) runs on its own small pool, so a slow hub never
delays saving a result. A finished task hands its value (or a plain-words error message) back
to the GUI thread through a queued signal; callbacks therefore always run on the GUI thread
and may touch widgets. No widget is ever touched from a worker.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger("phonebank.ui.tasks")

OnDone = Callable[[Any], None]
OnError = Callable[[str], None]


def plain_message(exc: BaseException) -> str:
    """What to tell the user about `exc`, in their language (desktop/ui/messages.py).

    Our own errors meant for people (the core's `UserError`, the store's `StoreError`, the
    hub client's errors) carry a `Message`; anything else is a bug, logged with its
    traceback and shown as one calm sentence.
    """
    from desktop.ui.messages import error_text

    ours = type(exc).__module__.startswith(("desktop.", "sync."))
    text = error_text(exc) if ours else None
    if text:
        return text
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(
        "tasks", "Something went wrong. The details were written to the log file."
    )


@dataclass
class _Pending:
    on_done: OnDone | None
    on_error: OnError | None
    what: str


class _Channel(QObject):
    """Carries a finished task's outcome from a worker thread to the GUI thread."""

    sig_finished = Signal(int, bool, object)
    """(task id, succeeded, value or error message) — emitted from a worker thread."""


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], channel: _Channel, what: str):
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._fn = fn
        self._channel = channel
        self._what = what

    def run(self) -> None:
        try:
            value = self._fn()
        except Exception as exc:
            if plain_message(exc).startswith("Something went wrong"):
                log.exception("task %r failed", self._what)
            self._channel.sig_finished.emit(self._task_id, False, plain_message(exc))
            return
        self._channel.sig_finished.emit(self._task_id, True, value)


class TaskRunner(QObject):
    """Runs plain functions in the background and calls back on the GUI thread."""

    sig_busy_changed = Signal(int)
    """The number of unfinished tasks changed (tests and the status bar may watch it)."""

    def __init__(self, parent: QObject | None = None, *, network_threads: int = 2) -> None:
        super().__init__(parent)
        self._db_pool = QThreadPool(self)
        self._db_pool.setMaxThreadCount(1)  # one thread owns SQLite writes
        self._net_pool = QThreadPool(self)
        self._net_pool.setMaxThreadCount(network_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._channel = _Channel()
        # Explicitly queued: the slot runs in this object's (the GUI) thread.
        self._channel.sig_finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> int:
        return len(self._pending)

    def run_db(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        what: str = "",
    ) -> int:
        """Run `fn` on the database thread; `on_done(value)` or `on_error(message)` after."""
        return self._start(self._db_pool, fn, on_done, on_error, what)

    def run_net(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        what: str = "",
    ) -> int:
        """Run `fn` on the network pool; `on_done(value)` or `on_error(message)` after."""
        return self._start(self._net_pool, fn, on_done, on_error, what)

    def wait_for_db(self, msecs: int = 5_000) -> bool:
        """Block until the database thread is idle (closing: a last write must land)."""
        return bool(self._db_pool.waitForDone(msecs))

    def wait_for_all(self, msecs: int = 10_000) -> bool:
        """Block until both pools are idle (shutdown only; callbacks are not delivered)."""
        ok_db = self._db_pool.waitForDone(msecs)
        ok_net = self._net_pool.waitForDone(msecs)
        return bool(ok_db and ok_net)

    def _start(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_done: OnDone | None,
        on_error: OnError | None,
        what: str,
    ) -> int:
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(on_done, on_error, what or getattr(fn, "__name__", ""))
        pool.start(_Job(task_id, fn, self._channel, what))
        self.sig_busy_changed.emit(len(self._pending))
        return task_id

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, succeeded: bool, value: object) -> None:
        pending = self._pending.pop(task_id, None)
        self.sig_busy_changed.emit(len(self._pending))
        if pending is None:
            return
        try:
            if succeeded:
                if pending.on_done is not None:
                    pending.on_done(value)
            elif pending.on_error is not None:
                pending.on_error(str(value))
            else:
                log.warning("task %r failed: %s", pending.what, value)
        except Exception:  # a bug in a callback must not take the event loop down
            log.exception("callback of task %r failed", pending.what)
