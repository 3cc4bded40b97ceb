"""The hub process is SIGKILLed while it stores a batch of results (inside its database
transaction), then started again: the laptop sends the batch again, the hub stores each
result once. Between the laptop and the hub sits the fault proxy, without random faults: it
only tells the test when a batch has reached the hub."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore
from tests.e2e.seed import Seeded
from tests.reliability.conftest import Figures
from tests.reliability.fault_proxy import FaultProxy
from tests.reliability.helpers import (
    Drain,
    hub_result_ids,
    import_list,
    list_id,
    lost_and_doubled,
    make_calls,
    sign_in,
    sync_until_sent,
)
from tests.support.hub_process import HubProcess

WATCH_SECONDS = 10.0  # how long to look for the hub's write transaction


@contextmanager
def writing_now(database_url: str) -> Iterator[Callable[[], bool]]:
    """A probe: is a hub process inside a write transaction on this database right now?"""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")

        def sqlite_probe() -> bool:
            # Every hub transaction on SQLite begins IMMEDIATE: the write lock is taken.
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:  # "database is locked"
                return True
            finally:
                probe.close()

        yield sqlite_probe
        return
    import psycopg

    libpq = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq, autocommit=True) as conn:

        def postgres_probe() -> bool:
            # A backend of this database with a transaction id has written, not committed.
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            ).fetchone()
            return bool(row and row[0])

        yield postgres_probe


class CrashOnUpload:
    """The proxy's `after_forward`: while crashes are left, once a batch of results has
    reached the hub, SIGKILL the hub as soon as it is writing (or, if the answer comes
    first, right then: the hub committed and the answer is lost)."""

    def __init__(self, hub: HubProcess, probe: Callable[[], bool], crashes: int) -> None:
        self.hub = hub
        self.probe = probe
        self.left = crashes
        self.mid_transaction = 0
        self.after_commit = 0
        self.crashed = threading.Event()

    def __call__(self, request_line: str) -> None:
        if not request_line.startswith("POST /api/v1/results") or self.left == 0:
            return
        self.left -= 1
        deadline = time.monotonic() + WATCH_SECONDS
        while not self.probe():
            if time.monotonic() > deadline:
                break
        else:
            self.mid_transaction += 1
            self.hub.kill()
            self.crashed.set()
            return
        self.after_commit += 1
        self.hub.kill()
        self.crashed.set()


@pytest.mark.parametrize(
    ("results", "crashes"),
    [
        pytest.param(400, 2, id="2-crashes"),
        pytest.param(3000, 8, id="8-crashes", marks=pytest.mark.slow),
    ],
)
def test_the_hub_killed_while_storing_a_batch_stores_each_result_once_after_the_resend(
    seeded_hub_any_db: Seeded,
    laptop: Callable[..., PhonebankCore],
    figures: Figures,
    tmp_path: Path,
    results: int,
    crashes: int,
) -> None:
    seeded = seeded_hub_any_db
    import_list(seeded, tmp_path, results + results // 5)
    hub = HubProcess(seeded.database_url).start()
    with (
        writing_now(seeded.database_url) as probe,
        contextlib.closing(hub),
        FaultProxy(hub.url, seed=0) as proxy,
    ):
        core = laptop(ram_disk=True)
        core.engine.batch_size = 200  # big batches: the hub is busy long enough to hit
        sign_in(core, proxy.url)
        drain = Drain()
        no_sync = results + 1
        created = make_calls(core, list_id(core, "Big"), results, sync_every=no_sync, drain=drain)
        crash = CrashOnUpload(hub, probe, crashes)
        proxy.after_forward = crash
        while crash.left:
            stored_before = len(hub_result_ids(seeded.database_url))
            mid_before = crash.mid_transaction
            report = core.sync_once()
            drain.rounds += 1
            assert not report.ok and report.retry_in, report  # the hub died under it
            assert crash.crashed.is_set()
            crash.crashed.clear()
            hub.restart()
            if crash.mid_transaction > mid_before:  # all of the batch or none of it
                assert len(hub_result_ids(seeded.database_url)) == stored_before
        sync_until_sent(core, drain)
    stored = hub_result_ids(seeded.database_url)
    lost, doubled = lost_and_doubled(created, stored)
    figures.add(
        f"{results} results pushed in batches of 200, hub SIGKILLed {crashes} times "
        f"({crash.mid_transaction} inside its write transaction, {crash.after_commit} after "
        f"it), lost {lost}, doubled {doubled}"
    )
    assert crash.mid_transaction >= 1, "no crash landed while the hub was writing"
    assert sorted(stored) == sorted(created)
    assert core.status().pending == 0
