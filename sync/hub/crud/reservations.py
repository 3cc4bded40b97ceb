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

import logging
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, func, literal_column, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from sync.hub.crud import cap_alerts, grant_pg, membership
from sync.hub.crud import users as users_crud
from sync.hub.crud.calling_hours import list_time_zones, zones_in_hours
from sync.hub.crud.grant_pg import ListPolicy
from sync.hub.crud.grant_writes import Grant, write_grant
from sync.hub.crud.reservation_pool import not_on_do_not_call, pick_households
from sync.hub.crud.reservation_views import (
    contact_fields,
    contacts_of,
    listed_among,
    reservation_public,
    unhandled_households,
)
from sync.hub.models import CallList, Campaign, Household, Reservation, ReservationItem, User
from sync.hub.types import utcnow
from sync.messages import Code, Message
from sync.protocol import MAX_ID as MAX_DB_ID
from sync.protocol import ReservationPublic, ReservationStatus

log = logging.getLogger("phonebank.hub.reservations")

# Ids are 32-bit integers in PostgreSQL; anything outside cannot exist (and must not reach SQL).
MAX_ID = MAX_DB_ID  # the one bound, sync.protocol.MAX_ID
# PostgreSQL: deadlock detected, serialization failure. The transaction may simply be re-run.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})


class ReservationError(Exception):
    """A request the hub must refuse; `message` (a code and parameters) is for the volunteer,
    `str()` its English wording."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class UnknownList(ReservationError):
    pass


class UnknownReservation(ReservationError):
    pass


class NothingLeft(ReservationError):
    """Nobody to hand out; `reason` says why: the list is `finished`, everyone left is
    `outside_hours`, or the names left are `busy` (held by others, waiting for a retry)."""

    def __init__(self, message: Message, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class CoolingDown(ReservationError):
    def __init__(self, message: Message, retry_after: int, next_request_at: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.next_request_at = next_request_at


# ---------------------------------------------------------------- granting


class NotSignedIn(ReservationError):
    """The bearer token is unknown, expired or revoked."""


def reserve_for_token(
    session: Session, token: str, call_list_id: int, *, now: datetime | None = None
) -> ReservationPublic:
    """Grant the token's owner up to the campaign's list size of households from a list.

    Raises NotSignedIn, UnknownList, CoolingDown or NothingLeft. Commits on success. Without
    `now` the real clock is read. On PostgreSQL the token lookup and the grant take two
    statements (`grant_pg`); SQLite runs the steps one by one (`reserve`).
    """
    if session.get_bind().dialect.name != "postgresql":
        user = users_crud.user_for_token(session, token)
        if user is None:
            raise NotSignedIn(Message(Code.NOT_SIGNED_IN))
        return reserve(session, user, call_list_id, now=now)
    now = now or utcnow()
    digest = users_crud.plausible_token_digest(token)
    possible = call_list_id if 0 < call_list_id <= MAX_ID else None
    caller = grant_pg.load_for_token(session, digest, possible, utcnow()) if digest else None
    # Refusals end the transaction with COMMIT: nothing was written, so it is the same as
    # a ROLLBACK, which would also drop every statement psycopg prepared on the connection.
    if caller is None or caller.policy is None:
        session.commit()
        if caller is None:
            raise NotSignedIn(Message(Code.NOT_SIGNED_IN))
        raise _unknown_list(call_list_id)
    policy = caller.policy
    closed = _closed(policy)
    if closed is not None:
        session.commit()
        raise closed
    zones = zones_in_hours(policy.zones, policy.hours_start, policy.hours_end, now)
    outcome = grant_pg.grant(session, caller.volunteer_id, policy, zones, now, caller.languages)
    if outcome.blocked_until is not None and outcome.blocked_expires_at is not None:
        session.commit()
        raise _cooling_down(outcome.blocked_until, outcome.blocked_expires_at, now)
    if outcome.capped_until is not None and outcome.capped_by is not None:
        session.commit()
        by, until = outcome.capped_by, outcome.capped_until
        raise _capped(session, caller.volunteer_id, policy, by, until, now)
    if outcome.reservation_id is None:
        error = _why_nothing_left(session, policy, zones)
        session.commit()
        raise error
    assert outcome.granted_at and outcome.expires_at and outcome.next_request_at
    public = _granted(
        outcome.reservation_id,
        policy,
        outcome.granted_at,
        outcome.expires_at,
        outcome.next_request_at,
        outcome.contacts,
        listed_among(session, outcome.contacts),
    )
    session.commit()
    return public


def reserve(
    session: Session, volunteer: User, call_list_id: int, *, now: datetime | None = None
) -> ReservationPublic:
    """SQLite: grant `volunteer` up to the campaign's list size of households from a list.

    Raises UnknownList, CoolingDown or NothingLeft. Commits on success. Without `now` the
    real clock is read, and read again for the grant's stamp after the rows are picked.
    """
    real_time = now is None
    now = now or utcnow()
    assert volunteer.id is not None
    policy = _load_list(session, call_list_id)
    if not membership.may_see(session, volunteer, policy.campaign_id):
        session.rollback()
        raise _unknown_list(call_list_id)  # a closed campaign's list: as if there were none
    closed = _closed(policy)
    if closed is not None:
        session.rollback()
        raise closed
    _check_cooldown(session, volunteer.id, policy.campaign_id, now)
    _check_caps(session, volunteer.id, policy, now)
    zones = zones_in_hours(policy.zones, policy.hours_start, policy.hours_end, now)
    household_ids = (
        pick_households(
            session,
            volunteer.id,
            policy.list_id,
            zones,
            policy.list_size,
            now,
            list(volunteer.languages or []),
        )
        if zones
        else []
    )
    if not household_ids:
        error = _why_nothing_left(session, policy, zones)
        session.rollback()
        raise error

    # Stamp the grant once its rows are picked: a release that freed them committed before.
    granted_at = max(now, utcnow()) if real_time else now
    expires_at = granted_at + timedelta(seconds=policy.hold_seconds)
    next_request_at = granted_at + timedelta(seconds=policy.cooldown_seconds)
    grant = Grant(
        volunteer.id, policy.campaign_id, policy.list_id, granted_at, expires_at, next_request_at
    )
    reservation_id = write_grant(session, grant, household_ids)
    contacts = contacts_of(session, household_ids, open_only=True)
    public = _granted(
        reservation_id,
        policy,
        granted_at,
        expires_at,
        next_request_at,
        contacts,
        listed_among(session, contacts),
    )
    session.commit()
    return public


def _granted(
    reservation_id: int,
    policy: ListPolicy,
    granted_at: datetime,
    expires_at: datetime,
    next_request_at: datetime,
    contacts: Sequence[Row[Any]],
    listed: frozenset[str],
) -> ReservationPublic:
    """The answer to a grant, validated in one pydantic call (contacts included); a
    contact's numbers on the do-not-call list (`listed`) are left out."""
    return ReservationPublic.model_validate(
        {
            "id": reservation_id,
            "campaign_id": policy.campaign_id,
            "call_list_id": policy.list_id,
            "fence": reservation_id,
            "status": ReservationStatus.active,
            "created_at": granted_at,
            "expires_at": expires_at,
            # Another list may come at the end of the cooldown, or when this one expires.
            "next_request_at": min(next_request_at, expires_at),
            "contacts": [contact_fields(c, listed) for c in contacts],
        }
    )


def _unknown_list(call_list_id: int) -> UnknownList:
    return UnknownList(Message(Code.UNKNOWN_LIST, {"id": call_list_id}))


def _load_list(session: Session, call_list_id: int) -> ListPolicy:
    """The list, its campaign's rules and the list's time zones."""
    if not 0 < call_list_id <= MAX_ID:
        raise _unknown_list(call_list_id)
    query = (
        select(CallList, Campaign)
        .join(Campaign, col(Campaign.id) == col(CallList.campaign_id))
        .where(CallList.id == call_list_id)
    )
    found = session.execute(query).first()
    if found is None:
        raise _unknown_list(call_list_id)
    call_list, campaign = found
    assert call_list.id is not None and campaign.id is not None
    return ListPolicy(
        call_list.id,
        call_list.name,
        campaign.id,
        campaign.list_size,
        campaign.hold_seconds,
        campaign.cooldown_seconds,
        campaign.calling_hours_start,
        campaign.calling_hours_end,
        list_time_zones(session, call_list.id),
        campaign.name,
        campaign.status,
        call_list.status,
        campaign.max_lists_per_hour,
        campaign.max_lists_per_day,
    )


def _closed(policy: ListPolicy) -> NothingLeft | None:
    """The refusal for a campaign its organizers paused or archived, or a list they archived
    or removed; None when the list may be handed out."""
    if policy.campaign_status == "paused":
        return NothingLeft(
            Message(Code.CAMPAIGN_PAUSED, {"campaign": policy.campaign_name}), reason="paused"
        )
    if policy.campaign_status == "archived":
        return NothingLeft(
            Message(Code.CAMPAIGN_ARCHIVED, {"campaign": policy.campaign_name}), reason="archived"
        )
    if policy.list_status != "active":
        return NothingLeft(Message(Code.LIST_CLOSED, {"list": policy.list_name}), reason="archived")
    return None


def _check_cooldown(session: Session, volunteer_id: int, campaign_id: int, now: datetime) -> None:
    """Refuse while an unfinished, live reservation in this campaign is cooling down.
    (PostgreSQL: the same check is the first part of `grant_pg.grant`.)"""
    blocking = session.exec(
        select(Reservation)
        .where(
            Reservation.volunteer_id == volunteer_id,
            Reservation.campaign_id == campaign_id,
            col(Reservation.next_request_at) > now,
            col(Reservation.expires_at) > now,  # the hold as granted: a release keeps it
        )
        .order_by(col(Reservation.next_request_at).desc())
    )
    for reservation in blocking:
        if mostly_handled(session, reservation):
            continue  # most of it called: the next list may come at once
        raise _cooling_down(reservation.next_request_at, reservation.expires_at, now)


CAP_WINDOWS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


def _check_caps(session: Session, volunteer_id: int, policy: ListPolicy, now: datetime) -> None:
    """Refuse a list past the campaign's cap on lists per volunteer per hour or per rolling
    day, released or finished ones included. (PostgreSQL: the `capped` part of
    `grant_pg.grant`.)"""
    latest: tuple[str, datetime] | None = None
    for by, cap in (("hour", policy.max_lists_per_hour), ("day", policy.max_lists_per_day)):
        if cap <= 0:
            continue
        window = CAP_WINDOWS[by]
        nth = session.exec(
            select(Reservation.created_at)
            .where(
                Reservation.volunteer_id == volunteer_id,
                Reservation.campaign_id == policy.campaign_id,
                col(Reservation.created_at) > now - window,
            )
            .order_by(col(Reservation.created_at).desc())
            .offset(cap - 1)
            .limit(1)
        ).first()
        if nth is not None and (latest is None or nth + window > latest[1]):
            latest = (by, nth + window)
    if latest is not None:
        session.rollback()
        raise _capped(session, volunteer_id, policy, latest[0], latest[1], now)


def _capped(
    session: Session,
    volunteer_id: int,
    policy: ListPolicy,
    by: str,
    until: datetime,
    now: datetime,
) -> CoolingDown:
    """The refusal, after counting it for the organizers (`cap_alerts`) in a transaction of
    its own: the caller has ended the grant's."""
    cap = policy.max_lists_per_hour if by == "hour" else policy.max_lists_per_day
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    cap_alerts.record(engine, policy.campaign_id, volunteer_id, by, cap, now)
    # For organizers: a volunteer at the cap is worth a look (or the cap is too low).
    log.warning(
        "volunteer %s refused a list of campaign %s: the cap of %d lists per %s was reached",
        volunteer_id, policy.campaign_id, cap, by,
    )  # fmt: skip
    wait = max(1, math.ceil((until - now).total_seconds()))
    params: dict[str, int | str] = {
        "cap": cap,
        "window": by,
        "campaign": policy.campaign_name,
        "seconds": wait,
    }
    return CoolingDown(
        Message(Code.LIST_CAP, params),
        retry_after=wait,
        next_request_at=until,
    )


def mostly_handled(session: Session, reservation: Reservation) -> bool:
    """More than half of the list's households have a result (or are closed): only then
    may the next list come before the cooldown, counted from the grant, has passed (or the
    hold it was granted with, when shorter). Giving a list back does not shorten the wait
    (one volunteer took 60 lists in 7 s by releasing each at once)."""
    total = session.exec(
        select(func.count())
        .select_from(ReservationItem)
        .where(ReservationItem.reservation_id == reservation.id)
    ).one()
    return 2 * unhandled_households(session, reservation) < int(total)


def _cooling_down(next_request_at: datetime, expires_at: datetime, now: datetime) -> CoolingDown:
    # The wait ends at the cooldown, or earlier when the list expires first.
    until = min(next_request_at, expires_at)
    wait = max(1, math.ceil((until - now).total_seconds()))
    return CoolingDown(
        Message(Code.COOLING_DOWN, {"seconds": wait}),
        retry_after=wait,
        next_request_at=until,
    )


def _why_nothing_left(session: Session, policy: ListPolicy, zones: list[str]) -> NothingLeft:
    """Tell a finished list from one whose people cannot be called right now.

    Reads only open households (the pool index), so it costs what is left, not the list.
    """
    left = select(Household.id).where(
        Household.call_list_id == policy.list_id,
        col(Household.state) == literal_column("'open'"),
        not_on_do_not_call(),
    )
    name = policy.list_name
    if session.exec(left.limit(1)).first() is None:
        return NothingLeft(Message(Code.LIST_FINISHED, {"list": name}), reason="finished")
    in_hours = session.exec(left.where(col(Household.timezone).in_(zones)).limit(1)).first()
    if in_hours is None:
        hours = {"list": name, "start": policy.hours_start, "end": policy.hours_end}
        return NothingLeft(Message(Code.OUTSIDE_CALLING_HOURS, hours), reason="outside_hours")
    return NothingLeft(Message(Code.LIST_BUSY, {"list": name}), reason="busy")


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
        raise UnknownReservation(Message(Code.UNKNOWN_RESERVATION, {"id": reservation_id}))
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
