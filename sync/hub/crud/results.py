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

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, exists, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from sync.hub.crud.reservations import MAX_ID, RETRY_SQLSTATES
from sync.hub.models import (
    CallResult,
    Campaign,
    Contact,
    DoNotCall,
    Household,
    Reservation,
    ReservationItem,
    ScriptVersion,
    User,
)
from sync.hub.types import utcnow
from sync.protocol import (
    BAD_NUMBER,
    RETRYABLE,
    Disposition,
    ResultIn,
    ResultOutcome,
    ResultStatus,
    Timing,
)

MAX_BIGINT = 2**63 - 1
# Dispositions after which this person is finished with.
FINISHED = frozenset(
    {
        Disposition.contacted,
        Disposition.refused,
        Disposition.deceased,
        Disposition.language_barrier,
    }
)
_ATTEMPTS = 3  # tries of a batch that lost a deadlock against a concurrent one


# ---------------------------------------------------------------- content


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC).isoformat()
    except OverflowError:
        return value.isoformat()


def content_hash(result: ResultIn) -> str:
    """SHA-256 over canonical JSON of everything the laptop said about the call.

    Times are compared as instants (any offset), answers with sorted keys.
    """
    data = result.model_dump(mode="json")
    for name in ("started_at", "ended_at", "call_back_at"):
        data[name] = _utc_text(getattr(result, name))
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: store U+FFFD instead (the hash keeps the original)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _fits(value: int, limit: int = MAX_ID) -> bool:
    return -limit <= value <= limit


def _safe_utc(value: datetime | None) -> datetime | None:
    try:
        return value.astimezone(UTC) if value is not None else None
    except OverflowError:
        return None


# ---------------------------------------------------------------- what a batch needs


@dataclass
class _Context:
    """Everything the batch refers to, loaded in a handful of queries."""

    contacts: dict[int, Contact] = field(default_factory=dict)
    households: dict[int, Household] = field(default_factory=dict)
    reservations: dict[int, Reservation] = field(default_factory=dict)
    items: dict[tuple[int, int], ReservationItem] = field(default_factory=dict)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    # (campaign id, version) -> question ids; campaigns with any script at all
    scripts: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    scripted_campaigns: set[int] = field(default_factory=set)
    superseded_owner: dict[str, int] = field(default_factory=dict)


def _load_context(session: Session, results: list[ResultIn]) -> _Context:
    ctx = _Context()
    contact_ids = {r.contact_id for r in results if 0 < r.contact_id <= MAX_ID}
    if contact_ids:
        for contact in session.exec(select(Contact).where(col(Contact.id).in_(contact_ids))):
            assert contact.id is not None
            ctx.contacts[contact.id] = contact
    household_ids = {c.household_id for c in ctx.contacts.values()}
    if household_ids:
        for household in session.exec(
            select(Household).where(col(Household.id).in_(household_ids))
        ):
            assert household.id is not None
            ctx.households[household.id] = household
    reservation_ids = {r.reservation_id for r in results if 0 < r.reservation_id <= MAX_ID}
    if reservation_ids:
        for reservation in session.exec(
            select(Reservation).where(col(Reservation.id).in_(reservation_ids))
        ):
            assert reservation.id is not None
            ctx.reservations[reservation.id] = reservation
        for item in session.exec(
            select(ReservationItem).where(
                col(ReservationItem.reservation_id).in_(ctx.reservations),
                col(ReservationItem.household_id).in_(household_ids or {0}),
            )
        ):
            ctx.items[(item.reservation_id, item.household_id)] = item
    campaign_ids = {c.campaign_id for c in ctx.contacts.values()}
    if campaign_ids:
        for campaign in session.exec(select(Campaign).where(col(Campaign.id).in_(campaign_ids))):
            assert campaign.id is not None
            ctx.campaigns[campaign.id] = campaign
        wanted = {
            (ctx.contacts[r.contact_id].campaign_id, r.script_version)
            for r in results
            if r.contact_id in ctx.contacts and _fits(r.script_version)
        }
        versions = (
            session.exec(
                select(
                    ScriptVersion.campaign_id, ScriptVersion.version, ScriptVersion.questions
                ).where(
                    tuple_(col(ScriptVersion.campaign_id), col(ScriptVersion.version)).in_(wanted)
                )
            ).all()
            if wanted
            else []
        )
        for campaign_id, version, questions in versions:
            ctx.scripts[(campaign_id, version)] = {
                str(q.get("id")) for q in questions or [] if isinstance(q, dict)
            }
        ctx.scripted_campaigns = set(
            session.exec(
                select(ScriptVersion.campaign_id)
                .where(col(ScriptVersion.campaign_id).in_(campaign_ids))
                .distinct()
            )
        )
    superseded = {str(r.supersedes) for r in results if r.supersedes is not None}
    if superseded:
        for result_id, volunteer_id in session.exec(
            select(CallResult.id, CallResult.volunteer_id).where(col(CallResult.id).in_(superseded))
        ):
            ctx.superseded_owner[result_id] = volunteer_id
    return ctx


# ---------------------------------------------------------------- judging one result


def _quarantine_reason(result: ResultIn, volunteer_id: int, ctx: _Context) -> str | None:
    contact = ctx.contacts.get(result.contact_id)
    if contact is None:
        return f"unknown contact {result.contact_id}"
    reservation = ctx.reservations.get(result.reservation_id)
    if reservation is None:
        return f"unknown reservation {result.reservation_id}"
    if reservation.volunteer_id != volunteer_id:
        return f"reservation {result.reservation_id} belongs to another volunteer"
    if (reservation.id, contact.household_id) not in ctx.items:
        return f"contact {result.contact_id} was never held in reservation {result.reservation_id}"
    if result.fence != reservation.id:
        return f"fence {result.fence} does not match reservation {result.reservation_id}"
    if contact.campaign_id in ctx.scripted_campaigns:
        questions = ctx.scripts.get((contact.campaign_id, result.script_version))
        if questions is None:
            return f"script version {result.script_version} is unknown in this campaign"
        unknown = sorted(set(result.answers) - questions)
        if unknown:
            return (
                f"answers name questions not in script version {result.script_version}: "
                + ", ".join(repr(q) for q in unknown)
            )
    elif result.answers:
        return "answers given but this campaign has no script"
    if result.supersedes is not None:
        owner = ctx.superseded_owner.get(str(result.supersedes))
        if owner is not None and owner != volunteer_id:
            return f"corrects result {result.supersedes} of another volunteer"
    if _safe_utc(result.ended_at) is None or _safe_utc(result.started_at) is None:
        return "start or end time out of range"
    return None


def _timing(result: ResultIn, ctx: _Context) -> Timing:
    contact = ctx.contacts[result.contact_id]
    item = ctx.items[(result.reservation_id, contact.household_id)]
    held_until = item.expires_at
    if item.released_at is not None and item.released_at < held_until:
        held_until = item.released_at
    if result.ended_at <= held_until:
        return Timing.on_time
    household = ctx.households.get(contact.household_id)
    if household is not None and household.fence > result.fence:
        return Timing.late_conflict
    return Timing.late


# ---------------------------------------------------------------- storing


def _dialect_insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def _row(
    result: ResultIn,
    digest: str,
    volunteer_id: int,
    ctx: _Context,
    reason: str | None,
    timing: Timing | None,
    now: datetime,
) -> dict[str, Any]:
    contact = ctx.contacts.get(result.contact_id)
    return {
        "id": str(result.id),
        "campaign_id": contact.campaign_id if contact else None,
        "contact_id": result.contact_id if _fits(result.contact_id) else None,
        "reservation_id": result.reservation_id if _fits(result.reservation_id) else None,
        "fence": result.fence if _fits(result.fence, MAX_BIGINT) else 0,
        "volunteer_id": volunteer_id,
        "disposition": result.disposition.value,
        "answers": _clean(result.answers),
        "notes": _clean(result.notes),
        "started_at": _safe_utc(result.started_at) or now,
        "ended_at": _safe_utc(result.ended_at) or now,
        "script_version": result.script_version if _fits(result.script_version) else 0,
        "call_back_at": _safe_utc(result.call_back_at),
        "supersedes": str(result.supersedes) if result.supersedes else None,
        "received_at": now,
        "timing": timing.value if timing else None,
        "quarantined": reason is not None,
        "quarantine_reason": reason[:500] if reason else None,
        "flagged": reason is None and timing == Timing.late_conflict,
        "content_hash": digest,
    }


def _apply_effects(
    session: Session,
    accepted: list[ResultIn],
    volunteer_id: int,
    ctx: _Context,
    now: datetime,
) -> None:
    """What the new results mean for contacts, households and the do-not-call list (SPEC §2)."""
    if not accepted:
        return
    conn = session.connection()
    accepted = sorted(accepted, key=lambda r: (_safe_utc(r.ended_at) or now, str(r.id)))
    contact_rows = []
    retry_rows = []
    call_back_rows = []
    bad_households: set[int] = set()
    dnc_phones: dict[str, str] = {}
    touched: set[int] = set()
    for result in accepted:
        contact = ctx.contacts[result.contact_id]
        campaign = ctx.campaigns[contact.campaign_id]
        disposition = result.disposition
        touched.add(contact.household_id)
        # The person is done once attempts + 1 reaches this: at once, after the retries, never.
        if disposition in FINISHED:
            limit = 0
        elif disposition in RETRYABLE:
            limit = campaign.max_attempts
        else:
            limit = MAX_ID
        contact_rows.append(
            {
                "b_id": contact.id,
                "b_disposition": disposition.value,
                "b_limit": limit,
                "b_call_back_at": _safe_utc(result.call_back_at)
                if disposition == Disposition.call_back
                else None,
            }
        )
        if disposition in RETRYABLE:
            retry_rows.append(
                {
                    "b_id": contact.household_id,
                    "b_next": now + timedelta(seconds=campaign.retry_after_seconds),
                }
            )
        elif disposition == Disposition.call_back:
            when = _safe_utc(result.call_back_at) or now + timedelta(
                seconds=campaign.retry_after_seconds
            )
            call_back_rows.append({"b_id": contact.household_id, "b_next": when})
        elif disposition in BAD_NUMBER:
            bad_households.add(contact.household_id)
        elif disposition == Disposition.do_not_call:
            dnc_phones.setdefault(contact.phone, str(result.id))

    contacts = Contact.__table__  # type: ignore[attr-defined]
    households = Household.__table__  # type: ignore[attr-defined]
    conn.execute(
        update(contacts)
        .where(contacts.c.id == bindparam("b_id"))
        .values(
            attempts=contacts.c.attempts + 1,
            last_disposition=bindparam("b_disposition"),
            call_back_at=bindparam("b_call_back_at", type_=contacts.c.call_back_at.type),
            state=case(
                (
                    and_(
                        contacts.c.state == "open",
                        contacts.c.attempts + 1 >= bindparam("b_limit"),
                    ),
                    "done",
                ),
                else_=contacts.c.state,
            ),
        ),
        contact_rows,
    )
    if retry_rows:
        conn.execute(
            update(households)
            .where(households.c.id == bindparam("b_id"))
            .values(
                attempts=households.c.attempts + 1,
                next_call_at=bindparam("b_next", type_=households.c.next_call_at.type),
                call_back_volunteer_id=None,
            ),
            retry_rows,
        )
    if call_back_rows:
        conn.execute(
            update(households)
            .where(households.c.id == bindparam("b_id"))
            .values(
                next_call_at=bindparam("b_next", type_=households.c.next_call_at.type),
                call_back_volunteer_id=volunteer_id,
            ),
            call_back_rows,
        )
    if bad_households:
        ids = sorted(bad_households)
        conn.execute(
            update(households)
            .where(households.c.id.in_(ids), households.c.state == "open")
            .values(state="bad")
        )
        conn.execute(
            update(contacts)
            .where(contacts.c.household_id.in_(ids), contacts.c.state == "open")
            .values(state="bad")
        )
    if dnc_phones:
        add_to_do_not_call(session, dnc_phones, now)
    # A household is done when none of its people is left to call.
    still_open = exists().where(
        contacts.c.household_id == households.c.id, contacts.c.state == "open"
    )
    conn.execute(
        update(households)
        .where(households.c.id.in_(sorted(touched)), households.c.state == "open", ~still_open)
        .values(state="done")
    )


def add_to_do_not_call(session: Session, phones: dict[str, str], now: datetime) -> None:
    """Put phones (phone -> result id that asked) on the global list, effective everywhere."""
    conn = session.connection()
    conn.execute(
        _dialect_insert(session)(DoNotCall)
        .values(
            [
                {"phone": phone, "added_at": now, "source_result_id": source}
                for phone, source in sorted(phones.items())
            ]
        )
        .on_conflict_do_nothing(index_elements=["phone"])
    )
    listed = sorted(phones)
    conn.execute(update(Household).where(col(Household.phone).in_(listed)).values(state="dnc"))
    conn.execute(update(Contact).where(col(Contact.phone).in_(listed)).values(state="dnc"))


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
    ("flagged", "boolean"),
    ("content_hash", "varchar"),
)
_PG_INSERT = (
    f"INSERT INTO call_results ({', '.join(name for name, _ in _PG_COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'%({name})s::{kind}[]' for name, kind in _PG_COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose id is not stored yet; return the ids this call inserted.

    PostgreSQL gets one short statement with one array per column (``unnest``): the same
    text for every batch, so nothing is re-parsed per row. SQLite gets an executemany.
    """
    if session.get_bind().dialect.name == "postgresql":
        columns: dict[str, list[Any]] = {name: [] for name, _ in _PG_COLUMNS}
        for row in rows:
            for name, values in columns.items():
                value = row[name]
                values.append(json.dumps(value) if name == "answers" else value)
        result = session.connection().exec_driver_sql(_PG_INSERT, columns)
        return {row[0] for row in result}
    table = CallResult.__table__  # type: ignore[attr-defined]
    statement = (
        sqlite.insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    )
    return set(session.connection().execute(statement, rows).scalars())


def _ingest_once(
    session: Session, volunteer_id: int, results: list[ResultIn], now: datetime
) -> list[ResultOutcome]:
    digests = [content_hash(r) for r in results]
    # Earlier copies: stored before, or earlier in this very batch.
    ids = sorted({str(r.id) for r in results})
    stored: dict[str, CallResult] = {
        row.id: row for row in session.exec(select(CallResult).where(col(CallResult.id).in_(ids)))
    }
    ctx = _load_context(session, results)

    outcomes: list[ResultOutcome | None] = [None] * len(results)
    first_in_batch: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for index, (result, digest) in enumerate(zip(results, digests, strict=True)):
        key = str(result.id)
        if key in stored or key in first_in_batch:
            continue  # judged after the insert, against the copy that won
        first_in_batch[key] = index
        reason = _quarantine_reason(result, volunteer_id, ctx)
        timing = None if reason else _timing(result, ctx)
        rows.append(_row(result, digest, volunteer_id, ctx, reason, timing, now))

    inserted: set[str] = set()
    if rows:
        rows.sort(key=lambda row: row["id"])  # one lock order for every transaction
        inserted = _insert_new(session, rows)
        missing = [row["id"] for row in rows if row["id"] not in inserted]
        if missing:  # a concurrent request stored them first
            winners = session.exec(select(CallResult).where(col(CallResult.id).in_(missing)))
            for winner in winners:
                stored[winner.id] = winner
    by_id = {row["id"]: row for row in rows}

    accepted = []
    for index, (result, digest) in enumerate(zip(results, digests, strict=True)):
        key = str(result.id)
        if key in inserted and first_in_batch.get(key) == index:
            mine = by_id[key]
            if mine["quarantined"]:
                outcomes[index] = ResultOutcome(
                    id=result.id,
                    status=ResultStatus.quarantined,
                    reason=mine["quarantine_reason"],
                )
            else:
                accepted.append(result)
                outcomes[index] = ResultOutcome(
                    id=result.id, status=ResultStatus.created, timing=Timing(mine["timing"])
                )
            continue
        original_hash, stored_timing, reason = _original(key, stored, by_id)
        timing = Timing(stored_timing) if stored_timing else None
        if original_hash == digest:
            outcomes[index] = ResultOutcome(
                id=result.id,
                status=ResultStatus.duplicate,
                timing=timing,
                reason=reason,
            )
        else:
            outcomes[index] = ResultOutcome(
                id=result.id,
                status=ResultStatus.conflict,
                timing=timing,
                reason="a different result with this id was stored before; the original is kept",
            )
    _apply_effects(session, accepted, volunteer_id, ctx, now)
    return [o for o in outcomes if o is not None]


def _original(
    key: str, stored: dict[str, CallResult], by_id: dict[str, dict[str, Any]]
) -> tuple[str, str | None, str | None]:
    if key in stored:
        row = stored[key]
        return row.content_hash, row.timing, row.quarantine_reason
    mine = by_id[key]
    return mine["content_hash"], mine["timing"], mine["quarantine_reason"]


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
