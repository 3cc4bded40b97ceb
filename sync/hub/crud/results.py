"""Call results: stored exactly once by the laptop's UUID, never refused, never overwritten.

Each result of a batch gets a status:

- ``created``: stored now (and its effects on contacts and households applied);
- ``duplicate``: the same id with the same content was stored before;
- ``conflict``: the same id with other content was stored before; the original is kept;
- ``quarantined``: it can never be accepted (unknown contact, not held in that reservation,
  fence mismatch, unknown script version or question). It is stored, flagged, and answered
  2xx so the laptop's queue moves on.

Accepted results get a timing: ``on_time`` (ended while the hold lasted), ``late`` (after, but
nobody else was given the household since) or ``late_conflict`` (the household was granted
again with a larger fence: both results are kept and this one is flagged for an organizer).

Exactly once under concurrency: rows go in with ``INSERT ... ON CONFLICT (id) DO NOTHING``
sorted by id, effects are applied only for the rows this transaction inserted, and a deadlock
between two transactions is retried.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from sync.hub.crud import choice_tallies, effects_sqlite, result_tallies
from sync.hub.crud.reservations import RETRY_SQLSTATES
from sync.hub.crud.result_checks import (
    MAX_BIGINT,
    BatchContext,
    clean,
    content_hash,
    fits,
    load_context,
    public_reason,
    quarantine_reason,
    safe_utc,
    stored_reason,
    timing_of,
)
from sync.hub.crud.result_effects import apply_effects
from sync.hub.crud.short_calls import ShortContactCount
from sync.hub.models import CallResult, User
from sync.hub.types import utcnow
from sync.messages import Code, Message
from sync.protocol import ResultIn, ResultOutcome, ResultStatus, Timing

_ATTEMPTS = 3  # tries of a batch that lost a deadlock against a concurrent one


# ---------------------------------------------------------------- storing


def _row(
    result: ResultIn,
    digest: str,
    volunteer_id: int,
    ctx: BatchContext,
    reason: Message | None,
    timing: Timing | None,
    now: datetime,
) -> dict[str, Any]:
    contact = ctx.contacts.get(result.contact_id)
    return {
        "id": str(result.id),
        "campaign_id": contact.campaign_id if contact else None,
        "contact_id": result.contact_id if fits(result.contact_id) else None,
        "reservation_id": result.reservation_id if fits(result.reservation_id) else None,
        "fence": result.fence if fits(result.fence, MAX_BIGINT) else 0,
        "volunteer_id": volunteer_id,
        "disposition": result.disposition.value,
        "answers": clean(result.answers),
        "notes": clean(result.notes),
        "started_at": safe_utc(result.started_at) or now,
        "ended_at": safe_utc(result.ended_at) or now,
        "script_version": result.script_version if fits(result.script_version) else 0,
        "call_back_at": safe_utc(result.call_back_at),
        "supersedes": str(result.supersedes) if result.supersedes else None,
        "received_at": now,
        "timing": timing.value if timing else None,
        "quarantined": reason is not None,
        "quarantine_reason": str(reason)[:500] if reason else None,
        "quarantine_code": reason.code.value if reason else None,
        "quarantine_params": clean(dict(reason.params)) if reason else None,
        "flagged": reason is None and timing == Timing.late_conflict,
        "content_hash": digest,
        "dialed_phone": result.dialed_phone,
        "language": result.language,
        "heard_language": result.heard_language,
    }


# ---------------------------------------------------------------- the batch


# call_results columns and their PostgreSQL types, for the one-statement bulk insert.
_PG_COLUMNS = (
    ("id", "varchar"),
    ("campaign_id", "integer"),
    ("contact_id", "integer"),
    ("reservation_id", "integer"),
    ("fence", "bigint"),
    ("volunteer_id", "integer"),
    ("disposition", "varchar"),
    ("answers", "json"),
    ("notes", "text"),
    ("started_at", "timestamptz"),
    ("ended_at", "timestamptz"),
    ("script_version", "integer"),
    ("call_back_at", "timestamptz"),
    ("supersedes", "varchar"),
    ("received_at", "timestamptz"),
    ("timing", "varchar"),
    ("quarantined", "boolean"),
    ("quarantine_reason", "varchar"),
    ("quarantine_code", "varchar"),
    ("quarantine_params", "json"),
    ("flagged", "boolean"),
    ("content_hash", "varchar"),
    ("dialed_phone", "varchar"),
    ("language", "varchar"),
    ("heard_language", "varchar"),
)
# One JSON document for the whole batch: json.dumps is C, while psycopg dumps list
# parameters (one array per column) element by element in Python.
_PG_INSERT = (
    f"INSERT INTO call_results ({', '.join(name for name, _ in _PG_COLUMNS)}) "
    f"SELECT {', '.join(name for name, _ in _PG_COLUMNS)} FROM json_to_recordset(%(rows)s::json)"
    f" AS r({', '.join(f'{name} {kind}' for name, kind in _PG_COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a call_results row")


# SQLite: one multi-row INSERT through the driver, the row values in one flat tuple. The JSON
# columns go in as the text SQLAlchemy's JSON type stores (`json.dumps`, 'null' for None),
# datetimes as its naive-UTC text, booleans as 0/1: the rows are byte for byte what an
# executemany stored, without SQLAlchemy converting each parameter in Python.
_SQLITE_JSON_COLUMNS = frozenset(("answers", "quarantine_params"))
_SQLITE_NAMES = tuple(name for name, _ in _PG_COLUMNS)
_SQLITE_ROW = f"({', '.join('?' * len(_SQLITE_NAMES))})"
_SQLITE_ROWS_PER_INSERT = 500  # 500 x 25 parameters, under SQLite's limit of 32,766


def _sqlite_value(name: str, value: Any) -> Any:
    if name in _SQLITE_JSON_COLUMNS:
        return json.dumps(value)
    if isinstance(value, datetime):
        return effects_sqlite.stored_value(value)
    return value


def _sqlite_insert(connection: Connection, rows: list[dict[str, Any]]) -> set[str]:
    inserted: set[str] = set()
    for start in range(0, len(rows), _SQLITE_ROWS_PER_INSERT):
        chunk = rows[start : start + _SQLITE_ROWS_PER_INSERT]
        statement = (
            f"INSERT INTO call_results ({', '.join(_SQLITE_NAMES)}) VALUES "
            + ", ".join([_SQLITE_ROW] * len(chunk))
            + " ON CONFLICT (id) DO NOTHING RETURNING id"
        )
        values = tuple(_sqlite_value(name, row[name]) for row in chunk for name in _SQLITE_NAMES)
        inserted.update(row[0] for row in connection.exec_driver_sql(statement, values))
    return inserted


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose id is not stored yet; return the ids this call inserted.

    PostgreSQL gets one short statement with the rows as one JSON parameter
    (``json_to_recordset``): the same text for every batch, so nothing is re-parsed per row.
    SQLite gets one multi-row VALUES straight through the driver.
    """
    connection = session.connection()
    if session.get_bind().dialect.name == "postgresql":
        document = json.dumps(rows, default=_json_value, ensure_ascii=False)
        return {row[0] for row in connection.exec_driver_sql(_PG_INSERT, {"rows": document})}
    return _sqlite_insert(connection, rows)


def _ingest_once(
    session: Session, volunteer_id: int, results: list[ResultIn], now: datetime
) -> list[ResultOutcome]:
    digests = [content_hash(r) for r in results]
    # Earlier copies (stored before, or earlier in this very batch) are found by the insert:
    # reading them first would cost a round trip for every batch, and repeats are rare.
    stored: dict[str, Row[*tuple[Any, ...]]] = {}
    ctx = load_context(session, results)

    short = ShortContactCount(session, volunteer_id, now)
    outcomes: list[ResultOutcome | None] = [None] * len(results)
    first_in_batch: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for index, (result, digest) in enumerate(zip(results, digests, strict=True)):
        key = str(result.id)
        if key in first_in_batch:
            continue  # judged after the insert, against the copy that won
        first_in_batch[key] = index
        reason = quarantine_reason(result, volunteer_id, ctx, now) or short.reason(result)
        timing = None if reason else timing_of(result, ctx)
        rows.append(_row(result, digest, volunteer_id, ctx, reason, timing, now))

    inserted: set[str] = set()
    if rows:
        rows.sort(key=lambda row: row["id"])  # one lock order for every transaction
        inserted = _insert_new(session, rows)
        missing = [row["id"] for row in rows if row["id"] not in inserted]
        if missing:  # stored before, or by a concurrent request first
            for winner in _stored(session, missing):
                stored[winner.id] = winner
    by_id = {row["id"]: row for row in rows}
    result_tallies.add_results(session, volunteer_id, (by_id[key] for key in sorted(inserted)))
    choice_tallies.add_results(session, volunteer_id, (by_id[key] for key in sorted(inserted)))

    accepted = []
    for index, (result, digest) in enumerate(zip(results, digests, strict=True)):
        key = str(result.id)
        if key in inserted and first_in_batch.get(key) == index:
            mine = by_id[key]
            if mine["quarantined"]:
                outcomes[index] = ResultOutcome(
                    id=result.id,
                    status=ResultStatus.quarantined,
                    **_told(
                        mine["quarantine_code"],
                        mine["quarantine_params"],
                        mine["quarantine_reason"],
                    ),
                )
            else:
                accepted.append(result)
                outcomes[index] = ResultOutcome(
                    id=result.id, status=ResultStatus.created, timing=Timing(mine["timing"])
                )
            continue
        original_hash, stored_timing, *kept = _original(key, stored, by_id)
        timing = Timing(stored_timing) if stored_timing else None
        if original_hash == digest:
            outcomes[index] = ResultOutcome(
                id=result.id, status=ResultStatus.duplicate, timing=timing, **_told(*kept)
            )
        else:
            outcomes[index] = ResultOutcome(
                id=result.id,
                status=ResultStatus.conflict,
                timing=timing,
                **_told(Code.RESULT_ID_REUSED.value, {}, str(Message(Code.RESULT_ID_REUSED))),
            )
    superseded_holds = {
        result.id for result in accepted if by_id[str(result.id)]["timing"] == Timing.late_conflict
    }
    apply_effects(session, accepted, volunteer_id, ctx, now, superseded_holds)
    return [o for o in outcomes if o is not None]


def _told(code: str | None, params: Any, reason: str | None) -> dict[str, Any]:
    """An outcome's reason fields as the volunteer who sent the result is told them: the
    English text (the stored one, cut at 500 characters) with its code and parameters."""
    message = public_reason(stored_reason(code, params, reason))
    if message is None:
        return {}
    words = reason if message.code.value == code else str(message)
    return {"reason": words, **message.wire()}


def _stored(session: Session, ids: list[str]) -> Sequence[Row[*tuple[Any, ...]]]:
    """What the hub kept of results stored before: id, content_hash, timing, and the
    quarantine reason (code, parameters, text)."""
    table = CallResult.__table__  # type: ignore[attr-defined]
    query = select(
        table.c.id,
        table.c.content_hash,
        table.c.timing,
        table.c.quarantine_code,
        table.c.quarantine_params,
        table.c.quarantine_reason,
    )
    return session.connection().execute(query.where(table.c.id.in_(ids))).all()


def _original(
    key: str, stored: dict[str, Row[*tuple[Any, ...]]], by_id: dict[str, dict[str, Any]]
) -> tuple[str, str | None, str | None, Any, str | None]:
    row: Any = stored.get(key)
    if row is not None:
        return (
            row.content_hash,
            row.timing,
            row.quarantine_code,
            row.quarantine_params,
            row.quarantine_reason,
        )
    mine = by_id[key]
    return (
        mine["content_hash"],
        mine["timing"],
        mine["quarantine_code"],
        mine["quarantine_params"],
        mine["quarantine_reason"],
    )


def _retryable(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES


def ingest_results(
    session: Session,
    volunteer: User,
    results: Iterable[ResultIn],
    *,
    now: datetime | None = None,
) -> list[ResultOutcome]:
    """Store a batch of results exactly once each; one outcome per result, in order. Commits."""
    assert volunteer.id is not None
    batch = list(results)
    if not batch:
        return []
    for attempt in range(_ATTEMPTS):
        try:
            outcomes = _ingest_once(session, volunteer.id, batch, now or utcnow())
            session.commit()
            return outcomes
        except DBAPIError as error:
            session.rollback()
            if attempt + 1 == _ATTEMPTS or not _retryable(error):
                raise
    raise AssertionError("unreachable")
