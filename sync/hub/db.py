"""Engine and sessions for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

log = logging.getLogger("phonebank.hub.db")

# Requests one hub worker runs at once: its thread pool for sync routes (see main.py) and
# its PostgreSQL pool are this size. Each request is mostly Python holding the GIL, so more
# threads only queue for it; 2 workers x 16 stay well inside max_connections (100).
WORKER_THREADS = 16
# Sign-in's database steps run on threads of their own (deps.sign_in_steps), each with a
# pooled connection besides the request threads'.
SIGN_IN_THREADS = 2


def normalize_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _create_owner_only(url: str) -> None:
    """Create a SQLite file readable by its owner only: it holds password hashes and voters.

    SQLite gives the -wal and -shm files the same permissions as the database file.
    """
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    # Open (to create) only a file that is not there yet: closing any descriptor of a
    # database file drops every POSIX lock this process holds on it, so a second engine
    # made while another had connections open (an in-process CLI run) let two writers in
    # and corrupted the file ("database disk image is malformed").
    if not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


BUSY_SECONDS = 30  # SQLite's busy timeout (PRAGMA busy_timeout)


class WriteTurns:
    """This process's transactions on a SQLite file take turns at its one write lock.

    Every transaction begins IMMEDIATE (it takes the lock up front), and SQLite makes a
    thread that finds it taken sleep and retry, up to 100 ms a sleep: under a flood of
    sign-ins the volunteers' requests lost the race for it again and again (p99 600 ms for
    requests of a few ms; docs/reliability.md). Here they wait on a lock that hands the turn
    over at once, in about arrival order; SQLite's own lock still keeps other processes
    out. A turn not given back within the busy timeout (a transaction left open for that
    long, a connection lost mid-transaction) passes on anyway: that transaction then meets
    SQLite's lock, as without this, and nobody waits for a lost turn again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None  # id() of the DBAPI connection whose turn it is

    def take(self, connection: Any) -> None:
        if not self._lock.acquire(timeout=BUSY_SECONDS):
            log.warning("a write turn was not given back in %d s; passing it on", BUSY_SECONDS)
        self._holder = _raw_id(connection)  # the lock stays taken once, now by this one

    def give(self, connection: Any) -> None:
        self.give_by_id(_raw_id(connection))

    def give_by_id(self, raw_id: int) -> None:
        if self._holder is not None and self._holder == raw_id:
            self._holder = None
            self._lock.release()

    def wrap(self, dialect: Any) -> None:
        """Give the turn back once COMMIT or ROLLBACK is done (SQLAlchemy's events for them
        come before)."""
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def do_commit(connection: Any) -> None:
            try:
                commit(connection)
            finally:
                self.give(connection)

        def do_rollback(connection: Any) -> None:
            try:
                rollback(connection)
            finally:
                self.give(connection)

        dialect.do_commit, dialect.do_rollback = do_commit, do_rollback


READ_ONLY = "phonebank_read_only"


def read_only(session: Session) -> None:
    """The session's next transaction only reads: on SQLite it begins DEFERRED and takes
    no write turn, so it waits for no writer (WAL readers see the last commit). Call it
    before the transaction's first statement; a write in it would fail ("database is
    locked") rather than wait. No effect on PostgreSQL."""
    session.connection(execution_options={READ_ONLY: True})


def _raw_id(connection: Any) -> int:
    """The DBAPI connection behind SQLAlchemy's proxy (or the connection itself)."""
    return id(getattr(connection, "dbapi_connection", None) or connection)


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        _create_owner_only(url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,  # tracebacks must not carry voters' names and numbers
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # Let SQLAlchemy's BEGIN be ours: write transactions take the lock up front
            # (BEGIN IMMEDIATE) so two writers never deadlock on a lock upgrade.
            dbapi_conn.isolation_level = None

        turns = WriteTurns()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")  # a WAL reader: it waits for no writer
                return
            turns.take(conn.connection)
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                turns.give(conn.connection)
                raise

        turns.wrap(engine.dialect)

        @event.listens_for(engine.pool, "invalidate")
        def _lost(dbapi_conn, _record, _exception):
            turns.give_by_id(id(dbapi_conn))  # no COMMIT or ROLLBACK will come for it

        return engine
    # As many pooled connections as requests a worker runs at once (anyio's 40 threads), and
    # no overflow: an overflow connection is closed when it comes back, so under load every
    # request paid for a new PostgreSQL backend (fork, authentication) and its first queries.
    # No pool_pre_ping (a SELECT 1 round trip per request): `_drop_ended_sessions` checks
    # the socket instead; recycling bounds how long a connection a firewall may have
    # silently forgotten stays in the pool.
    engine = create_engine(
        url,
        pool_size=WORKER_THREADS + SIGN_IN_THREADS,
        max_overflow=0,
        pool_recycle=RECYCLE_SECONDS,
        hide_parameters=True,
    )
    event.listen(engine, "checkout", _drop_ended_sessions)
    return engine


# A pooled PostgreSQL connection is replaced after this long.
RECYCLE_SECONDS = 1800


def _drop_ended_sessions(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled connection whose session the server ended (restart, a restore's
    pg_terminate_backend, idle timeout): the pool then opens a new one.

    An idle connection has nothing to read unless the server sent its last words (a FATAL
    message, then end of file), so a readable socket is checked without a round trip.
    """
    try:
        fd = dbapi_conn.fileno()
    except psycopg.Error as error:  # closed: psycopg has no socket to give
        raise DisconnectionError("connection closed") from error
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if dbapi_conn.broken or poller.poll(0):
        raise DisconnectionError("the server ended this session")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
