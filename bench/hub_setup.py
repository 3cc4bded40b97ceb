"""A throwaway PostgreSQL hub database filled fast, volunteers with tokens, a real hub process.

The contacts go in with one server-side INSERT ... SELECT over generate_series (no rows cross
the wire); the volunteers and their tokens go through the hub's own crud functions, with a
ready password hash (200 argon2 hashes would only burn the CPU the benchmark measures).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from sync.hub import migrate
from sync.hub.crud import users as users_crud
from sync.hub.db import make_engine, session_scope
from tests.support.hub_process import HubProcess

PG_ADMIN = os.environ.get("PHONEBANK_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
# Any valid argon2 hash: nobody logs in with a password during a benchmark.
PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$N5TWZ5mVYHn1sPDAZ2Z0yYqCBsjcbqPdAd6lBv6h3cY"
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


@dataclass
class Seeded:
    campaign_id: int
    list_id: int
    first_household: int
    households: int
    tokens: list[str] = field(default_factory=list)
    volunteer_ids: list[int] = field(default_factory=list)


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database (unique name); dropped at the end."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_list(
    url: str,
    households: int,
    *,
    list_size: int = 20,
    cooldown_seconds: int = 0,
    script_questions: tuple[str, ...] = (),
) -> Seeded:
    """One campaign, one call list of `households` one-person households in four zones,
    callable around the clock (so calling hours never empty the pool mid-run)."""
    with psycopg.connect(url) as conn, _bare_tables(conn, ("households", "contacts")):
        conn.execute("SET synchronous_commit = off")
        campaign_id = _one(
            conn,
            "INSERT INTO campaigns (name, goal, list_size, hold_seconds, cooldown_seconds,"
            " calling_hours_start, calling_hours_end, retry_after_seconds, max_attempts,"
            " created_at) VALUES ('Bench', 1000000, %s, 86400, %s, '00:00', '23:59', 14400, 3,"
            " now()) RETURNING id",
            (list_size, cooldown_seconds),
        )
        list_id = _one(
            conn,
            "INSERT INTO call_lists (campaign_id, name) VALUES (%s, 'Everyone') RETURNING id",
            (campaign_id,),
        )
        conn.execute(
            "INSERT INTO households (campaign_id, call_list_id, phone, timezone, state,"
            " attempts, fence)"
            " SELECT %s, %s, '+1614' || lpad(g::text, 7, '0'), (%s::text[])[1 + g %% 4],"
            " 'open', 0, 0 FROM generate_series(1, %s) AS g",
            (campaign_id, list_id, list(ZONES), households),
        )
        conn.execute(
            "INSERT INTO contacts (household_id, call_list_id, campaign_id, first_name,"
            " last_name, phone, timezone, extra, state, attempts)"
            " SELECT id, call_list_id, campaign_id, 'Person' || id, 'Bench', phone, timezone,"
            " json_build_object('precinct', (id %% 997)::text, 'ward', (id %% 31)::text),"
            " 'open', 0 FROM households WHERE call_list_id = %s",
            (list_id,),
        )
        if script_questions:
            questions = ", ".join(
                f'{{"id": "{q}", "text": "{q}?", "kind": "text", "options": []}}'
                for q in script_questions
            )
            conn.execute(
                "INSERT INTO script_versions (campaign_id, version, title, intro, closing,"
                " questions, created_at) VALUES (%s, 1, 'Bench', 'Hi', '', %s, now())",
                (campaign_id, f"[{questions}]"),
            )
        first = _one(conn, "SELECT min(id) FROM households WHERE call_list_id = %s", (list_id,))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE households")
        conn.execute("VACUUM ANALYZE contacts")
    return Seeded(campaign_id, list_id, first, households)


@contextlib.contextmanager
def _bare_tables(conn: psycopg.Connection[Any], tables: tuple[str, ...]) -> Iterator[None]:
    """Fill tables without their secondary indexes and foreign-key triggers, then put the
    indexes back exactly as the migrations made them (building an index over a million rows
    at once is several times faster than growing it row by row). Commits at the end."""
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid::regclass::text = ANY(%s) AND contype = 'u'",
        (list(tables),),
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
        " AND indexname NOT LIKE '%%_pkey' AND indexname <> ALL(%s)",
        (list(tables), [name for _, name, _ in constraints]),
    ).fetchall()
    for table, name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("SET session_replication_role = replica")  # no per-row FK checks
    yield
    conn.execute("SET session_replication_role = DEFAULT")
    conn.execute("SET maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        conn.execute(definition)
    for table, name, definition in constraints:
        conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    conn.commit()


def add_volunteers(url: str, seeded: Seeded, count: int) -> None:
    """`count` volunteers with a live token each, through the hub's own crud functions."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            for n in range(count):
                user = users_crud.create_user(
                    session,
                    f"volunteer{n}@bench.example.org",
                    f"Volunteer {n}",
                    password_hash=PASSWORD_HASH,
                )
                token, _ = users_crud.issue_token(session, user, "bench")
                assert user.id is not None
                seeded.tokens.append(token)
                seeded.volunteer_ids.append(user.id)
    finally:
        engine.dispose()


def _one(conn: psycopg.Connection[Any], sql: str, params: Any = None) -> Any:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def in_an_hour() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)


@contextlib.contextmanager
def running_hub(url: str, workers: int) -> Iterator[HubProcess]:
    """The real `phonebank-hub serve --workers N` on a free loopback port."""
    hub = HubProcess(url.replace("postgresql://", "postgresql+psycopg://"), workers=workers)
    try:
        hub.start(timeout=60)
        yield hub
    finally:
        hub.close()


# ---------------------------------------------------------------- CPU accounting


def _ticks(pid: int) -> int:
    """User + system CPU ticks of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def process_tree(root: int) -> list[int]:
    pids = [root]
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{pid}/children") as f:
            pids.extend(int(p) for p in f.read().split())
    return pids


class PostgresBackends:
    """The server processes serving one database, listed over one admin connection."""

    def __init__(self, url: str) -> None:
        self.name = url.rsplit("/", 1)[1]
        self.conn: psycopg.Connection[Any] | None = None

    def __call__(self) -> list[int]:
        if self.conn is None:
            self.conn = psycopg.connect(PG_ADMIN, autocommit=True)
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.name,)
        ).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class CpuMeter:
    """CPU seconds used by named groups of processes between start() and stop().

    The groups are listed again every 0.2 s, so processes that start during the run (a pool
    opening connections) count from zero; one that ends is counted up to its last sample.
    """

    HZ = os.sysconf("SC_CLK_TCK")

    def __init__(self, **groups: Callable[[], list[int]]) -> None:
        self.groups = groups
        self.first: dict[int, int] = {}  # pid -> ticks when first seen
        self.last: dict[int, tuple[str, int]] = {}  # pid -> (group, ticks when last seen)
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def _sample(self, initial: bool) -> None:
        for name, find in self.groups.items():
            for pid in find():
                ticks = _ticks(pid)
                self.first.setdefault(pid, ticks if initial else 0)
                self.last[pid] = (name, max(ticks, self.last.get(pid, (name, 0))[1]))

    def start(self) -> None:
        self._sample(initial=True)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.2):
            self._sample(initial=False)

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        self._sample(initial=False)
        seconds = dict.fromkeys(self.groups, 0.0)
        for pid, (name, ticks) in self.last.items():
            seconds[name] += (ticks - self.first[pid]) / self.HZ
        return seconds
