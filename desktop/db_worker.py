"""The database worker: the one thread that writes the laptop's SQLite file.

Anki's `taskman.py` pattern without Qt: the UI's task runner queues its database tasks
here, and network code (sign-in, "Get names", sync rounds, release) hands what it fetched to
this thread with `call` instead of opening a write transaction itself. Writes therefore never
wait on each other's locks, and a Save & next queued behind a sync round waits for one short
transaction at most, never for the network.

Standard library only: the store (which guards its writes with `on_worker`) and the UI's
task runner (which queues its database tasks with `submit`) both use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

THREAD_NAME = "phonebank-db"


class DbWorker:
    """One thread, one queue: tasks run one at a time, in the order they were queued.

    The thread starts with the first task and ends when this object is dropped (or at
    `shutdown`), so a store opened only to be read costs no thread.
    """

    def __init__(self, name: str = THREAD_NAME) -> None:
        # The thread notes itself here; the initializer holds this list, not `self`, so a
        # dropped worker is collected and its thread ends.
        self._thread: list[threading.Thread] = []
        thread = self._thread
        self._executor = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix=name,
            initializer=lambda: thread.append(threading.current_thread()),
        )

    def on_worker(self) -> bool:
        """Whether the caller runs on this worker's thread."""
        return bool(self._thread) and threading.current_thread() is self._thread[0]

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue `fn(*args)`; the future holds its value or its exception."""
        return self._executor.submit(fn, *args)

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the worker and wait for it (at once when already on it, so a
        use case may call another). Its exception is raised here, in the caller's thread."""
        if self.on_worker():
            return fn(*args)
        return self.submit(fn, *args).result()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued so far has run (False after `timeout` seconds)."""
        if self.on_worker():
            return True
        try:
            self.submit(lambda: None).result(timeout)
        except TimeoutError:
            return False
        except RuntimeError:  # shut down: nothing is left to run
            return True
        return True

    def shutdown(self) -> None:
        """Run what is queued, then end the thread; later tasks are refused."""
        self._executor.shutdown(wait=not self.on_worker())
