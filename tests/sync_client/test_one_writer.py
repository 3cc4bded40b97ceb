"""Every write to the laptop's SQLite runs on the one database worker: the network use cases
(sign-in, "Get names", a sync round, release, sign-out) hand what they fetched to it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from desktop.db_worker import DbWorker
from desktop.services.core import PhonebankCore, ResultDraft
from desktop.store import Store, WrongThreadError, meta
from desktop.store.sql import Connection
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub


@pytest.fixture
def hub(live_hub: Callable[[], LiveHub]) -> LiveHub:
    hub = live_hub()
    hub.add_volunteer(EMAIL, name="Vera Volunteer")
    return hub


def test_a_store_with_a_worker_refuses_writes_from_other_threads(tmp_path: Path) -> None:
    store = Store(tmp_path / "laptop.db", worker=DbWorker(), strict=True)

    def sign_in(conn: Connection) -> None:
        meta.put(conn, meta.EMAIL, "vera@example.org")

    with pytest.raises(WrongThreadError, match="written on the database worker only"):
        _write_directly(store)  # from the test's own thread
    with ThreadPoolExecutor(1, thread_name_prefix="network") as network:
        with pytest.raises(WrongThreadError, match="'network"):
            network.submit(_write_directly, store).result()
        network.submit(store.run_write, sign_in).result()  # handed to the worker: it lands
    with store.read() as conn:  # reads run anywhere
        assert meta.get(conn, meta.EMAIL) == "vera@example.org"


def _write_directly(store: Store) -> None:
    with store.write() as conn:
        meta.put(conn, meta.EMAIL, "someone@example.org")


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, threading.Thread]]]:
    """Each write transaction opened, as (the phase set in `phase[0]`, its thread)."""
    seen: list[tuple[str, threading.Thread]] = []
    original = Store._transaction

    def recording(store: Store, begin: str) -> AbstractContextManager[Connection]:
        if begin == "BEGIN IMMEDIATE":
            seen.append((PHASE[0], threading.current_thread()))
        return original(store, begin)

    monkeypatch.setattr(Store, "_transaction", recording)
    yield seen


PHASE = ["open"]


def test_every_use_case_writes_on_the_database_worker_only(
    hub: LiveHub, tmp_path: Path, writers: list[tuple[str, threading.Thread]]
) -> None:
    seeded = hub.seed(households=4)
    worker = DbWorker()
    # As the app does: the core is built by the database worker's first task.
    core = worker.call(lambda: PhonebankCore(tmp_path / "laptop", db_worker=worker))
    worker_thread = worker.call(threading.current_thread)
    network = ThreadPoolExecutor(2, thread_name_prefix="network")

    def on_network(phase: str, fn: Callable[..., Any], *args: Any) -> Any:
        PHASE[0] = phase
        return network.submit(fn, *args).result()

    try:
        on_network("sign in", core.sign_in, hub.url, EMAIL, PASSWORD)
        assert on_network("get names", core.request_names, seeded.list_id).kind == "reserved"
        first = core.next_contact_id()
        assert first is not None
        # Called from elsewhere than the worker, a save is handed to it whole.
        on_network("save", core.record_result, ResultDraft(first, "contacted"))
        report = on_network("sync", core.sync_once)
        assert report.ok and report.pushed == 1
        assert on_network("release", core.release_unused).names > 0
        assert on_network("sign out", core.sign_out, False).signed_out
    finally:
        network.shutdown()
        core.close()
    phases = {phase for phase, _ in writers}
    assert phases >= {"open", "sign in", "get names", "save", "sync", "release", "sign out"}
    assert {thread for _, thread in writers} == {worker_thread}
