"""Reservations: a volunteer's exclusive, expiring hold on households of one call list.

The household row is the unit that is locked and handed out. A reservation's id comes from a
sequence and is also its fencing token: it is stored on every household it grants, so a later
grant of the same household always carries a larger fence than an earlier one.

Exclusivity: on PostgreSQL the pool query locks candidate households with
``FOR UPDATE SKIP LOCKED``, so concurrent requests (from any number of hub processes) never pick
the same row; a row another transaction just took is re-checked and skipped. On SQLite every
transaction starts with ``BEGIN IMMEDIATE`` (see `sync.hub.db`), so grants are serialized.

Expired holds return to the pool lazily: the pool treats ``held_until <= now`` as free.
Every function takes ``now`` so tests can move the clock instead of sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    literal_column,
    or_,
    union_all,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlmodel import Session, col, select

from sync.hub.crud.calling_hours import list_time_zones, zones_in_hours
from sync.hub.crud.grant_writes import Grant, write_grant, write_grant_returning_contacts
from sync.hub.crud.reservation_views import (
    contact_public,
    contacts_of,
    reservation_public,
    unhandled_households,
)
from sync.hub.models import (
    CallList,
    Campaign,
    DoNotCall,
    Household,
    Reservation,
    ReservationItem,
    User,
)
from sync.hub.types import UTCDateTime, utcnow
from sync.protocol import ReservationPublic, ReservationStatus

# Ids are 32-bit integers in PostgreSQL; anything outside cannot exist (and must not reach SQL).
MAX_ID = 2**31 - 1
# PostgreSQL: deadlock detected, serialization failure. The transaction may simply be re-run.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})
# A call-back promised by another volunteer is theirs for this long past its time.
CALL_BACK_GRACE = timedelta(hours=1)


class ReservationError(Exception):
    """A request the hub must refuse; the message is for the volunteer."""


class UnknownList(ReservationError):
    pass


class UnknownReservation(ReservationError):
    pass


class NothingLeft(ReservationError):
    """Nobody to hand out; `reason` says why: the list is `finished`, everyone left is
    `outside_hours`, or the names left are `busy` (held by others, waiting for a retry)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class CoolingDown(ReservationError):
    def __init__(self, message: str, retry_after: int, next_request_at: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.next_request_at = next_request_at


# ---------------------------------------------------------------- granting


@dataclass(frozen=True)
class _Policy:
    campaign: Campaign
    call_list: CallList
    zones: list[str] | None  # the list's time zones when read with it (PostgreSQL)


# The list's distinct time zones, one index probe per zone (see `list_time_zones`).
_PG_LIST_ZONES = (
    "ARRAY(WITH RECURSIVE zones(tz) AS ("
    " SELECT MIN(timezone) FROM households WHERE call_list_id = call_lists.id"
    " UNION ALL"
    " SELECT (SELECT MIN(timezone) FROM households"
    "         WHERE call_list_id = call_lists.id AND timezone > zones.tz)"
    " FROM zones WHERE zones.tz IS NOT NULL"
    ") SELECT tz FROM zones WHERE tz IS NOT NULL)"
)


def _load_list(session: Session, call_list_id: int, volunteer_id: int) -> _Policy:
    """The list and its campaign. On PostgreSQL the same round trip locks the volunteer's row
    (FOR NO KEY UPDATE: one volunteer's concurrent requests queue here, so the cooldown read
    by the next statement holds; it does not block the key-share locks that inserting their
    results takes) and reads the list's time zones."""
    if not 0 < call_list_id <= MAX_ID:
        raise UnknownList(f"There is no call list with id {call_list_id}.")
    postgres = session.get_bind().dialect.name == "postgresql"
    query = (
        select(CallList, Campaign)
        .join(Campaign, col(Campaign.id) == col(CallList.campaign_id))
        .where(CallList.id == call_list_id)
    )
    if postgres:
        locked = (
            select(User.id)
            .where(User.id == volunteer_id)
            .with_for_update(key_share=True)
            .scalar_subquery()
        )
        query = query.add_columns(locked, literal_column(_PG_LIST_ZONES))  # type: ignore[assignment]
    found = session.execute(query).first()
    if found is None:
        raise UnknownList(f"There is no call list with id {call_list_id}.")
    return _Policy(found[1], found[0], list(found[3]) if postgres else None)


def _check_cooldown(session: Session, volunteer_id: int, campaign: Campaign, now: datetime) -> None:
    """Refuse while an unfinished, live reservation in this campaign is cooling down."""
    blocking = session.exec(
        select(Reservation)
        .where(
            Reservation.volunteer_id == volunteer_id,
            Reservation.campaign_id == campaign.id,
            Reservation.status == "active",
            col(Reservation.expires_at) > now,
            col(Reservation.next_request_at) > now,
        )
        .order_by(col(Reservation.next_request_at).desc())
    )
    for reservation in blocking:
        if unhandled_households(session, reservation) == 0:
            continue  # finished: the next list may come at once
        # The wait ends at the cooldown, or earlier when the list expires first.
        until = min(reservation.next_request_at, reservation.expires_at)
        wait = max(1, math.ceil((until - now).total_seconds()))
        raise CoolingDown(
            f"You can ask for more names in {_human(wait)}, or as soon as you finish "
            "your current list.",
            retry_after=wait,
            next_request_at=until,
        )


def _human(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _pick_households(
    session: Session,
    volunteer_id: int,
    call_list_id: int,
    zones: list[str],
    limit: int,
    now: datetime,
) -> list[int]:
    """Lock and return up to `limit` grantable household ids: call-backs for me first.

    The pool is read in slices, each an index range that holds (almost) only grantable rows,
    so a list whose first half is held or done is not scanned row by row (at a million
    households one filtered scan took ~0.3 s): call-backs due for me, retries that are due,
    expired holds (small ranges of ix_households_retry and ix_households_pool: people already
    tried go first, or a big list would starve its retries), then households never held and
    never tried (the partial index ix_households_fresh). Together the slices are exactly the
    grantable households.

    One statement: a UNION ALL of the slices, each locking (FOR UPDATE SKIP LOCKED) only the
    rows the outer LIMIT pulls from it; the database runs the slices in order and stops as soon
    as it has `limit` rows, so a later slice is not even read when an earlier one suffices.
    The slices are disjoint (my due call-backs are only in the first), so no row comes twice.
    """
    statement = _pick_statement(session.get_bind().dialect.name == "postgresql")
    params = {
        "list_id": call_list_id,
        "zones": zones,
        "volunteer_id": volunteer_id,
        "now": now,
        "grace_ended": now - CALL_BACK_GRACE,
        "limit": limit,
    }
    return [int(i) for i in session.connection().execute(statement, params).scalars()]


@cache
def _pick_statement(locking: bool) -> Select[Any]:
    """Built once (per dialect), executed with parameters: building it per request cost more
    Python than running it."""
    # Literals, not parameters: PostgreSQL proves a partial index's predicate only from them.
    is_open = col(Household.state) == literal_column("'open'")
    grantable = select(Household.id).where(
        Household.call_list_id == bindparam("list_id"),
        is_open,
        col(Household.timezone).in_(bindparam("zones", expanding=True)),
        _not_on_do_not_call(),
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
        grantable.where(not_held, due_not_mine),
        grantable.where(col(Household.held_until) <= now, or_(next_call.is_(None), due_not_mine)),
        grantable.where(not_held, next_call.is_(None)),
    )
    limit = bindparam("limit", type_=Integer())
    parts = []
    for query in slices:
        query = query.limit(limit)
        if locking:
            query = query.with_for_update(skip_locked=True, of=Household)
        parts.append(select(query.subquery().c.id))
    return select(union_all(*parts).subquery().c.id).limit(limit)


def _why_nothing_left(
    session: Session, campaign: Campaign, call_list: CallList, zones: list[str]
) -> NothingLeft:
    """Tell a finished list from one whose people cannot be called right now.

    Reads only open households (the pool index), so it costs what is left, not the list.
    """
    left = select(Household.id).where(
        Household.call_list_id == call_list.id,
        col(Household.state) == literal_column("'open'"),
        _not_on_do_not_call(),
    )
    name = call_list.name
    if session.exec(left.limit(1)).first() is None:
        return NothingLeft(
            f"Everyone on {name!r} has been called: this list is finished. "
            "Thank you! Choose another list.",
            reason="finished",
        )
    in_hours = session.exec(left.where(col(Household.timezone).in_(zones)).limit(1)).first()
    if in_hours is None:
        return NothingLeft(
            f"It is outside calling hours ({campaign.calling_hours_start}–"
            f"{campaign.calling_hours_end}, the contacts' own time) for everyone left on "
            f"{name!r}: nobody can be called right now. Try again later or choose another list.",
            reason="outside_hours",
        )
    return NothingLeft(
        f"Nobody on {name!r} can be called right now: the names left are reserved by other "
        "volunteers or waiting to be tried again. Try again later or choose another list.",
        reason="busy",
    )


def _not_on_do_not_call() -> ColumnElement[bool]:
    # OFFSET 0 keeps this a per-row index probe: as an anti-join PostgreSQL would walk
    # the whole list in phone order to merge it with the do-not-call list.
    return ~(
        select(DoNotCall.phone)
        .where(col(DoNotCall.phone) == col(Household.phone))
        .limit(1)
        .offset(0)
        .exists()
    )


def reserve(
    session: Session, volunteer: User, call_list_id: int, *, now: datetime | None = None
) -> ReservationPublic:
    """Grant `volunteer` up to the campaign's list size of households from a list.

    Raises UnknownList, CoolingDown or NothingLeft. Commits on success. Without `now` the
    real clock is read, and read again for the grant's stamp after the rows are locked.
    """
    real_time = now is None
    now = now or utcnow()
    assert volunteer.id is not None
    policy = _load_list(session, call_list_id, volunteer.id)
    campaign, call_list = policy.campaign, policy.call_list
    assert campaign.id is not None and call_list.id is not None
    _check_cooldown(session, volunteer.id, campaign, now)

    all_zones = policy.zones if policy.zones is not None else list_time_zones(session, call_list.id)
    zones = zones_in_hours(all_zones, campaign, now)
    household_ids = (
        _pick_households(session, volunteer.id, call_list.id, zones, campaign.list_size, now)
        if zones
        else []
    )
    if not household_ids:
        error = _why_nothing_left(session, campaign, call_list, zones)
        session.rollback()
        raise error

    # Stamp the grant once its rows are locked: a release that freed them committed before.
    granted_at = max(now, utcnow()) if real_time else now
    expires_at = granted_at + timedelta(seconds=campaign.hold_seconds)
    next_request_at = granted_at + timedelta(seconds=campaign.cooldown_seconds)
    grant = Grant(volunteer.id, campaign.id, call_list.id, granted_at, expires_at, next_request_at)
    if session.get_bind().dialect.name == "postgresql":
        reservation_id, contacts = write_grant_returning_contacts(session, grant, household_ids)
    else:
        reservation_id = write_grant(session, grant, household_ids)
        contacts = contacts_of(session, household_ids, open_only=True)
    public = ReservationPublic(
        id=reservation_id,
        campaign_id=campaign.id,
        call_list_id=call_list.id,
        fence=reservation_id,
        status=ReservationStatus.active,
        created_at=granted_at,
        expires_at=expires_at,
        next_request_at=min(next_request_at, expires_at),
        contacts=[contact_public(c) for c in contacts],
    )
    session.commit()
    return public


def release(
    session: Session, volunteer: User, reservation_id: int, *, now: datetime | None = None
) -> ReservationPublic:
    """Give a reservation's households back to the pool at once. Idempotent; owner only.

    Households this reservation still holds become free now; households re-granted since
    (after an expiry) are not touched. Commits; retried if it loses a deadlock (PostgreSQL)
    against a concurrent upload of results for the same households.
    """
    for attempt in range(3):
        try:
            return _release(session, volunteer, reservation_id, now or utcnow())
        except DBAPIError as error:
            session.rollback()
            if attempt == 2 or getattr(error.orig, "sqlstate", None) not in RETRY_SQLSTATES:
                raise
    raise AssertionError("unreachable")


def _release(
    session: Session, volunteer: User, reservation_id: int, now: datetime
) -> ReservationPublic:
    reservation = session.get(Reservation, reservation_id) if 0 < reservation_id <= MAX_ID else None
    if reservation is None or reservation.volunteer_id != volunteer.id:
        # Someone else's reservation is reported as unknown: ids must not leak.
        raise UnknownReservation(f"You have no reservation with id {reservation_id}.")
    if reservation.status != ReservationStatus.released:
        session.connection().execute(
            update(Household)
            .where(
                col(Household.reservation_id) == reservation.id,
                col(Household.held_until) > now,
            )
            .values(held_until=None)
        )
        session.connection().execute(
            update(ReservationItem)
            .where(
                col(ReservationItem.reservation_id) == reservation.id,
                col(ReservationItem.released_at).is_(None),
            )
            .values(released_at=now)
        )
        reservation.status = ReservationStatus.released
        reservation.ended_at = now
        session.add(reservation)
        session.flush()
    public = reservation_public(session, reservation, now=now, status=ReservationStatus.released)
    session.commit()
    return public
