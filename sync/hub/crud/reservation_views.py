"""Reservations as laptops see them: contacts, status (active, released, expired, finished)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, exists, func, or_
from sqlmodel import Session, col, select

from sync.hub.models import CallResult, Contact, Household, Reservation, ReservationItem
from sync.protocol import ContactPublic, Disposition, ReservationPublic, ReservationStatus

# How long ended reservations are still reported by sync (so laptops learn of expiry).
RECENT = timedelta(days=7)


def household_key(household_id: int) -> str:
    """The `household` string laptops group contacts by."""
    return str(household_id)


def contact_public(contact: Contact | Row[Any]) -> ContactPublic:
    """A contact as laptops see it, from its ORM object or a row of the contacts table."""
    last = contact.last_disposition
    return ContactPublic(
        id=contact.id or 0,
        first_name=contact.first_name,
        last_name=contact.last_name,
        phone=contact.phone,
        timezone=contact.timezone,
        household=household_key(contact.household_id),
        extra={str(k): str(v) for k, v in (contact.extra or {}).items()},
        attempts=contact.attempts,
        last_disposition=Disposition(last) if last and last in Disposition.__members__ else None,
        call_back_at=contact.call_back_at,
    )


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
    if unhandled_households(session, reservation) == 0:
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
        contacts=[contact_public(c) for c in contacts or []],
    )


def reservation_contacts(session: Session, reservation: Reservation) -> list[Contact]:
    """The contacts a laptop holding `reservation` should have (after a reset, again):
    people of its households still to call, and those it already recorded a result for.

    Only households this reservation was the last to be granted: one handed to someone else
    since (its hold ended after a no-answer, say) is theirs now and is never shown here.
    """
    granted = select(Household.id).where(Household.reservation_id == reservation.id)
    called = select(CallResult.contact_id).where(
        CallResult.reservation_id == reservation.id,
        col(CallResult.contact_id).is_not(None),
    )
    query = (
        select(Contact)
        .where(
            col(Contact.household_id).in_(granted),
            or_(col(Contact.state) == "open", col(Contact.id).in_(called)),
        )
        .order_by(col(Contact.household_id), col(Contact.id))
    )
    return list(session.exec(query))


def reservations_for_sync(
    session: Session, volunteer_id: int, now: datetime
) -> list[ReservationPublic]:
    """The caller's active reservations with contacts, and recently ended ones without."""
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
    out = []
    for reservation in session.exec(query):
        status = reservation_status(session, reservation, now)
        contacts = (
            reservation_contacts(session, reservation) if status == ReservationStatus.active else []
        )
        out.append(
            reservation_public(session, reservation, now=now, contacts=contacts, status=status)
        )
    return out
