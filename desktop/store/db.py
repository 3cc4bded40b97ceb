"""The laptop's SQLite file: created owner-only, checked, migrated, safe from two threads.

Pragmas: WAL (readers never wait for the writer), synchronous=FULL (a committed result
survives a power cut), foreign_keys, busy_timeout. Writes take the lock up front
(BEGIN IMMEDIATE) so two writers never deadlock on a lock upgrade; reads use a deferred BEGIN.

A store opened with a `DbWorker` (the app's core always is) is written on that worker's
thread only: `run_write(fn)` hands a write to it from any thread, and with
PHONEBANK_STRICT_DB_THREAD=1 (the test suite sets it) a write transaction opened on any
other thread is refused with `WrongThreadError`, so a write that slips past the worker
fails a test instead of racing the others. Reads run on any thread.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from desktop.db_worker import DbWorker
from desktop.store import schema
from desktop.store.sql import Connection
from sync.messages import Code, Message, text
from sync.user_facing import UserFacingError

T = TypeVar("T")
STRICT_ENV = "PHONEBANK_STRICT_DB_THREAD"

BUSY_TIMEOUT_MS = 30_000
POOL_SIZE = 4  # idle connections kept open (the DB worker, the network pool, the GUI)
SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(UserFacingError):
    """The local data file cannot be used; `msg` (a code and parameters, for the UI) and
    `message` (English) say why, naming the file."""

    def __init__(self, message: Message | str, path: Path | None = None) -> None:
        self.msg = message if isinstance(message, Message) else text(message)
        self.message = str(self.msg)
        super().__init__(self.message)
        self.path = path

    def __str__(self) -> str:
        return self.message


class WrongThreadError(RuntimeError):
    """A write transaction was opened off the database worker in strict mode (a bug)."""


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


def _about(code: Code, path: Path, problem: object) -> Message:
    return Message(code, {"path": str(path), "error": str(problem)})


def _check_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, with a message naming it."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(_about(Code.DATA_FILE_UNOPENABLE, path, exc), path) from exc
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise CorruptStoreError(_about(Code.DATA_FILE_NOT_OURS, path, exc), path) from exc
    finally:
        conn.close()
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise CorruptStoreError(_about(Code.DATA_FILE_DAMAGED, path, problems[0]), path)


class Store:
    """The open data file. `read()` and `write()` give short transactions on a pooled
    connection; `run_write(fn)` runs one write on the database worker (`worker`) from
    any thread. Without a worker (tools, tests of the store itself) any thread may write.
    """

    def __init__(
        self, path: Path, *, worker: DbWorker | None = None, strict: bool | None = None
    ) -> None:
        self.path = Path(path)
        self.worker = worker
        self.strict = os.environ.get(STRICT_ENV) == "1" if strict is None else strict
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        # The schema upgrade runs in the opening thread: nobody else holds the store yet.
        self._opening = True
        try:
            _create_private(self.path)
        except OSError as exc:
            problem = exc.strerror or exc
            raise StoreError(
                _about(Code.DATA_FILE_UNCREATABLE, self.path, problem), self.path
            ) from exc
        _check_file(self.path)
        try:
            with self.write() as conn:
                schema.upgrade(conn, self.path)
        except schema.SchemaError as exc:
            self.close()
            coded = exc.msg or _about(Code.DATA_FILE_SCHEMA, self.path, exc)
            raise StoreError(coded, self.path) from exc
        except sqlite3.Error as exc:
            self.close()
            unreadable = _about(Code.DATA_FILE_UNREADABLE, self.path, exc)
            raise CorruptStoreError(unreadable, self.path) from exc
        finally:
            self._opening = False
        self._private_side_files()

    def _private_side_files(self) -> None:
        for suffix in SIDE_FILES:
            side = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(FileNotFoundError):
                os.chmod(side, 0o600)

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE); commits on success, else rolls back.
        With a worker, call it on the worker's thread (or use `run_write`)."""
        self._check_writer("a write transaction")
        with self._transaction("BEGIN IMMEDIATE") as conn:
            yield conn

    def run_write(self, fn: Callable[[Connection], T]) -> T:
        """`fn(conn)` in one write transaction on the database worker; waits for it and
        returns its value (its exception is raised here). Inline without a worker."""

        def write() -> T:
            with self.write() as conn:
                return fn(conn)

        return self.on_writer(write)

    def on_writer(self, fn: Callable[[], T]) -> T:
        """`fn()` on the database worker (inline without one), and wait for it."""
        if self.worker is None:
            return fn()
        return self.worker.call(fn)

    def _check_writer(self, what: str) -> None:
        if (
            self.strict
            and self.worker is not None
            and not self._opening
            and not self.worker.on_worker()
        ):
            raise WrongThreadError(
                f"{what} on thread {threading.current_thread().name!r}: the laptop's "
                "database is written on the database worker only (Store.run_write)"
            )

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction (a consistent snapshot; never blocks the writer)."""
        with self._transaction("BEGIN DEFERRED") as conn:
            yield conn

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[Connection]:
        with self._connection() as raw:
            raw.execute(begin)
            try:
                yield Connection(raw)
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
            try:
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            raw = self._idle.pop() if self._idle else None
        if raw is None:
            raw = _connect(self.path)
        try:
            yield raw
        finally:
            self._give_back(raw)

    def _give_back(self, raw: sqlite3.Connection) -> None:
        # A connection left inside a transaction (its ROLLBACK failed) is not reused.
        with self._lock:
            if not (self._closed or raw.in_transaction) and len(self._idle) < POOL_SIZE:
                self._idle.append(raw)
                return
        raw.close()

    def scrub(self) -> bool:
        """After deleting voter data: copy the zeroed pages into the file and empty the WAL,
        whose older frames still hold what was deleted. True when it could finish (a
        reader in the middle of a transaction makes it wait; the next scrub finishes).
        Runs on the database worker, like every write."""

        def checkpoint() -> bool:
            with self._connection() as raw:
                busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return not busy

        return self.on_writer(checkpoint)

    def close(self) -> None:
        """Close the connections (one in use is closed when it is given back); a later
        read or write opens a connection for itself."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: sqlite3 never opens transactions by itself; ours are explicit.
    raw = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Deleted voter data is overwritten with zeros, not left in free pages (SPEC §3.8).
    raw.execute("PRAGMA secure_delete=ON")
    return raw
