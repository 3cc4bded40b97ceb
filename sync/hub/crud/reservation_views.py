"""Reservations as laptops see them: contacts, status (active, released, expired, finished)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, exists, func, or_
from sqlmodel import Session, col, select

from sync.hub.models import (
    CallResult,
    Contact,
    DoNotCall,
    Household,
    Reservation,
    ReservationItem,
)
from sync.protocol import ContactPublic, Disposition, ReservationPublic, ReservationStatus

# How long ended reservations are still reported by sync (so laptops learn of expiry).
RECENT = timedelta(days=7)


def household_key(household_id: int) -> str:
    """The `household` string laptops group contacts by."""
    return str(household_id)


# The columns `contact_fields` reads.
CONTACT_COLUMNS = (
    "id",
    "household_id",
    "first_name",
    "last_name",
    "phone",
    "timezone",
    "extra",
    "phones",
    "attempts",
    "last_disposition",
    "call_back_at",
)
_DISPOSITIONS = frozenset(d.value for d in Disposition)


def contact_fields(
    contact: Contact | Row[Any], listed: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A contact as laptops see it, unvalidated, from its ORM object or a row of the
    contacts table: a grant validates its twenty at once with the reservation
    (`ReservationPublic.model_validate`), much cheaper than a model built for each.
    `listed`: numbers on the do-not-call list (`listed_numbers`), left out of `phones`."""
    last = contact.last_disposition
    return {
        "id": contact.id or 0,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "phone": contact.phone,
        "timezone": contact.timezone,
        "household": household_key(contact.household_id),
        "extra": {str(k): str(v) for k, v in (contact.extra or {}).items()},
        # Numbers found bad for this person alone (result_effects) and numbers on the
        # do-not-call list are left out: the next laptop starts at a dialable one.
        "phones": [
            p for p in contact.phones or [] if not p.get("bad") and p.get("e164") not in listed
        ],
        "attempts": contact.attempts,
        "last_disposition": last if last in _DISPOSITIONS else None,
        "call_back_at": contact.call_back_at,
    }


def contact_public(
    contact: Contact | Row[Any], listed: frozenset[str] = frozenset()
) -> ContactPublic:
    """A contact as laptops see it, from its ORM object or a row of the contacts table."""
    return ContactPublic.model_validate(contact_fields(contact, listed))


# Numbers per do-not-call lookup (SQLite allows 32k bound values).
_LOOKUP_CHUNK = 1000


def listed_numbers(session: Session, numbers: set[str]) -> frozenset[str]:
    """Which of `numbers` (E.164) are on the do-not-call list, by primary key."""
    found: set[str] = set()
    ordered = sorted(numbers)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = ordered[start : start + _LOOKUP_CHUNK]
        found.update(session.exec(select(DoNotCall.phone).where(col(DoNotCall.phone).in_(chunk))))
    return frozenset(found)


def other_numbers(contacts: Sequence[Any]) -> set[str]:
    """The contacts' numbers other than their household's (which the pool already keeps off
    the do-not-call list): a listed one is in no contact's `phones` as laptops see it.
    `contacts`: anything with `phone` and `phones` (ORM objects, rows of the table)."""
    return {
        number
        for contact in contacts
        for entry in contact.phones or []
        if (number := entry.get("e164")) and number != contact.phone
    }


def listed_among(session: Session, contacts: Sequence[Contact | Row[Any]]) -> frozenset[str]:
    """The contacts' other numbers that are on the do-not-call list (no query when none
    has a second number)."""
    numbers = other_numbers(contacts)
    return listed_numbers(session, numbers) if numbers else frozenset()


def contacts_of(
    session: Session, household_ids: Sequence[int], *, open_only: bool
) -> Sequence[Row[Any]]:
    """Rows of the contacts table (plain rows: building ORM objects cost more than the query)."""
    if not household_ids:
        return []
    contacts = Contact.__table__  # type: ignore[attr-defined]
    query = select(contacts).where(contacts.c.household_id.in_(household_ids))
    if open_only:
        query = query.where(contacts.c.state == "open")
    query = query.order_by(contacts.c.household_id, contacts.c.id)
    return session.connection().execute(query).all()


def unhandled_households(session: Session, reservation: Reservation) -> int:
    """Households of `reservation` still open and without a result from its volunteer in it."""
    handled = (
        select(CallResult.seq)
        .join(Contact, col(Contact.id) == col(CallResult.contact_id))
        .where(
            CallResult.reservation_id == reservation.id,
            CallResult.volunteer_id == reservation.volunteer_id,
            col(CallResult.quarantined).is_(False),
            Contact.household_id == ReservationItem.household_id,
        )
    )
    query = (
        select(func.count())
        .select_from(ReservationItem)
        .join(Household, col(Household.id) == col(ReservationItem.household_id))
        .where(
            ReservationItem.reservation_id == reservation.id,
            Household.state == "open",
            ~exists(handled),
        )
    )
    return int(session.exec(query).one())


def reservation_status(
    session: Session, reservation: Reservation, now: datetime
) -> ReservationStatus:
    if reservation.status == ReservationStatus.released:
        return ReservationStatus.released
    return _status_of_held(reservation, unhandled_households(session, reservation), now)


def _status_of_held(reservation: Reservation, unhandled: int, now: datetime) -> ReservationStatus:
    """The status of a reservation not given back, from its count of unhandled households."""
    if unhandled == 0:
        return ReservationStatus.finished
    if reservation.expires_at <= now:
        return ReservationStatus.expired
    return ReservationStatus.active


def reservation_public(
    session: Session,
    reservation: Reservation,
    *,
    now: datetime,
    contacts: Sequence[Contact | Row[Any]] | None = None,
    status: ReservationStatus | None = None,
    listed: frozenset[str] = frozenset(),
) -> ReservationPublic:
    return ReservationPublic(
        id=reservation.id or 0,
        campaign_id=reservation.campaign_id,
        call_list_id=reservation.call_list_id,
        fence=reservation.id or 0,
        status=status or reservation_status(session, reservation, now),
        created_at=reservation.created_at,
        expires_at=reservation.expires_at,
        # Another list may come at the end of the cooldown, or when this one expires first.
        next_request_at=min(reservation.next_request_at, reservation.expires_at),
        contacts=[contact_public(c, listed) for c in contacts or []],
    )


def _unhandled_by_reservation(
    session: Session, volunteer_id: int, reservation_ids: Sequence[int]
) -> dict[int, int]:
    """`unhandled_households` of each of the volunteer's reservations (a reservation with
    none left is absent), in two queries read once each: as one correlated query, SQLite
    walked all the volunteer's results for every household (1.2 s for 75 lists)."""
    if not reservation_ids:
        return {}
    open_items = (
        select(ReservationItem.reservation_id, ReservationItem.household_id)
        .join(Household, col(Household.id) == col(ReservationItem.household_id))
        .where(col(ReservationItem.reservation_id).in_(reservation_ids), Household.state == "open")
    )
    handled_query = (
        select(CallResult.reservation_id, Contact.household_id)
        .join(Contact, col(Contact.id) == col(CallResult.contact_id))
        .where(
            col(CallResult.reservation_id).in_(reservation_ids),
            CallResult.volunteer_id == volunteer_id,
            col(CallResult.quarantined).is_(False),
        )
    )
    handled = set(session.exec(handled_query))
    unhandled: Counter[int] = Counter()
    for reservation_id, household_id in session.exec(open_items):
        if (reservation_id, household_id) not in handled:
            unhandled[reservation_id] += 1
    return dict(unhandled)


def _contacts_by_reservation(
    session: Session, reservation_ids: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """The contacts a laptop holding each reservation should have (after a reset, again):
    people of its households still to call, and those it already recorded a result for; in
    one query of plain rows. Only households a reservation was the last to be granted: one
    handed to someone else since (its hold ended after a no-answer, say) is theirs now, so
    no contact appears twice."""
    if not reservation_ids:
        return {}
    contacts = Contact.__table__  # type: ignore[attr-defined]
    households = Household.__table__  # type: ignore[attr-defined]
    results = CallResult.__table__  # type: ignore[attr-defined]
    called = (
        select(results.c.seq)
        .where(
            results.c.reservation_id == households.c.reservation_id,
            results.c.contact_id == contacts.c.id,
        )
        .exists()
    )
    query = (
        select(contacts, households.c.reservation_id.label("held_by"))
        .join(households, households.c.id == contacts.c.household_id)
        .where(
            households.c.reservation_id.in_(reservation_ids),
            or_(contacts.c.state == "open", called),
        )
        .order_by(contacts.c.household_id, contacts.c.id)
    )
    # Rows of the contacts table plus `held_by`: contact_public reads them by name.
    rows = cast(Sequence[Row[Any]], session.connection().execute(query).all())
    grouped: dict[int, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(row.held_by, []).append(row)
    return grouped


def reservations_for_sync(
    session: Session, volunteer_id: int, now: datetime
) -> list[ReservationPublic]:
    """The caller's active reservations with contacts, and recently ended ones without.

    Four queries however many lists the caller holds (one each per list timed out at 75).
    """
    query = (
        select(Reservation)
        .where(
            Reservation.volunteer_id == volunteer_id,
            or_(
                col(Reservation.expires_at) > now - RECENT,
                col(Reservation.ended_at) > now - RECENT,
            ),
        )
        .order_by(col(Reservation.id))
    )
    reservations = list(session.exec(query))
    held = [r.id for r in reservations if r.status != ReservationStatus.released and r.id]
    unhandled = _unhandled_by_reservation(session, volunteer_id, held)
    status = {
        r.id: (
            ReservationStatus.released
            if r.status == ReservationStatus.released
            else _status_of_held(r, unhandled.get(r.id or 0, 0), now)
        )
        for r in reservations
    }
    active = [r.id for r in reservations if r.id and status[r.id] == ReservationStatus.active]
    contacts = _contacts_by_reservation(session, active)
    listed = listed_among(session, [c for rows in contacts.values() for c in rows])
    return [
        reservation_public(
            session,
            r,
            now=now,
            contacts=contacts.get(r.id or 0, []),
            status=status[r.id],
            listed=listed,
        )
        for r in reservations
    ]
