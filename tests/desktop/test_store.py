"""The laptop's data file: private, durable, migrated without losing unsent results, and a
clear message (never a traceback) for a damaged file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import CorruptStoreError, Store, StoreError, quarantine_corrupt_file, schema
from desktop.store import results as results_store
from desktop.store.db import _connect
from desktop.store.results import ResultRecord
from desktop.store.sql import Connection
from tests.sync_client.local_data import NOW


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _result(contact_id: int = 1) -> ResultRecord:
    return ResultRecord(
        id=uuid.uuid4(),
        contact_id=contact_id,
        reservation_id=11,
        fence=11,
        campaign_id=1,
        disposition="contacted",
        answers={"support": "yes"},
        notes="héllo",
        started_at=NOW,
        ended_at=NOW,
        call_back_at=None,
        script_version=2,
        supersedes=None,
        created_at=NOW,
    )


@contextlib.contextmanager
def _raw_write(path: Path) -> Iterator[Connection]:
    """A write transaction on a connection of its own (as an older app would open it)."""
    raw = _connect(path)
    try:
        raw.execute("BEGIN IMMEDIATE")
        yield Connection(raw)
        raw.execute("COMMIT")
    finally:
        raw.close()


def test_pragmas_wal_full_sync_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "phonebank.db")
    with store.read() as conn:
        assert conn.execute("PRAGMA journal_mode").scalar() == "wal"
        assert conn.execute("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").scalar() == 1
        assert (conn.execute("PRAGMA busy_timeout").scalar() or 0) >= 5000
    store.close()


def test_file_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a permissive umask must not leak voter data
    try:
        store = Store(tmp_path / "phonebank.db")
        with store.write() as conn:
            results_store.insert(conn, _result())
        files = [p for p in tmp_path.iterdir() if p.name.startswith("phonebank.db")]
        assert {p.name for p in files} >= {"phonebank.db", "phonebank.db-wal"}
        for path in files:
            assert _mode(path) == 0o600, path
        store.close()
    finally:
        os.umask(old)


def test_a_v1_file_with_unsent_results_upgrades_and_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "phonebank.db"
    path.touch(mode=0o600)
    kept = []
    with _raw_write(path) as conn:
        assert schema.upgrade(conn, target=1) == 1
        for contact_id in (1, 2, 3):
            record = _result(contact_id)
            kept.append(record.id)
            # v1 had no hub_timing column: insert the way a v1 app did.
            conn.execute(
                (
                    "INSERT INTO results (id, contact_id, reservation_id, fence, campaign_id,"
                    " disposition, answers, notes, started_at, ended_at, script_version,"
                    " created_at) VALUES (:id, :c, 11, 11, 1, 'contacted', '{}', '', :t, :t,"
                    " 2, :t)"
                ),
                {"id": str(record.id), "c": contact_id, "t": NOW.isoformat()},
            )
            conn.execute(
                "INSERT INTO outbox (result_id, state) VALUES (:id, 'pending')",
                {"id": str(record.id)},
            )

    store = Store(path)
    with store.read() as conn:
        assert schema.current_version(conn) == schema.SCHEMA_VERSION == 7
        pending = results_store.pending_batch(conn, 10)
        assert sorted(r.id for r in pending) == sorted(kept)
        assert results_store.unsent_count(conn) == 3
        assert results_store.unsent_by_campaign(conn, 1) == 3  # v7 filled in the old rows
        # v2, v3 and v4 additions are usable
        assert conn.execute("SELECT count(*) FROM feedback_outbox").scalar() == 0
        assert conn.execute("SELECT count(*) FROM contacts WHERE phone_index = 0").scalar() == 0
        assert conn.execute("SELECT count(*) FROM drafts").scalar() == 0
    store.close()


def test_unsent_results_cannot_be_deleted_or_changed(tmp_path: Path) -> None:
    store = Store(tmp_path / "phonebank.db")
    record = _result()
    with store.write() as conn:
        results_store.insert(conn, record)
    with pytest.raises(sqlite3.Error, match="unsent"), store.write() as conn:
        conn.execute("DELETE FROM results")
    with pytest.raises(sqlite3.Error, match="append-only"), store.write() as conn:
        conn.execute("UPDATE results SET notes = 'changed'")
    with store.read() as conn:
        assert results_store.get(conn, record.id) == ResultRecord(
            **{**record.__dict__, "outbox_state": "pending"}
        )
    store.close()


def test_not_a_database_gives_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "phonebank.db"
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    with pytest.raises(CorruptStoreError) as caught:
        Store(path)
    assert str(path) in caught.value.message
    assert caught.value.path == path
    assert "Traceback" not in str(caught.value)


def test_damaged_pages_fail_quick_check(tmp_path: Path) -> None:
    path = tmp_path / "phonebank.db"
    store = Store(path)
    with store.write() as conn:
        for n in range(300):
            results_store.insert(conn, _result(n))
    store.close()
    with sqlite3.connect(path, isolation_level=None) as raw:  # fold the WAL into the file
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # scribble over every page after the 2nd
        data[offset + 8 : offset + 100] = b"\xff" * 92
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptStoreError, match=r"phonebank\.db"):
        Store(path)


def test_quarantine_moves_the_file_and_sidecars_aside_never_deletes(tmp_path: Path) -> None:
    path = tmp_path / "phonebank.db"
    path.write_bytes(b"garbage")
    (tmp_path / "phonebank.db-wal").write_bytes(b"wal")
    moved = quarantine_corrupt_file(path)
    assert not path.exists()
    assert moved.read_bytes() == b"garbage"
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"wal"
    # a fresh store can now be created in its place
    Store(path).close()
    # a second quarantine does not overwrite the first
    path.write_bytes(b"again")
    second = quarantine_corrupt_file(path)
    assert second != moved and moved.exists() and second.read_bytes() == b"again"


def test_file_from_a_newer_app_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "phonebank.db"
    Store(path).close()
    with _raw_write(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer version of Phonebank"):
        Store(path)


def test_two_threads_write_at_once_without_losing_anything(tmp_path: Path) -> None:
    store = Store(tmp_path / "phonebank.db")
    errors: list[BaseException] = []

    def writer(base: int) -> None:
        try:
            for n in range(50):
                with store.write() as conn:
                    results_store.insert(conn, _result(base + n))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read() as conn:
        assert results_store.unsent_count(conn) == 100
    store.close()


def test_any_folder_name_works(tmp_path: Path) -> None:
    folder = tmp_path / "José's data?#%20 ü"
    store = Store(folder / "phonebank.db")
    with store.write() as conn:
        results_store.insert(conn, _result())
    store.close()
    assert (folder / "phonebank.db").stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_a_household_lookup_searches_its_index_not_the_whole_list(tmp_path: Path) -> None:
    """With 100,000 names on the laptop, a household lookup that walks the list in position
    order cost ~17 ms per call screen (SPEC §6: save and show next ≤ 15 ms)."""
    from desktop.store import contacts
    from tests.sync_client.local_data import seed

    store = Store(tmp_path / "phonebank.db")
    seed(store)
    statements: list[str] = []  # as run, with the parameters filled in

    with store.read() as conn:
        member = contacts.contact(conn, 100)
        assert member is not None
        conn.raw.set_trace_callback(statements.append)
        try:
            assert [m.id for m in contacts.household_of(conn, member)] == [101]
        finally:
            conn.raw.set_trace_callback(None)
        sql, *_ = statements
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql).all()
    assert "USING INDEX ix_contacts_household" in " / ".join(row[-1] for row in plan)


def test_a_database_error_does_not_carry_voter_data_into_the_log(tmp_path: Path) -> None:
    store = Store(tmp_path / "phonebank.db")
    with pytest.raises(sqlite3.Error) as failure, store.write() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (:k, :v)",
            {"k": "schema_version", "v": "Maria Lopez +16145550123"},  # a duplicate key
        )
    assert "Maria Lopez" not in str(failure.value)
    assert "+16145550123" not in str(failure.value)
