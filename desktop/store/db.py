"""The laptop's SQLite file: created owner-only, checked, migrated, safe from two threads.

Pragmas: WAL (readers never wait for the writer), synchronous=FULL (a committed result
survives a power cut), foreign_keys, busy_timeout. Writes take the lock up front
(BEGIN IMMEDIATE) so two writers never deadlock on a lock upgrade; reads use a deferred BEGIN.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from desktop.store import schema

BUSY_TIMEOUT_MS = 30_000
SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(Exception):
    """The local data file cannot be used; `message` says why, naming the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class CorruptStoreError(StoreError):
    """The file is not a Phonebank database or is damaged; the UI offers to move it aside
    with `quarantine_corrupt_file(error.path)` and start afresh."""


def quarantine_corrupt_file(path: Path) -> Path:
    """Move a damaged data file (and its -wal/-shm) aside; never deletes. Returns the new
    path of the main file."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def _create_private(path: Path) -> None:
    """Create the file owner-only before SQLite touches it (it holds voter data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _check_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, with a message naming it."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open the data file {path}: {exc}.", path) from exc
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise CorruptStoreError(
            f"The data file {path} is not a Phonebank database or is damaged ({exc}).", path
        ) from exc
    finally:
        conn.close()
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise CorruptStoreError(
            f"The data file {path} is damaged ({problems[0]}).",
            path,
        )


class Store:
    """The open data file. `read()` and `write()` give short transactions on a pooled
    connection; any thread may use them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            _create_private(self.path)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the data file {self.path}: {exc.strerror or exc}.", self.path
            ) from exc
        _check_file(self.path)
        self.engine = _make_engine(self.path)
        try:
            with self.write() as conn:
                schema.upgrade(conn, self.path)
        except schema.SchemaError as exc:
            self.engine.dispose()
            raise StoreError(str(exc), self.path) from exc
        except DBAPIError as exc:
            self.engine.dispose()
            raise CorruptStoreError(
                f"The data file {self.path} could not be read ({exc.orig}).", self.path
            ) from exc
        self._private_side_files()

    def _private_side_files(self) -> None:
        for suffix in SIDE_FILES:
            side = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(FileNotFoundError):
                os.chmod(side, 0o600)

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE); commits on success, else rolls back."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction (a consistent snapshot; never blocks the writer)."""
        with (
            self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn,
            conn.begin(),
        ):
            yield conn

    def scrub(self) -> bool:
        """After deleting voter data: copy the zeroed pages into the file and empty the WAL,
        whose older frames still hold what was deleted. True when it could finish (a
        reader in the middle of a transaction makes it wait; the next scrub finishes)."""
        raw = self.engine.raw_connection()
        try:
            busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
        return not busy

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        URL.create("sqlite", database=str(path)),  # any folder name, even with '?' or '#'
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=4,
        # A database error logged with its traceback must not carry names, numbers or notes.
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN be ours (see _begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Deleted voter data is overwritten with zeros, not left in free pages (SPEC §3.8).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
