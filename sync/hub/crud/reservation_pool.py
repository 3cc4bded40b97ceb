"""The pool: which households a volunteer may be granted now, call-backs for them first.

The pool is read in slices, each an index range that holds (almost) only grantable rows, so a
list whose first half is held or done is not scanned row by row (at a million households one
filtered scan took ~0.3 s): call-backs due for me, retries that are due, expired holds (small
ranges of ix_households_retry and ix_households_pool: people already tried go first, or a big
list would starve its retries), then households never held and never tried (the partial
index ix_households_fresh). Together the slices are exactly the grantable households.

One statement: a UNION ALL of the slices, each locking (FOR UPDATE SKIP LOCKED) only the rows
the outer LIMIT pulls from it; the database runs the slices in order and stops as soon as it
has `limit` rows, so a later slice is not even read when an earlier one suffices. The slices
are disjoint (my due call-backs are only in the first), so no row comes twice.

A household a language barrier sent back for a language (`Household.language`) is in the
pool only for volunteers who speak it (`languages`, the volunteer's list). The barrier sets
its `next_call_at` too (which nothing clears), so such households are only ever in the
retry and expired-hold slices: only those test the language, and the fresh slice, where
most grants come from, costs what it did (bench/notes-hub.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    cast,
    literal_column,
    or_,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlmodel import Session, col, select

from sync.hub.models import DoNotCall, Household
from sync.hub.types import UTCDateTime

# A call-back promised by another volunteer is theirs for this long past its time.
CALL_BACK_GRACE = timedelta(hours=1)


def pick_params(
    volunteer_id: int,
    call_list_id: int,
    zones: list[str],
    limit: int,
    now: datetime,
    languages: list[str] | None = None,
) -> dict[str, Any]:
    """The parameters of the pick statement (both dialects)."""
    return {
        "list_id": call_list_id,
        "zones": zones,
        "languages": list(languages or ()),
        "volunteer_id": volunteer_id,
        "now": now,
        "grace_ended": now - CALL_BACK_GRACE,
        "limit": limit,
    }


def pick_households(
    session: Session,
    volunteer_id: int,
    call_list_id: int,
    zones: list[str],
    limit: int,
    now: datetime,
    languages: list[str] | None = None,
) -> list[int]:
    """SQLite: up to `limit` grantable household ids (writers are serialized, no row locks).
    PostgreSQL folds the same statement, locking, into its grant (`grant_pg`)."""
    params = pick_params(volunteer_id, call_list_id, zones, limit, now, languages)
    rows = session.connection().execute(_pick_statement(locking=False), params).scalars()
    return [int(i) for i in rows]


@lru_cache(maxsize=32)
def pg_pick_sql(limit: int) -> str:
    """The locking pick as PostgreSQL text with `:name` parameters, to be embedded in the
    grant statement. Compiled without bind casts (`::INTEGER` would hide `:name` from
    `text()`); the zones are one array parameter instead of an expanding IN list.

    The limit (the campaign's list size) is a literal: with `LIMIT $n` PostgreSQL guesses
    a tenth of the rows, finds no generic plan cheap enough and plans the statement anew on
    every execution (2.4 ms, more than running it); with a literal it keeps one plan.
    """
    dialect = PGDialect(paramstyle="named")  # the driver-neutral dialect: no casts
    compiled = _pick_statement(locking=True, limit=int(limit)).compile(dialect=dialect)
    return str(compiled)


@lru_cache(maxsize=32)
def _pick_statement(locking: bool, limit: int | None = None) -> Select[Any]:
    """Built once (per dialect), executed with parameters: building it per request cost more
    Python than running it."""
    # Literals, not parameters: PostgreSQL proves a partial index's predicate only from them.
    is_open = col(Household.state) == literal_column("'open'")
    zone = col(Household.timezone)
    in_zones = (
        zone == any_(cast(bindparam("zones"), postgresql.ARRAY(String())))
        if locking
        else zone.in_(bindparam("zones", expanding=True))
    )
    language = col(Household.language)
    spoken = or_(
        language.is_(None),
        language == any_(cast(bindparam("languages"), postgresql.ARRAY(String())))
        if locking
        else language.in_(bindparam("languages", expanding=True)),
    )
    grantable = select(Household.id).where(
        Household.call_list_id == bindparam("list_id"),
        is_open,
        in_zones,
        not_on_do_not_call(),
    )
    now = bindparam("now", type_=UTCDateTime())
    volunteer_id: BindParameter[int] = bindparam("volunteer_id", type_=Integer())
    next_call = col(Household.next_call_at)
    call_back_by = col(Household.call_back_volunteer_id)
    # Due, and not a call-back of mine (those are the first slice's).
    due_not_mine = and_(
        next_call <= now,
        or_(
            call_back_by.is_(None),
            and_(
                call_back_by != volunteer_id,
                next_call <= bindparam("grace_ended", type_=UTCDateTime()),
            ),
        ),
    )
    not_held = col(Household.held_until).is_(None)
    free = or_(not_held, col(Household.held_until) <= now)
    slices = (
        grantable.where(free, call_back_by == volunteer_id, next_call <= now).order_by(next_call),
        grantable.where(not_held, due_not_mine, spoken),
        grantable.where(
            col(Household.held_until) <= now, or_(next_call.is_(None), due_not_mine), spoken
        ),
        grantable.where(not_held, next_call.is_(None)),
    )
    most = bindparam("limit", type_=Integer()) if limit is None else literal_column(str(limit))
    parts = []
    for query in slices:
        query = query.limit(most)
        if locking:
            query = query.with_for_update(skip_locked=True, of=Household)
        parts.append(select(query.subquery().c.id))
    return select(union_all(*parts).subquery().c.id).limit(most)


def not_on_do_not_call() -> ColumnElement[bool]:
    # OFFSET 0 keeps this a per-row index probe: as an anti-join PostgreSQL would walk
    # the whole list in phone order to merge it with the do-not-call list. Literals, so the
    # statement embedded as text needs no values for them.
    return ~(
        select(DoNotCall.phone)
        .where(col(DoNotCall.phone) == col(Household.phone))
        .limit(literal_column("1"))
        .offset(literal_column("0"))
        .exists()
    )
