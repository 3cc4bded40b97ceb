"""Writing a grant of households already locked by the pool query: the reservation (its id
is the fencing token), the holds on the households and their history (reservation items)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Row, insert, literal_column, text, update
from sqlalchemy.sql.selectable import TextualSelect
from sqlmodel import Session, col

from sync.hub.models import Contact, Household, Reservation, ReservationItem


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


def write_grant_returning_contacts(
    session: Session, grant: Grant, household_ids: list[int]
) -> tuple[int, Sequence[Row[Any]]]:
    """PostgreSQL: what `write_grant` writes, and the open contacts of the households, in one
    round trip (each statement costs the hub more Python than the database work)."""
    params = {
        "volunteer_id": grant.volunteer_id,
        "campaign_id": grant.campaign_id,
        "call_list_id": grant.call_list_id,
        "granted_at": grant.granted_at,
        "expires_at": grant.expires_at,
        "next_request_at": grant.next_request_at,
        "ids": household_ids,
    }
    rows = session.connection().execute(_pg_grant_statement(), params).all()
    contacts = [row for row in rows if row.id is not None]  # none: one row of NULLs
    return int(rows[0].rid), contacts


@cache
def _pg_grant_statement() -> TextualSelect:
    contacts = Contact.__table__  # type: ignore[attr-defined]
    names = ", ".join(f"c.{column.name}" for column in contacts.c)
    return text(
        "WITH r AS (INSERT INTO reservations (volunteer_id, campaign_id, call_list_id, status,"
        " created_at, expires_at, next_request_at) VALUES (:volunteer_id, :campaign_id,"
        " :call_list_id, 'active', :granted_at, :expires_at, :next_request_at) RETURNING id),"
        " h AS (UPDATE households SET held_until = :expires_at, reservation_id = r.id,"
        " fence = r.id FROM r WHERE households.id = ANY(CAST(:ids AS integer[]))),"
        " i AS (INSERT INTO reservation_items (reservation_id, household_id, granted_at,"
        " expires_at) SELECT r.id, v.id, :granted_at, :expires_at FROM r,"
        " unnest(CAST(:ids AS integer[])) AS v(id))"
        f" SELECT r.id AS rid, {names} FROM r LEFT JOIN contacts AS c"
        " ON c.household_id = ANY(CAST(:ids AS integer[])) AND c.state = 'open'"
        " ORDER BY c.household_id, c.id"
    ).columns(literal_column("rid", Integer()), *contacts.c)
