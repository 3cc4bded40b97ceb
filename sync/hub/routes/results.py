"""Results: upload a batch, get a status per result."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from sync.hub.crud import results as results_crud
from sync.hub.deps import (
    BearerToken,
    HubRoute,
    SessionDep,
    answers,
    authenticate,
    authenticates_itself,
)
from sync.hub.routes.reservations import Now
from sync.protocol import ResultsIn, ResultsOut, ResultStatus

router = APIRouter(tags=["results"], route_class=HubRoute)


@router.post(
    "/results",
    response_model=ResultsOut,
    responses={
        201: {"model": ResultsOut, "description": "At least one result was stored now."},
        409: {
            "model": ResultsOut,
            "description": "A single result whose id was stored before with other content.",
        },
        **answers(401, 413, 422, 426),
    },
)
@authenticates_itself
def upload_results(body: ResultsIn, session: SessionDep, token: BearerToken, now: Now) -> Response:
    """Store results exactly once by their id; every result gets its own status.

    A batch of ONE result answers exactly as SPEC §3: 201 when stored now, 200 for an
    identical repeat or a quarantined result, 409 when the id was stored before with other
    content (the original is kept; the body still carries the per-result status).

    A larger batch answers 201 when any result was stored now, else 200; the per-result
    `status` (created / duplicate / conflict / quarantined) says what happened to each.
    Quarantined results are kept and flagged for organizers, never refused, so one bad row
    never blocks a laptop's queue. Late results are accepted with their `timing`.
    """
    user = authenticate(session, token)
    outcomes = results_crud.ingest_results(session, user, body.results, now=now)
    statuses = {o.status for o in outcomes}
    if len(outcomes) == 1 and statuses == {ResultStatus.conflict}:
        # An error body like every other (`detail`), still carrying the per-result status.
        return JSONResponse(
            {
                "detail": f"Result {outcomes[0].id}: {outcomes[0].reason}",
                **ResultsOut(results=outcomes).model_dump(mode="json"),
            },
            status_code=status.HTTP_409_CONFLICT,
        )
    code = status.HTTP_201_CREATED if ResultStatus.created in statuses else status.HTTP_200_OK
    # Serialized once from the outcomes, not validated again by FastAPI (a batch has 500).
    return Response(
        ResultsOut(results=outcomes).model_dump_json(), code, media_type="application/json"
    )
