"""The database worker: one thread, tasks in the order queued, nested calls never deadlock."""

from __future__ import annotations

import gc
import threading

import pytest

from desktop.db_worker import DbWorker


def test_tasks_run_one_at_a_time_on_one_thread_in_the_order_queued() -> None:
    worker = DbWorker()
    seen: list[tuple[int, threading.Thread]] = []
    futures = [
        worker.submit(lambda i=i: seen.append((i, threading.current_thread()))) for i in range(50)
    ]
    for future in futures:
        future.result(timeout=10)
    assert [i for i, _ in seen] == list(range(50))
    assert len({thread for _, thread in seen}) == 1
    assert not worker.on_worker() and worker.call(worker.on_worker)


def test_a_call_made_on_the_worker_runs_at_once_and_errors_reach_the_caller() -> None:
    worker = DbWorker()
    # A use case calling another from the worker would deadlock if it queued behind itself.
    assert worker.submit(lambda: worker.call(lambda: 42)).result(timeout=10) == 42

    def lost() -> None:
        raise KeyError("lost")

    with pytest.raises(KeyError, match="lost"):
        worker.call(lost)
    assert worker.wait_idle(10)


def test_a_dropped_worker_ends_its_thread() -> None:
    worker = DbWorker()
    thread = worker.call(threading.current_thread)
    del worker
    gc.collect()
    thread.join(timeout=10)
    assert not thread.is_alive()
