"""Sync: everything a laptop should hold, with a cursor that detects a forgetful hub."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync.hub.crud import sync as sync_crud
from sync.hub.deps import CurrentVolunteer, HubRoute, SessionDep, answers
from sync.hub.routes.reservations import Now
from sync.protocol import SyncResponse

router = APIRouter(tags=["sync"], route_class=HubRoute)


@router.get("/sync", response_model=SyncResponse, responses=answers(401, 422, 426))
def sync(
    session: SessionDep,
    user: CurrentVolunteer,
    now: Now,
    cursor: Annotated[str | None, Query()] = None,
) -> SyncResponse:
    """Campaigns, scripts, do-not-call numbers among the caller's contacts, the caller's
    reservations (active ones with contacts, ended ones of the last 7 days without), progress.

    `reset` is true when `cursor` is not one this hub could have issued (another epoch, ahead
    of this database, or malformed): drop cached state, download again, re-send results.
    """
    return sync_crud.sync_snapshot(session, user, cursor, now=now)
