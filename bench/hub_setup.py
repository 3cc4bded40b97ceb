"""The benchmarks' one hub seeder: every bench script that needs hub data gets it here.

- `write_contacts_csv`: a deterministic voter file (1,000,000 rows in about two seconds) for
  benchmarks that go through the real `import-contacts`;
- `create_campaign`: an all-day campaign through the real `phonebank-hub` commands;
- `seed_list`: a PostgreSQL campaign with a million households in seconds, by one
  server-side INSERT ... SELECT over generate_series (no rows cross the wire);
- `add_volunteers`: accounts with a live token each, all with one password hashed once
  (sign-ins cost an argon2 hash each, which is not what the benchmarks measure);
- `throwaway_database`: a new, migrated PostgreSQL database, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.common import PG_ADMIN, REPO_ROOT
from tests.support.hub_process import run_hub_cli

ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
VOLUNTEER_PASSWORD = "bench volunteer passphrase"
GOTV_SCRIPT = REPO_ROOT / "resources" / "scripts" / "gotv.yaml"

# ---------------------------------------------------------------- the voter file

# Area codes in four US zones (New York, Chicago, Denver, Los Angeles).
AREA_CODES = ("614", "216", "513", "312", "773", "303", "720", "213", "415", "206")
STATES = ("Ohio", "Ohio", "Ohio", "Illinois", "Illinois", "Colorado", "Colorado",
          "California", "California", "Washington")  # fmt: skip


# A number's slot in its area code (exchange 200-999 x line 0000-9999) is n scattered by a
# multiplier prime to the slot count: distinct for distinct n, and consecutive households land
# on unrelated exchanges, as in a real state file (tens of thousands of seven-digit prefixes
# among a million rows; numbers in order would give a few hundred, which flatters the
# importer's prefix cache: bench/notes.md, import_1m_csv).
_SLOTS = 800 * 10_000
_SCATTER = 1_234_567  # odd and not a multiple of 5: prime to 8,000,000


def phone(n: int) -> str:
    """A distinct, valid NANP number for each n < 8,000,000 per area code."""
    area = AREA_CODES[n % len(AREA_CODES)]
    slot = (n // len(AREA_CODES)) * _SCATTER % _SLOTS
    exchange = 200 + slot // 10_000  # 2xx-9xx: valid exchanges
    return f"({area}) {exchange:03d}-{slot % 10_000:04d}"


def write_contacts_csv(
    path: Path, rows: int, *, state_column: bool = True, voter_file: bool = False
) -> Path:
    """`rows` contacts (plus a header); returns `path`. Numbers are spread over ten area
    codes in four time zones; every fifth row shares the previous row's number (a
    household); one row in 2,000 has an unusable number, as real lists do. `voter_file`: as
    a voter file comes, a `VOTER_ID` first and two phone columns (`CellPhone`, then
    `HomePhone`, which two rows in three have: another valid number of the household)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        head = "VOTER_ID,FirstName,LastName,CellPhone,HomePhone" if voter_file else (
            "first_name,last_name,phone"
        )  # fmt: skip
        out.write(head + ",city,age" + (",state\n" if state_column else "\n"))
        household = -1
        lines = []
        for i in range(rows):
            if i % 5 != 4:
                household += 1
            number = phone(household) if i % 2000 != 1999 else "555-01"
            person = f"First{i},Family{household},{number}"
            if voter_file:
                home = phone(household + 40_000_000) if i % 3 else ""
                person = f"{600_000_000 + i},{person},{home}"
            state = STATES[household % len(STATES)]
            lines.append(
                f"{person},Town{household % 97},{18 + i % 80}"
                + (f",{state}\n" if state_column else "\n")
            )
            if len(lines) == 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return path


# ---------------------------------------------------------------- through the commands


def cli(database_url: str, *args: str, stdin: str | None = None) -> str:
    """Run a `phonebank-hub` command in this process; its stdout, or RuntimeError."""
    done = run_hub_cli(database_url, *args, stdin=stdin)
    if done.returncode != 0:
        raise RuntimeError(f"phonebank-hub {args[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def create_campaign(database_url: str, *, list_size: int = 20, goal: int = 1_000_000) -> int:
    """An all-day campaign with the GOTV script, no cool-down; its id."""
    campaign_id = int(
        cli(
            database_url, "create-campaign", "Bench campaign", "--goal", str(goal),
            "--list-size", str(list_size), "--calling-hours", "00:00-23:59",
            "--cooldown", "0", "--hold", str(4 * 3600),
        ).strip()
    )  # fmt: skip
    cli(database_url, "load-script", str(campaign_id), str(GOTV_SCRIPT))
    return campaign_id


def import_contacts(database_url: str, folder: Path, campaign_id: int, rows: int) -> None:
    """`rows` contacts of the generated file into one list ("Ohio"), by `import-contacts`."""
    csv_path = write_contacts_csv(folder / f"contacts-{campaign_id}.csv", rows, state_column=False)
    cli(database_url, "import-contacts", str(campaign_id), str(csv_path), "--list", "Ohio")


# ---------------------------------------------------------------- accounts


@dataclass
class Volunteers:
    emails: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # one live bearer token each


def add_volunteers(
    database_url: str, count: int, *, password_hash: str | None = None
) -> Volunteers:
    """`count` volunteer accounts, each with a live token; all sign in with
    VOLUNTEER_PASSWORD unless a ready `password_hash` is given. The rows go in as the hub's
    own models in one flush each (2,400 accounts for the capacity ramp in a second or two)."""
    from sync.hub.db import make_engine, session_scope
    from sync.hub.models import ApiToken, User
    from sync.hub.security import hash_password, new_token, token_digest

    password_hash = password_hash or hash_password(VOLUNTEER_PASSWORD)
    made = Volunteers(emails=[f"volunteer{n}@example.org" for n in range(count)])
    made.tokens = [new_token() for _ in range(count)]
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            users = [
                User(email=email, name=f"Volunteer {n}", password_hash=password_hash)
                for n, email in enumerate(made.emails)
            ]
            session.add_all(users)
            session.flush()
            expires = datetime.now(UTC) + timedelta(days=30)
            session.add_all(
                ApiToken(user_id=u.id, token_hash=token_digest(t), device_name="bench",
                         expires_at=expires)
                for u, t in zip(users, made.tokens, strict=True)
            )  # fmt: skip
            made.ids = [u.id for u in users if u.id is not None]
    finally:
        engine.dispose()
    return made


# ---------------------------------------------------------------- PostgreSQL by SQL


@dataclass
class Seeded:
    campaign_id: int
    list_id: int
    first_household: int
    households: int
    volunteers: Volunteers = field(default_factory=Volunteers)  # add_volunteers' accounts


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database (unique name); dropped at the end."""
    from sync.hub import migrate
    from sync.hub.db import make_engine

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
    with psycopg.connect(url) as conn, bare_tables(conn, ("households", "contacts")):
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
def bare_tables(conn: psycopg.Connection[Any], tables: tuple[str, ...]) -> Iterator[None]:
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


def _one(conn: psycopg.Connection[Any], sql: str, params: Any = None) -> Any:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]
