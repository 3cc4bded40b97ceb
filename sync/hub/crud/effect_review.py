"""Effects held for an organizer's review: a volunteer who sends more household-wide or
global effects (wrong number, disconnected, do-not-call) in an hour than anyone calls
could be wiping a list or filling the do-not-call list with fake results. Past
`REVIEW_AFTER_PER_HOUR` their results are stored as usual, but what they would do to the
household and the do-not-call list waits here until an organizer approves or rejects it.

For the console: `pending` lists the queue (oldest first), `decide` approves or rejects.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy import insert as sa_insert
from sqlmodel import Session, col, select

from sync.hub.models import WIDE_DISPOSITIONS, WIDE_EFFECTS_WHERE, CallResult, HeldEffect
from sync.hub.types import utcnow

log = logging.getLogger("phonebank.hub.review")

# More than this many household-wide or global effects from one volunteer within an hour
# are held. A volunteer on the phone reaches ~30 households an hour, and most of those
# answer or not; a run of 30 wrong numbers is a list to look at.
REVIEW_AFTER_PER_HOUR = 30
_WIDE = WIDE_DISPOSITIONS


class UnknownHeldEffect(LookupError):
    pass


@dataclass(frozen=True)
class Held:
    result_id: str
    campaign_id: int
    household_id: int
    phone: str
    kind: str  # bad_number | do_not_call


# The count on PostgreSQL with the predicate of the partial index it reads
# (`ix_call_results_wide_effects`) as literals: bind parameters there would keep a prepared
# statement's generic plan from using the index. The batch's own rows are counted through
# the id index and taken off: `id <> ALL(batch)` compared every row of the hour with every id.
_PG_WIDE = f"volunteer_id = %(volunteer)s AND received_at > %(since)s AND {WIDE_EFFECTS_WHERE}"
_PG_ALLOWANCE = (
    f"SELECT (SELECT count(*) FROM call_results WHERE {_PG_WIDE})"
    f" - (SELECT count(*) FROM call_results WHERE id = ANY(%(batch)s::varchar[]) AND {_PG_WIDE})"
)


def allowance(session: Session, volunteer_id: int, batch: list[str], now: datetime) -> int:
    """How many more wide effects the volunteer's results may have applied at once: the
    hourly threshold less those they sent in the last hour before this batch (whose own
    results are already inserted, so left out by id)."""
    since = now - timedelta(hours=1)
    if session.get_bind().dialect.name == "postgresql":
        params = {"volunteer": volunteer_id, "since": since, "batch": batch}
        count = session.connection().exec_driver_sql(_PG_ALLOWANCE, params).scalar_one()
        return max(0, REVIEW_AFTER_PER_HOUR - int(count))
    count = session.exec(
        select(func.count())
        .select_from(CallResult)
        .where(
            CallResult.volunteer_id == volunteer_id,
            col(CallResult.received_at) > since,
            col(CallResult.disposition).in_(_WIDE),
            col(CallResult.quarantined).is_(False),
            col(CallResult.id).not_in(batch),
        )
    ).one()
    return max(0, REVIEW_AFTER_PER_HOUR - int(count))


def hold(session: Session, volunteer_id: int, effects: list[Held], now: datetime) -> None:
    # One Core insert for the batch (an ORM flush of these objects cost more than the rest
    # of the effects' Python; nothing reads them back in this transaction).
    table = HeldEffect.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "result_id": effect.result_id,
            "volunteer_id": volunteer_id,
            "campaign_id": effect.campaign_id,
            "household_id": effect.household_id,
            "phone": effect.phone,
            "kind": effect.kind,
            "created_at": now,
            "status": "pending",
        }
        for effect in effects
    ]
    session.connection().execute(sa_insert(table), rows)
    log.warning(
        "volunteer %s: %d household-wide or do-not-call effects held for review "
        "(more than %d in an hour)",
        volunteer_id,
        len(effects),
        REVIEW_AFTER_PER_HOUR,
    )


def pending(session: Session, limit: int = 500) -> list[HeldEffect]:
    query = (
        select(HeldEffect)
        .where(HeldEffect.status == "pending")
        .order_by(col(HeldEffect.id))
        .limit(limit)
    )
    return list(session.exec(query).all())


def decide(session: Session, held_id: int, organizer_id: int, approve: bool) -> HeldEffect:
    """Approve (the effect is applied now) or reject (it never is). Flushes; the caller
    commits. A decided effect stays as it was decided."""
    from sync.hub.crud.result_effects import add_to_do_not_call, mark_bad

    effect = session.get(HeldEffect, held_id)
    if effect is None:
        raise UnknownHeldEffect(f"there is no held effect with id {held_id}")
    if effect.status != "pending":
        return effect
    now = utcnow()
    if approve:
        if effect.kind == "bad_number":
            mark_bad(session.connection(), [effect.household_id])
        else:
            add_to_do_not_call(session, {effect.phone: effect.result_id}, now)
    effect.status = "approved" if approve else "rejected"
    effect.decided_by, effect.decided_at = organizer_id, now
    session.add(effect)
    session.flush()
    return effect
