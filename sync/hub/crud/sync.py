"""What a laptop downloads at each sync, and the cursor that tells it the hub forgot.

The answer is a snapshot of everything the caller needs (it is small per volunteer). The
cursor is ``{epoch}.{last result seq}.{last reservation id}``: a cursor of another epoch (a
new database), or one ahead of what this hub holds (a hub restored from an older backup), or
one that does not parse, makes the hub answer ``reset=True`` — the laptop then drops its
cached state and sends its results again (they are idempotent).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import scripts as scripts_crud
from sync.hub.crud.meta import get_epoch
from sync.hub.crud.reservation_views import RECENT, reservations_for_sync
from sync.hub.models import (
    CallResult,
    DoNotCall,
    Household,
    Reservation,
    ScriptVersion,
    User,
)
from sync.hub.types import utcnow
from sync.protocol import Progress, ReservationPublic, ReservationStatus, SyncResponse


def _high_water(session: Session) -> tuple[int, int]:
    results = session.exec(select(func.max(CallResult.seq))).one()
    reservations = session.exec(select(func.max(Reservation.id))).one()
    return int(results or 0), int(reservations or 0)


def make_cursor(epoch: str, high_water: tuple[int, int]) -> str:
    return f"{epoch}.{high_water[0]}.{high_water[1]}"


def cursor_is_stale(cursor: str | None, epoch: str, high_water: tuple[int, int]) -> bool:
    """Must the client start over? Not for no cursor (a first sync) or a cursor we know."""
    if cursor is None or cursor == "":
        return False
    parts = cursor.split(".")
    if len(parts) != 3 or parts[0] != epoch:
        return True
    try:
        seen = (int(parts[1]), int(parts[2]))
    except ValueError:
        return True
    if seen[0] < 0 or seen[1] < 0:
        return True
    return seen[0] > high_water[0] or seen[1] > high_water[1]


def _my_results_by_campaign(session: Session, volunteer_id: int) -> dict[int, int]:
    newer = aliased(CallResult)
    superseded = (
        select(newer.seq)
        .where(
            col(newer.supersedes) == col(CallResult.id),
            col(newer.quarantined).is_(False),
            # Only a volunteer's own correction cancels a result.
            col(newer.volunteer_id) == col(CallResult.volunteer_id),
        )
        .exists()
    )
    query = (
        select(CallResult.campaign_id, func.count())
        .where(
            CallResult.volunteer_id == volunteer_id,
            col(CallResult.quarantined).is_(False),
            ~superseded,
        )
        .group_by(col(CallResult.campaign_id))
    )
    return {int(c): int(n) for c, n in session.exec(query) if c is not None}


def _dnc_among_my_contacts(session: Session, volunteer_id: int, now: datetime) -> list[str]:
    """Do-not-call numbers among households the caller is the last to have been given.

    A household handed to someone else since, or given back, is not the caller's any more:
    its number is never reported. An expired list is (laptops may still call it offline).
    """
    query = (
        select(DoNotCall.phone)
        .join(Household, col(Household.phone) == col(DoNotCall.phone))
        .join(Reservation, col(Reservation.id) == col(Household.reservation_id))
        .where(
            Reservation.volunteer_id == volunteer_id,
            Reservation.status != ReservationStatus.released,
            col(Reservation.expires_at) > now - RECENT,
        )
        .distinct()
    )
    return sorted(session.exec(query))


def _scripts_needed(
    session: Session, campaign_ids: list[int], reservations: list[ReservationPublic]
) -> list[ScriptVersion]:
    """The latest version of each campaign's script, and for each active reservation the
    version that was current when it was granted (a laptop may finish a list with it)."""
    needed: dict[int, ScriptVersion] = {}
    for campaign_id in campaign_ids:
        latest = scripts_crud.latest_script(session, campaign_id)
        if latest is not None and latest.id is not None:
            needed[latest.id] = latest
    for reservation in reservations:
        if reservation.status != ReservationStatus.active or reservation.created_at is None:
            continue
        at_grant = session.exec(
            select(ScriptVersion)
            .where(
                ScriptVersion.campaign_id == reservation.campaign_id,
                col(ScriptVersion.created_at) <= reservation.created_at,
            )
            .order_by(col(ScriptVersion.version).desc())
            .limit(1)
        ).first()
        if at_grant is not None and at_grant.id is not None:
            needed.setdefault(at_grant.id, at_grant)
    return sorted(needed.values(), key=lambda v: (v.campaign_id, v.version))


def sync_snapshot(
    session: Session, volunteer: User, cursor: str | None, *, now: datetime | None = None
) -> SyncResponse:
    """Everything the caller's laptop should hold now, with a fresh cursor. Commits."""
    assert volunteer.id is not None
    now = now or utcnow()
    epoch = get_epoch(session)
    high_water = _high_water(session)
    reset = cursor_is_stale(cursor, epoch, high_water)

    campaigns = [
        campaigns_crud.campaign_public(session, c) for c in campaigns_crud.list_campaigns(session)
    ]
    reservations = reservations_for_sync(session, volunteer.id, now)
    scripts = [
        scripts_crud.script_public(version)
        for version in _scripts_needed(session, [c.id for c in campaigns], reservations)
    ]
    mine = _my_results_by_campaign(session, volunteer.id)
    progress = {
        str(c.id): Progress(
            campaign_id=c.id, goal=c.goal, calls_made=c.calls_made, mine=mine.get(c.id, 0)
        )
        for c in campaigns
    }
    response = SyncResponse(
        epoch=epoch,
        cursor=make_cursor(epoch, high_water),
        reset=reset,
        campaigns=campaigns,
        scripts=scripts,
        dnc=_dnc_among_my_contacts(session, volunteer.id, now),
        reservations=reservations,
        progress=progress,
        server_time=now,
    )
    session.commit()
    return response
