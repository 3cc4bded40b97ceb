"""GET /campaigns/{id}/export.csv: a campaign's results for organizers, streamed."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import export as export_crud
from sync.hub.deps import HubRoute, Organizer, SessionDep, answers

router = APIRouter(tags=["export"], route_class=HubRoute)
MAX_ID = 2**63 - 1


@router.get(
    "/campaigns/{campaign_id}/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The results as CSV."},
        **answers(401, 403, 404, 422, 426),
    },
)
def export_results(
    campaign_id: int,
    request: Request,
    session: SessionDep,
    organizer: Organizer,
    format: export_crud.ExportFormat = "standard",
    all: bool = False,
) -> StreamingResponse:
    """Current results, answers as columns (`all=true`: superseded and quarantined ones too,
    marked); `format=van` is VAN's bulk upload layout. Organizers only."""
    if format == "van" and all:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="all=true is for the standard format: VAN takes current results only.",
        )
    if not 0 < campaign_id <= MAX_ID or campaigns_crud.get_campaign(session, campaign_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"No campaign with id {campaign_id}.")
    session.rollback()  # done reading: the stream below reads in its own short transactions
    engine: Engine = request.app.state.engine
    suffix = "-van" if format == "van" else ""
    return StreamingResponse(
        _chunks(engine, campaign_id, format, all),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="campaign-{campaign_id}-results{suffix}.csv"'
            )
        },
    )


def _chunks(
    engine: Engine, campaign_id: int, format: export_crud.ExportFormat, include_all: bool
) -> Iterator[str]:
    # Its own session: the response is still being sent after the request's session closed.
    with Session(engine) as session:
        yield from export_crud.iter_export(
            session, campaign_id, format=format, include_all=include_all
        )
