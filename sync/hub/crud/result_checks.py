"""What a batch of results refers to, and the judgement of each result on its own.

`load_context` reads everything a batch needs in a handful of queries (not one per row);
`quarantine_reason` says why a result can never be accepted (a `sync.messages.Message`, or
None: stored as its code, parameters and English text); `timing_of` says whether
an accepted result was on time, late, or late after its household was granted to someone else.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, exists, tuple_
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from sync.hub.answer_rules import AnswerRules
from sync.hub.crud.reservations import MAX_ID
from sync.hub.models import (
    CallResult,
    Campaign,
    Contact,
    Household,
    Reservation,
    ReservationItem,
    ScriptVersion,
)
from sync.messages import Code, Message, text
from sync.protocol import ResultIn, Timing

MAX_BIGINT = 2**63 - 1


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC).isoformat()
    except OverflowError:
        return value.isoformat()


def content_hash(result: ResultIn) -> str:
    """SHA-256 over canonical JSON of everything the laptop said about the call.

    Times are compared as instants (any offset), answers with sorted keys and multiple-choice
    answers as sets; a field left at its default is left out, so adding an optional field to
    the wire format later does not turn every repeat of an older result into a conflict.
    """
    data = result.model_dump(mode="json", exclude_defaults=True)
    for name in ("started_at", "ended_at", "call_back_at"):
        if getattr(result, name) is not None:
            data[name] = _utc_text(getattr(result, name))
    if "answers" in data:
        data["answers"] = {
            key: sorted(value) if isinstance(value, list) else value
            for key, value in data["answers"].items()
        }
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: store U+FFFD instead (the hash keeps the original)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def fits(value: int, limit: int = MAX_ID) -> bool:
    return -limit <= value <= limit


def safe_utc(value: datetime | None) -> datetime | None:
    try:
        return value.astimezone(UTC) if value is not None else None
    except OverflowError:
        return None


@dataclass
class BatchContext:
    """Everything the batch refers to, loaded in a handful of queries."""

    # Plain rows with the columns the checks and effects read (ORM objects for a batch of
    # results cost more Python than the queries): contacts (id, household_id, campaign_id,
    # phone, phones, and their household's fence), reservations (id, volunteer_id),
    # reservation items (reservation_id, household_id, expires_at, released_at), campaigns
    # (id, max_attempts, retry_after_seconds, scripted).
    contacts: dict[int, Row[*tuple[Any, ...]]] = field(default_factory=dict)
    reservations: dict[int, Row[*tuple[Any, ...]]] = field(default_factory=dict)
    items: dict[tuple[int, int], Row[*tuple[Any, ...]]] = field(default_factory=dict)
    campaigns: dict[int, Row[*tuple[Any, ...]]] = field(default_factory=dict)
    # (campaign id, version) -> its answer rules; campaigns with any script at all
    scripts: dict[tuple[int, int], AnswerRules] = field(default_factory=dict)
    scripted_campaigns: set[int] = field(default_factory=set)
    # corrected result id -> (its volunteer, its contact)
    superseded: dict[str, tuple[int, int | None]] = field(default_factory=dict)


def load_context(session: Session, results: list[ResultIn]) -> BatchContext:
    """A few queries per batch (each round trip costs more Python than its rows): contacts
    with their household's fence and reservations with the batch's items (one statement on
    PostgreSQL), campaigns with whether they have a script, and the script versions named."""
    ctx = BatchContext()
    conn = session.connection()
    contact_ids = {r.contact_id for r in results if 0 < r.contact_id <= MAX_ID}
    reservation_ids = {r.reservation_id for r in results if 0 < r.reservation_id <= MAX_ID}
    if conn.dialect.name == "postgresql":
        _load_pg(conn, ctx, contact_ids, reservation_ids)
    else:
        _load_sqlite(conn, ctx, contact_ids, reservation_ids)
    campaign_ids = {c.campaign_id for c in ctx.contacts.values()}
    if campaign_ids:
        campaigns = Campaign.__table__  # type: ignore[attr-defined]
        versions = ScriptVersion.__table__  # type: ignore[attr-defined]
        scripted = exists().where(versions.c.campaign_id == campaigns.c.id)
        for campaign in conn.execute(
            core_select(
                campaigns.c.id,
                campaigns.c.max_attempts,
                campaigns.c.retry_after_seconds,
                scripted.label("scripted"),
            ).where(campaigns.c.id.in_(campaign_ids))
        ):
            ctx.campaigns[campaign.id] = campaign
            if campaign.scripted:
                ctx.scripted_campaigns.add(campaign.id)
        wanted = {
            (ctx.contacts[r.contact_id].campaign_id, r.script_version)
            for r in results
            if r.contact_id in ctx.contacts
            and fits(r.script_version)
            and ctx.contacts[r.contact_id].campaign_id in ctx.scripted_campaigns
        }
        known = _rules_cache(session)
        ctx.scripts = {key: rules for key in wanted if (rules := known.get(key)) is not None}
        missing = wanted - set(ctx.scripts)
        if missing:
            for campaign_id, version, questions, language, translations in conn.execute(
                core_select(
                    versions.c.campaign_id,
                    versions.c.version,
                    versions.c.questions,
                    versions.c.language,
                    versions.c.translations,
                ).where(tuple_(versions.c.campaign_id, versions.c.version).in_(missing))
            ):
                rules = AnswerRules(
                    questions if isinstance(questions, list) else [],
                    [language, *(translations if isinstance(translations, dict) else {})],
                )
                ctx.scripts[(campaign_id, version)] = rules
                if len(known) >= _RULES_CACHED:
                    known.clear()
                known[(campaign_id, version)] = rules
    superseded = {str(r.supersedes) for r in results if r.supersedes is not None}
    if superseded:
        for result_id, volunteer_id, contact_id in session.exec(
            select(CallResult.id, CallResult.volunteer_id, CallResult.contact_id).where(
                col(CallResult.id).in_(superseded)
            )
        ):
            ctx.superseded[result_id] = (volunteer_id, contact_id)
    return ctx


def _id_array(ids: Iterable[int]) -> str:
    """Integer ids as one PostgreSQL array literal (`%s::integer[]`): one text parameter,
    where psycopg would dump a list element by element in Python."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


# The contacts and the reservations with the batch's items in one round trip, fixed text (so
# psycopg caches its parsing and prepares it): an expanded `IN (...)` of 100 parameters was
# compiled by SQLAlchemy and re-split by psycopg for every batch.
_PG_CONTEXT = (
    "SELECT 'c' AS kind, c.id, c.household_id, c.campaign_id, c.phone, c.phones, h.fence,"
    " NULL::integer AS volunteer_id, NULL::timestamptz AS expires_at,"
    " NULL::timestamptz AS released_at"
    " FROM contacts c JOIN households h ON h.id = c.household_id"
    " WHERE c.id = ANY(%(contacts)s::integer[])"
    " UNION ALL"
    " SELECT 'r', r.id, i.household_id, NULL, NULL, NULL, NULL, r.volunteer_id, i.expires_at,"
    " i.released_at"
    " FROM reservations r LEFT JOIN reservation_items i ON i.reservation_id = r.id"
    " AND i.household_id IN (SELECT c.household_id FROM contacts c"
    " WHERE c.id = ANY(%(contacts)s::integer[]))"
    " WHERE r.id = ANY(%(reservations)s::integer[])"
)


def _load_pg(
    conn: Connection, ctx: BatchContext, contact_ids: set[int], reservation_ids: set[int]
) -> None:
    if not contact_ids and not reservation_ids:
        return
    params = {"contacts": _id_array(contact_ids), "reservations": _id_array(reservation_ids)}
    for row in conn.exec_driver_sql(_PG_CONTEXT, params):
        if row.kind == "c":
            ctx.contacts[row.id] = row
            continue
        ctx.reservations[row.id] = row
        if row.household_id is not None:
            ctx.items[(row.id, row.household_id)] = row


def _load_sqlite(
    conn: Connection, ctx: BatchContext, contact_ids: set[int], reservation_ids: set[int]
) -> None:
    if contact_ids:
        contacts = Contact.__table__  # type: ignore[attr-defined]
        households = Household.__table__  # type: ignore[attr-defined]
        for contact in conn.execute(
            core_select(
                contacts.c.id,
                contacts.c.household_id,
                contacts.c.campaign_id,
                contacts.c.phone,
                contacts.c.phones,
                households.c.fence,
            )
            .join(households, households.c.id == contacts.c.household_id)
            .where(contacts.c.id.in_(contact_ids))
        ):
            ctx.contacts[contact.id] = contact
    household_ids = {c.household_id for c in ctx.contacts.values()}
    if reservation_ids:
        reservations = Reservation.__table__  # type: ignore[attr-defined]
        items = ReservationItem.__table__  # type: ignore[attr-defined]
        for row in conn.execute(
            core_select(
                reservations.c.id,
                reservations.c.volunteer_id,
                items.c.household_id,
                items.c.expires_at,
                items.c.released_at,
            )
            .select_from(reservations)
            .outerjoin(
                items,
                and_(
                    items.c.reservation_id == reservations.c.id,
                    items.c.household_id.in_(household_ids or {0}),
                ),
            )
            .where(reservations.c.id.in_(reservation_ids))
        ):
            ctx.reservations[row.id] = row
            if row.household_id is not None:
                ctx.items[(row.id, row.household_id)] = row


# Published script versions never change: their parsed rules are kept per database (engine)
# for the life of the process, so a batch reads no script at all once its versions are known.
_RULES: weakref.WeakKeyDictionary[Engine, dict[tuple[int, int], AnswerRules]] = (
    weakref.WeakKeyDictionary()
)
_RULES_CACHED = 1000


def _rules_cache(session: Session) -> dict[tuple[int, int], AnswerRules]:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _RULES.setdefault(engine, {})


# A laptop's clock may be off; beyond these a call's times cannot be right.
CLOCK_SLACK = timedelta(days=1)
LONGEST_CALL = timedelta(hours=12)

# Whether an id exists, or is someone else's, is not told: the volunteer who sent a result
# with one of these reasons is told NOT_YOURS; the stored reason (for organizers) has the detail.
NOT_YOURS_CODES = frozenset(
    {
        Code.RESULT_CONTACT_UNKNOWN,
        Code.RESULT_RESERVATION_UNKNOWN,
        Code.RESULT_RESERVATION_NOT_YOURS,
        Code.RESULT_NEVER_HELD,
        Code.RESULT_FENCE_MISMATCH,
    }
)
_NOT_YOURS_TEXT = str(Message(Code.NOT_YOURS))


def stored_reason(code: str | None, params: Any, reason: str | None) -> Message | None:
    """A stored quarantine reason as a message; rows stored before reasons had a code come
    back as their text."""
    if reason is None:
        return None
    if code is not None and code in Code._value2member_map_ and isinstance(params, dict):
        return Message(Code(code), params)
    return text(reason)


def public_reason(reason: Message | None) -> Message | None:
    """The reason as the volunteer who sent the result is told it."""
    if reason is None:
        return None
    if reason.code in NOT_YOURS_CODES or str(reason).startswith(_NOT_YOURS_TEXT):
        return Message(Code.NOT_YOURS)
    return reason


def implausible_times(result: ResultIn, now: datetime) -> Message | None:
    """Why a call's start and end cannot be true (quarantined, not applied), or None."""
    started, ended = safe_utc(result.started_at), safe_utc(result.ended_at)
    if started is None or ended is None:
        return Message(Code.CALL_TIMES_OUT_OF_RANGE)
    if ended > now + CLOCK_SLACK:
        return Message(Code.CALL_ENDS_IN_FUTURE)
    if ended < started:
        return Message(Code.CALL_ENDS_BEFORE_START)
    if ended - started > LONGEST_CALL:
        return Message(Code.CALL_TOO_LONG, {"hours": LONGEST_CALL // timedelta(hours=1)})
    return None


def quarantine_reason(
    result: ResultIn, volunteer_id: int, ctx: BatchContext, now: datetime
) -> Message | None:
    """Why `result` can never be accepted, or None."""
    contact = ctx.contacts.get(result.contact_id)
    if contact is None:
        return Message(Code.RESULT_CONTACT_UNKNOWN, {"contact": result.contact_id})
    reservation = ctx.reservations.get(result.reservation_id)
    held_in = {"reservation": result.reservation_id}
    if reservation is None:
        return Message(Code.RESULT_RESERVATION_UNKNOWN, held_in)
    if reservation.volunteer_id != volunteer_id:
        return Message(Code.RESULT_RESERVATION_NOT_YOURS, held_in)
    if (reservation.id, contact.household_id) not in ctx.items:
        return Message(Code.RESULT_NEVER_HELD, {"contact": result.contact_id, **held_in})
    if result.fence != reservation.id:
        return Message(Code.RESULT_FENCE_MISMATCH, {"fence": result.fence, **held_in})
    times = implausible_times(result, now)
    if times is not None:
        return times
    if contact.campaign_id in ctx.scripted_campaigns:
        version = result.script_version
        rules = ctx.scripts.get((contact.campaign_id, version))
        if rules is None:
            return Message(Code.SCRIPT_VERSION_UNKNOWN, {"version": version})
        if result.answers:
            problem = rules.problem(result.answers, version)
            if problem:
                return problem
        if result.language is not None and result.language not in rules.languages:
            return Message(
                Code.LANGUAGE_NOT_IN_SCRIPT,
                {
                    "language": result.language,
                    "version": version,
                    "languages": ", ".join(rules.languages),
                },
            )
    elif result.answers:
        return Message(Code.ANSWERS_WITHOUT_SCRIPT)
    if result.supersedes is not None:
        if result.supersedes == result.id:
            return Message(Code.CORRECTS_ITSELF)
        # An id not stored yet is allowed (it may come later in this batch); counts only ever
        # cancel a result of the same volunteer.
        owner, corrected_contact = ctx.superseded.get(str(result.supersedes), (None, None))
        corrected = {"result": str(result.supersedes)}
        if owner is not None and owner != volunteer_id:
            return Message(Code.CORRECTS_ANOTHER_VOLUNTEERS, corrected)
        if owner is not None and corrected_contact != result.contact_id:
            return Message(Code.CORRECTS_ANOTHER_CONTACT, corrected)
    return None


def timing_of(result: ResultIn, ctx: BatchContext) -> Timing:
    contact = ctx.contacts[result.contact_id]
    item = ctx.items[(result.reservation_id, contact.household_id)]
    held_until = item.expires_at
    if item.released_at is not None and item.released_at < held_until:
        held_until = item.released_at
    if result.ended_at <= held_until:
        return Timing.on_time
    if contact.fence > result.fence:
        return Timing.late_conflict
    return Timing.late
