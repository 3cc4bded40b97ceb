"""The local schema and its versioned upgrades.

`meta.schema_version` says which steps a file has had. Each step runs in the same write
transaction as the version bump, so a file is always at one exact version. Steps only ever
ADD (tables, columns, indexes); unsent results are never dropped (triggers enforce it).
Times are stored as ISO 8601 text in UTC; JSON as text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.store.sql import Connection
from sync.messages import Code, Message


class SchemaError(Exception):
    """The file's schema cannot be used; `msg`, when set, is a coded message for the UI."""

    def __init__(self, words: str, msg: Message | None = None) -> None:
        super().__init__(words)
        self.msg = msg


def _v1(conn: Connection) -> None:
    for statement in _V1.split(";\n\n"):
        if statement.strip():
            conn.execute(statement)


_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    goal INTEGER NOT NULL DEFAULT 0,
    calls_made INTEGER NOT NULL DEFAULT 0,
    mine INTEGER NOT NULL DEFAULT 0,
    script_id INTEGER,
    script_version INTEGER,
    policy TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE call_lists (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    remaining INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE scripts (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (campaign_id, version)
);

CREATE TABLE reservations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    call_list_id INTEGER NOT NULL,
    fence INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT,
    expires_at TEXT NOT NULL,
    next_request_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    release_pending INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    reservation_id INTEGER NOT NULL REFERENCES reservations(id),
    call_list_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    timezone TEXT NOT NULL,
    household TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'to_call',
    hub_attempts INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_disposition TEXT,
    due_at TEXT
);

CREATE INDEX ix_contacts_reservation ON contacts (reservation_id, position);

CREATE INDEX ix_contacts_phone ON contacts (phone);

CREATE TABLE results (
    id TEXT PRIMARY KEY,
    contact_id INTEGER NOT NULL,
    reservation_id INTEGER NOT NULL,
    fence INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    disposition TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    call_back_at TEXT,
    script_version INTEGER NOT NULL,
    supersedes TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_results_contact ON results (contact_id, created_at);

CREATE TABLE outbox (
    result_id TEXT PRIMARY KEY REFERENCES results(id),
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    hub_status TEXT,
    updated_at TEXT
);

CREATE INDEX ix_outbox_state ON outbox (state, result_id);

CREATE TRIGGER results_append_only BEFORE UPDATE ON results
BEGIN
    SELECT RAISE(ABORT, 'results are append-only');
END;

CREATE TRIGGER results_keep_unsent BEFORE DELETE ON results
WHEN EXISTS (SELECT 1 FROM outbox WHERE result_id = OLD.id AND state = 'pending')
BEGIN
    SELECT RAISE(ABORT, 'an unsent result cannot be deleted');
END;

CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox
WHEN OLD.state = 'pending'
BEGIN
    SELECT RAISE(ABORT, 'an unsent result cannot be deleted');
END
"""


def _v2(conn: Connection) -> None:
    """Feedback to organizers, the hub's timing verdict, and results the hub refused."""
    for statement in (
        """CREATE TABLE feedback_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id INTEGER,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )""",
        "ALTER TABLE outbox ADD COLUMN hub_timing TEXT",
        # A list whose contacts were removed (SPEC §3.8) is never filled again by a sync.
        "ALTER TABLE reservations ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0",
        # The next-contact query: one state of one list, in list order.
        "CREATE INDEX ix_contacts_next ON contacts (reservation_id, state, position)",
        # A household's members (call screen, and results that reach the whole household).
        "CREATE INDEX ix_contacts_household ON contacts (reservation_id, household)",
        # 'rejected' (the hub answered 422 for this one result) is kept like 'pending'.
        "DROP TRIGGER results_keep_unsent",
        """CREATE TRIGGER results_keep_unsent BEFORE DELETE ON results
        WHEN EXISTS (SELECT 1 FROM outbox WHERE result_id = OLD.id
                     AND state IN ('pending', 'rejected'))
        BEGIN
            SELECT RAISE(ABORT, 'an unsent result cannot be deleted');
        END""",
        "DROP TRIGGER outbox_keep_unsent",
        """CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox
        WHEN OLD.state IN ('pending', 'rejected')
        BEGIN
            SELECT RAISE(ABORT, 'an unsent result cannot be deleted');
        END""",
    ):
        conn.execute(statement)


def _v3(conn: Connection) -> None:
    """Every number of a contact (JSON list from the hub) and which one is being dialed."""
    conn.execute("ALTER TABLE contacts ADD COLUMN phones TEXT NOT NULL DEFAULT '[]'")
    conn.execute("ALTER TABLE contacts ADD COLUMN phone_index INTEGER NOT NULL DEFAULT 0")


def _v4(conn: Connection) -> None:
    """The call in progress (desktop/store/drafts.py): survives closing and crashes."""
    conn.execute(
        """CREATE TABLE drafts (
            contact_id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            saved_at TEXT NOT NULL
        )"""
    )


def _v5(conn: Connection) -> None:
    """The number each result dialed (sent to the hub as ResultIn.dialed_phone)."""
    conn.execute("ALTER TABLE results ADD COLUMN dialed_phone TEXT")


def _v6(conn: Connection) -> None:
    """The script language each call was read in, and the language a language barrier
    heard (ResultIn.language, ResultIn.heard_language)."""
    conn.execute("ALTER TABLE results ADD COLUMN language TEXT")
    conn.execute("ALTER TABLE results ADD COLUMN heard_language TEXT")


def _v7(conn: Connection) -> None:
    """Each outbox row's campaign, and whether its result counts toward the goal (not a
    correction): every Save & next counts its campaign's unsent calls, and joining each
    unsent row to its result cost ~4 ms a save with 5,000 waiting (bench/notes.md,
    save_during_sync); the partial index answers it from the index alone."""
    conn.execute("ALTER TABLE outbox ADD COLUMN campaign_id INTEGER")
    conn.execute("ALTER TABLE outbox ADD COLUMN counted INTEGER NOT NULL DEFAULT 1")
    conn.execute(
        "UPDATE outbox SET"
        " campaign_id = (SELECT r.campaign_id FROM results r WHERE r.id = outbox.result_id),"
        " counted = (SELECT r.supersedes IS NULL FROM results r WHERE r.id = outbox.result_id)"
    )
    conn.execute("CREATE INDEX ix_outbox_campaign ON outbox (campaign_id, state) WHERE counted = 1")


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).first()
    if not has_meta:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).scalar_one()
        if tables:
            raise SchemaError("not a Phonebank data file (it has other tables)")
        return 0
    raw = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").scalar()
    try:
        return int(raw or 0)
    except ValueError as exc:
        raise SchemaError(f"unreadable schema version {raw!r}") from exc


def upgrade(conn: Connection, path: Path | None = None, *, target: int = SCHEMA_VERSION) -> int:
    """Run the missing steps inside the caller's write transaction; returns the version."""
    version = current_version(conn)
    where = f"The data file {path}" if path else "The data file"
    if version > SCHEMA_VERSION:
        newer: dict[str, int | str] = {
            "path": str(path),
            "version": version,
            "known": SCHEMA_VERSION,
        }
        raise SchemaError(
            f"{where} was written by a newer version of Phonebank "
            f"(schema {version}, this app knows {SCHEMA_VERSION}). Please upgrade the app.",
            Message(Code.DATA_FILE_NEWER, newer) if path else None,
        )
    for step in range(version, target):
        MIGRATIONS[step](conn)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(step + 1),),
        )
    return max(version, target)
