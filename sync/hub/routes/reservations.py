"""Reservations: ask for an exclusive list of names, give it back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from sqlmodel import Session

from sync.hub import refusals
from sync.hub.crud import reservations as reservations_crud
from sync.hub.deps import (
    BearerToken,
    CurrentVolunteer,
    HubRoute,
    SessionDep,
    answers,
    authenticates_itself,
    own_session,
    unauthorized,
)
from sync.protocol import ErrorBody, ReservationPublic, ReservationRequest

router = APIRouter(tags=["reservations"], route_class=HubRoute)


def clock_override(request: Request) -> datetime | None:
    """A test's clock (`app.state.clock`) when set; else None: crud reads the real time itself,
    as late as it can (a grant is stamped after its rows are locked, not when the request came)."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else None


async def hub_now(request: Request) -> datetime | None:
    return clock_override(request)


Now = Annotated[datetime | None, Depends(hub_now)]


@router.post(
    "/reservations",
    status_code=status.HTTP_201_CREATED,
    response_model=ReservationPublic,
    responses={
        404: {"model": ErrorBody, "description": "No such call list."},
        409: {"model": ErrorBody, "description": "Nobody is left to hand out on this list."},
        429: {"model": ErrorBody, "description": "Cooling down; see the Retry-After header."},
        **answers(401, 413, 422, 426),
    },
)
@authenticates_itself
def create_reservation(body: ReservationRequest, request: Request, token: BearerToken) -> Response:
    """Reserve up to the campaign's list size of households for the caller alone.

    429 with `Retry-After` (seconds) while the caller's current list in this campaign is
    unfinished and its cooldown has not passed; a finished list allows a new one at once.
    """
    # The session and the clock are not dependencies here: FastAPI's machinery for a
    # generator dependency cost ~8% of this route's CPU, more than what it manages.
    with own_session(request) as session:
        return _reserve(session, token, body.call_list_id, clock_override(request))


def _reserve(session: Session, token: str, call_list_id: int, now: datetime | None) -> Response:
    try:
        public = reservations_crud.reserve_for_token(session, token, call_list_id, now=now)
        # Already a validated model: serialized once here, not validated again by FastAPI.
        return Response(
            public.model_dump_json(), status.HTTP_201_CREATED, media_type="application/json"
        )
    except reservations_crud.NotSignedIn:
        raise unauthorized() from None
    except reservations_crud.UnknownList as exc:
        raise refusals.Refusal(status.HTTP_404_NOT_FOUND, exc.message) from None
    except reservations_crud.NothingLeft as exc:
        # `reason`: finished | outside_hours | busy — the list is done, or just not now;
        # paused | archived — the organizers stopped handing out this campaign or list.
        return refusals.response(status.HTTP_409_CONFLICT, exc.message, reason=exc.reason)
    except reservations_crud.CoolingDown as exc:
        return refusals.response(
            status.HTTP_429_TOO_MANY_REQUESTS,
            exc.message,
            headers={"Retry-After": str(exc.retry_after)},
            retry_after=exc.retry_after,
            next_request_at=exc.next_request_at.isoformat(),
        )


@router.post(
    "/reservations/{reservation_id}/release",
    response_model=ReservationPublic,
    responses={
        404: {"model": ErrorBody, "description": "The caller has no such reservation."},
        **answers(401, 422, 426),
    },
)
def release_reservation(
    reservation_id: int, session: SessionDep, user: CurrentVolunteer, now: Now
) -> ReservationPublic:
    """Give the list back: its contacts return to the pool at once. Safe to repeat."""
    try:
        return reservations_crud.release(session, user, reservation_id, now=now)
    except reservations_crud.UnknownReservation as exc:
        raise refusals.Refusal(status.HTTP_404_NOT_FOUND, exc.message) from None
