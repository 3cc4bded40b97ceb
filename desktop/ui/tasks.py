"""The task runner: core calls run off the GUI thread, results come back through a signal.

Database work (`run_db`) is queued on the one database worker (desktop/db_worker.py, shared
with the core, which also hands it every write the network code makes), so writes never race
each other; network work (`run_net`: sign in and out, get names, release, sync) runs on its own
small pool, so a slow hub never delays saving a result. A finished task hands its value (or
its exception object) back to the GUI thread through a queued signal; callbacks therefore
always run on the GUI thread and may touch widgets. No widget is ever touched from a worker.

Whatever a task returns that carries `Changes` (a `Changes`, or an outcome with a `changes`
field) is published once its own callback has run: `sig_changes(changes, initiator)`, which
the screens subscribe to (Anki's `operation_did_execute`).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from desktop.db_worker import DbWorker
from sync.user_facing import UserFacingError

log = logging.getLogger("phonebank.ui.tasks")

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


def is_for_users(exc: BaseException) -> bool:
    """Our errors meant for people (their message is ready), by type; else a bug."""
    return isinstance(exc, UserFacingError)


def plain_message(exc: BaseException) -> str:
    """What to tell the user about `exc`, in their language (desktop/ui/messages.py): its own
    words (a `Message`) when it is one of our errors meant for people, else one calm sentence
    (the traceback goes to the log, see `_Job`)."""
    if is_for_users(exc):
        from desktop.ui.messages import error_text

        return error_text(exc) or str(exc)
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(
        "tasks", "Something went wrong. The details were written to the log file."
    )


def changes_of(value: object) -> Any:
    """The `Changes` a task's value carries (itself, or its `changes` field), or None."""
    if type(value).__name__ == "Changes":
        return value
    changes = getattr(value, "changes", None)
    return changes if type(changes).__name__ == "Changes" else None


@dataclass
class _Pending:
    on_done: OnDone | None
    on_error: OnError | None
    what: str
    initiator: object


class _Channel(QObject):
    """Carries a finished task's outcome from a worker thread to the GUI thread."""

    sig_finished = Signal(int, bool, object)
    """(task id, succeeded, value or exception) — emitted from a worker thread."""


def _outcome(task_id: int, fn: Callable[[], Any], channel: _Channel, what: str) -> None:
    try:
        value = fn()
    except Exception as exc:
        if not is_for_users(exc):  # a bug: its traceback, from the thread that raised it
            log.exception("task %r failed", what)
        channel.sig_finished.emit(task_id, False, exc)
        return
    channel.sig_finished.emit(task_id, True, value)


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], channel: _Channel, what: str):
        super().__init__()
        self.setAutoDelete(True)
        self._args = (task_id, fn, channel, what)

    def run(self) -> None:
        _outcome(*self._args)


class TaskRunner(QObject):
    """Runs plain functions in the background and calls back on the GUI thread."""

    sig_busy_changed = Signal(int)
    """The number of unfinished tasks changed (tests and the status bar may watch it)."""
    sig_changes = Signal(object, object)
    """A task changed something: (its `Changes`, the object that started it or None)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        network_threads: int = 2,
        db_worker: DbWorker | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_worker = db_worker or DbWorker()
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
        initiator: object = None,
    ) -> int:
        """Run `fn` on the database worker; `on_done(value)` or `on_error(exception)` after."""
        task_id = self._register(fn, on_done, on_error, what, initiator)
        self.db_worker.submit(_outcome, task_id, fn, self._channel, what)
        return task_id

    def run_net(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        what: str = "",
        initiator: object = None,
    ) -> int:
        """Run `fn` on the network pool; `on_done(value)` or `on_error(exception)` after."""
        task_id = self._register(fn, on_done, on_error, what, initiator)
        self._net_pool.start(_Job(task_id, fn, self._channel, what))
        return task_id

    def publish(self, changes: Any, initiator: object = None) -> None:
        """Tell every screen about `changes` (for changes made without a task)."""
        if changes is not None and changes.any:
            self.sig_changes.emit(changes, initiator)

    def wait_for_db(self, msecs: int = 5_000) -> bool:
        """Block until the database worker is idle (closing: a last write must land)."""
        return self.db_worker.wait_idle(msecs / 1000)

    def wait_for_all(self, msecs: int = 10_000) -> bool:
        """Block until both are idle (shutdown only; callbacks are not delivered)."""
        ok_net = self._net_pool.waitForDone(msecs)  # network tasks may still queue writes
        ok_db = self.db_worker.wait_idle(msecs / 1000)
        return bool(ok_db and ok_net)

    def _register(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None,
        on_error: OnError | None,
        what: str,
        initiator: object,
    ) -> int:
        task_id = next(self._ids)
        name = what or getattr(fn, "__name__", "")
        self._pending[task_id] = _Pending(on_done, on_error, name, initiator)
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
                assert isinstance(value, BaseException)
                pending.on_error(value)
            else:
                log.warning("task %r failed: %s", pending.what, value)
        except Exception:  # a bug in a callback must not take the event loop down
            log.exception("callback of task %r failed", pending.what)
        if succeeded:
            try:
                self.publish(changes_of(value), pending.initiator)
            except Exception:
                log.exception("a screen failed to refresh after task %r", pending.what)
