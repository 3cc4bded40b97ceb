"""What a laptop downloads at each sync, and the cursor that tells it the hub forgot.

The answer is a snapshot of everything the caller needs (it is small per volunteer). The
cursor is ``{epoch}.{last result seq}.{last reservation id}.{fingerprint of those two rows}``:
a cursor of another epoch (a new database), one ahead of what this hub holds, one whose rows
are gone or are other rows now (a hub restored from an older backup, even after it has grown
past the cursor again), or one that does not parse, makes the hub answer ``reset=True`` — the
laptop then drops its cached state and sends its results again (they are idempotent).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import membership
from sync.hub.crud import scripts as scripts_crud
from sync.hub.crud.meta import get_epoch
from sync.hub.crud.reservation_views import (
    listed_numbers,
    other_numbers,
    reservations_for_sync,
)
from sync.hub.models import (
    CallResult,
    Contact,
    DoNotCall,
    Household,
    Reservation,
    ScriptVersion,
    User,
)
from sync.hub.types import utcnow
from sync.protocol import Progress, ReservationPublic, ReservationStatus, SyncResponse


@dataclass(frozen=True)
class HighWater:
    """How far this database has come: its last result and reservation, and a short
    fingerprint of those two rows (a restored backup reuses the numbers for other rows)."""

    results: int
    reservations: int
    mark: str


def _fingerprint(session: Session, results: int, reservations: int) -> str | None:
    """A digest of the result at `results` and the reservation at `reservations`; None when
    either row is missing (0 means none yet)."""
    result_id = ""
    if results:
        found = session.exec(select(CallResult.id).where(CallResult.seq == results)).first()
        if found is None:
            return None
        result_id = found
    granted = ""
    if reservations:
        created = session.exec(
            select(Reservation.created_at).where(Reservation.id == reservations)
        ).first()
        if created is None:
            return None
        granted = created.isoformat()
    return hashlib.sha256(f"{result_id}|{granted}".encode()).hexdigest()[:12]


# The high water and the two rows its fingerprint is made of, in one round trip (four
# statements before: each cost the hub more Python than PostgreSQL its work).
_LAST_SEQ = select(func.max(CallResult.seq)).scalar_subquery()
_LAST_RESERVATION = select(func.max(Reservation.id)).scalar_subquery()
_HIGH_WATER = select(
    _LAST_SEQ,
    _LAST_RESERVATION,
    select(CallResult.id).where(CallResult.seq == _LAST_SEQ).scalar_subquery(),
    select(Reservation.created_at).where(Reservation.id == _LAST_RESERVATION).scalar_subquery(),
)


def _high_water(session: Session) -> HighWater:
    results, reservations, result_id, created = session.exec(_HIGH_WATER).one()
    results, reservations = int(results or 0), int(reservations or 0)
    if (results and result_id is None) or (reservations and created is None):
        mark = ""  # a row gone between the reads: as `_fingerprint` answers None
    else:
        granted = created.isoformat() if reservations else ""
        mark = hashlib.sha256(f"{result_id or ''}|{granted}".encode()).hexdigest()[:12]
    return HighWater(results, reservations, mark)


def make_cursor(epoch: str, high_water: HighWater) -> str:
    return f"{epoch}.{high_water.results}.{high_water.reservations}.{high_water.mark}"


def cursor_is_stale(
    session: Session, cursor: str | None, epoch: str, high_water: HighWater
) -> bool:
    """Must the client start over? Not for no cursor (a first sync) or a cursor we issued:
    same epoch, not ahead of this database, and the rows it ended at are still the same."""
    if cursor is None or cursor == "":
        return False
    parts = cursor.split(".")
    if len(parts) != 4 or parts[0] != epoch:
        return True
    try:
        seen = (int(parts[1]), int(parts[2]))
    except ValueError:
        return True
    if not (0 <= seen[0] <= high_water.results and 0 <= seen[1] <= high_water.reservations):
        return True
    if seen == (high_water.results, high_water.reservations) and high_water.mark:
        return parts[3] != high_water.mark  # the same two rows, just read
    return _fingerprint(session, *seen) != parts[3]


# Built once (building them per sync cost more Python than running them); the volunteer is
# a bind parameter.
_MINE_COUNTED = (
    select(CallResult.campaign_id, func.count())
    .where(
        CallResult.volunteer_id == bindparam("volunteer"), col(CallResult.quarantined).is_(False)
    )
    .group_by(col(CallResult.campaign_id))
)
_OLD = aliased(CallResult)
_MINE_SUPERSEDED = (
    select(_OLD.campaign_id, func.count(func.distinct(_OLD.seq)))
    .select_from(CallResult)
    .join(_OLD, col(_OLD.id) == col(CallResult.supersedes))
    .where(
        CallResult.volunteer_id == bindparam("volunteer"),
        col(CallResult.quarantined).is_(False),
        col(CallResult.supersedes).is_not(None),
        # Only a volunteer's own correction cancels a result.
        _OLD.volunteer_id == bindparam("volunteer"),
        col(_OLD.quarantined).is_(False),
    )
    .group_by(col(_OLD.campaign_id))
)


def _my_results_by_campaign(session: Session, volunteer_id: int) -> dict[int, int]:
    """The caller's results that count, per campaign: not quarantined, not replaced by one of
    their own corrections.

    Counted as (results) - (results one of their corrections supersedes), like `calls_made`:
    as a NOT EXISTS per result, SQLite searched each result's correction through the
    volunteer index, every one of their results again for each (4.5 s of a sync after a
    volunteer's 5,000 results).
    """
    counted, superseded = _MINE_COUNTED, _MINE_SUPERSEDED
    params = {"volunteer": volunteer_id}
    mine = {int(c): int(n) for c, n in session.exec(counted, params=params) if c is not None}
    for campaign_id, n in session.exec(superseded, params=params):
        if campaign_id is not None and int(campaign_id) in mine:
            mine[int(campaign_id)] -= int(n)
    return mine


def _dnc_among_my_contacts(session: Session, reservations: list[ReservationPublic]) -> list[str]:
    """Do-not-call numbers among households the caller is the last to have been given:
    their households' numbers, and any other number of their people (a laptop drops it
    from that person's numbers; with none left to dial, the person is do-not-call).

    A household handed to someone else since, or given back, is not the caller's any more:
    its number is never reported. An expired list is (laptops may still call it offline).
    The reservation ids go in as a list: joined instead, PostgreSQL merges over every
    household granted between the caller's first and last list of the week.
    """
    held = sorted(r.id for r in reservations if r.status != ReservationStatus.released)
    if not held:
        return []
    query = (
        select(DoNotCall.phone)
        .join(Household, col(Household.phone) == col(DoNotCall.phone))
        .where(col(Household.reservation_id).in_(held))
        .distinct()
    )
    found = set(session.exec(query))
    people = (
        select(col(Contact.phone), col(Contact.phones))
        .join(Household, col(Household.id) == col(Contact.household_id))
        .where(col(Household.reservation_id).in_(held))
    )
    others = other_numbers(session.exec(people).all())
    found.update(listed_numbers(session, others - found))
    return sorted(found)


def _scripts_needed(
    session: Session, campaign_ids: list[int], reservations: list[ReservationPublic]
) -> list[ScriptVersion]:
    """The latest version of each campaign's script, and for each active reservation the
    version that was current when it was granted (a laptop may finish a list with it).

    The versions of the active lists' campaigns come in one query (a campaign has a few),
    not one per list."""
    needed: dict[int, ScriptVersion] = {}
    for campaign_id in campaign_ids:
        latest = scripts_crud.latest_script(session, campaign_id)
        if latest is not None and latest.id is not None:
            needed[latest.id] = latest
    active = [
        r for r in reservations if r.status == ReservationStatus.active and r.created_at is not None
    ]
    versions: dict[int, list[ScriptVersion]] = {}
    if active:
        query = (
            select(ScriptVersion)
            .where(col(ScriptVersion.campaign_id).in_(sorted({r.campaign_id for r in active})))
            .order_by(col(ScriptVersion.version).desc())
        )
        for version in session.exec(query):
            versions.setdefault(version.campaign_id, []).append(version)
    for reservation in active:
        assert reservation.created_at is not None
        at_grant = next(
            (
                v
                for v in versions.get(reservation.campaign_id, [])
                if v.created_at <= reservation.created_at
            ),
            None,
        )
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
    reset = cursor_is_stale(session, cursor, epoch, high_water)

    campaigns = [
        campaigns_crud.campaign_public(session, c)
        for c in membership.visible_campaigns(session, volunteer)
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
        dnc=_dnc_among_my_contacts(session, reservations),
        reservations=reservations,
        progress=progress,
        server_time=now,
    )
    session.commit()
    return response
