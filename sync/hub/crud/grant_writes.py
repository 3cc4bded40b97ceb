"""SQLite: writing a grant of households the pool query picked: the reservation (its id is
the fencing token), the holds on the households and their history (reservation items).
PostgreSQL writes the same rows in the grant statement itself (`grant_pg`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import Session, col

from sync.hub.models import Household, Reservation, ReservationItem


@dataclass(frozen=True)
class Grant:
    """A grant of locked households, stamped once they were locked."""

    volunteer_id: int
    campaign_id: int
    call_list_id: int
    granted_at: datetime
    expires_at: datetime
    next_request_at: datetime


def write_grant(session: Session, grant: Grant, household_ids: list[int]) -> int:
    """Write a grant of locked households: the reservation, the holds and their history."""
    reservations = Reservation.__table__  # type: ignore[attr-defined]
    reservation_id: int = session.connection().scalar(
        insert(reservations)
        .values(
            volunteer_id=grant.volunteer_id,
            campaign_id=grant.campaign_id,
            call_list_id=grant.call_list_id,
            status="active",
            created_at=grant.granted_at,
            expires_at=grant.expires_at,
            next_request_at=grant.next_request_at,
        )
        .returning(reservations.c.id)
    )
    session.connection().execute(
        update(Household)
        .where(col(Household.id).in_(household_ids))
        .values(held_until=grant.expires_at, reservation_id=reservation_id, fence=reservation_id)
    )
    session.connection().execute(
        insert(ReservationItem),
        [
            {
                "reservation_id": reservation_id,
                "household_id": household_id,
                "granted_at": grant.granted_at,
                "expires_at": grant.expires_at,
            }
            for household_id in household_ids
        ],
    )
    return reservation_id
