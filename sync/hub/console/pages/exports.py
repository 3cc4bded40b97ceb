"""Exports: the same results files as `phonebank-hub export-results`, from the browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import export as export_crud
from sync.hub.deps import HubRoute, IdPath, SessionDep

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Exports", "/console/exports", 70, "exports"))
# (name, label, what it is): the files `export-results` writes, by its options.
FORMATS = [
    (
        "standard",
        "Results (CSV)",
        "Current results, one row per call, answers as columns: export-results' default file.",
    ),
    (
        "all",
        "Every result (CSV)",
        "Also the corrected (superseded) and quarantined calls, marked: export-results --all.",
    ),
    (
        "van",
        "VAN bulk upload (CSV)",
        "VanID first, date canvassed, result code, one column per survey question, notes:"
        " export-results --format van.",
    ),
]
# What each choice asks of the export: (format, include_all, file name suffix).
_OPTIONS: dict[str, tuple[export_crud.ExportFormat, bool, str]] = {
    "standard": ("standard", False, ""),
    "all": ("standard", True, "-all"),
    "van": ("van", False, "-van"),
}


@router.get("/console/exports")
def exports_page(request: Request, session: SessionDep, who: ConsoleOrganizer) -> Response:
    campaigns = campaigns_crud.list_campaigns(session)
    rows = [
        (campaign, campaigns_crud.calls_made(session, campaign.id))
        for campaign in campaigns
        if campaign.id is not None
    ]
    session.rollback()
    context = {"rows": list(reversed(rows)), "formats": FORMATS}
    return render(request, "exports.html", context, section="exports")


@router.get("/console/exports/{campaign_id}/results.csv")
def download_results(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    format_: Annotated[str, Query(alias="format")] = "standard",
) -> StreamingResponse:
    if format_ not in _OPTIONS:
        raise HTTPException(404, f"There is no export format {format_[:40]!r}.")
    if campaigns_crud.get_campaign(session, campaign_id) is None:
        raise HTTPException(404, f"There is no campaign with id {campaign_id}.")
    session.rollback()  # the stream reads in its own short transactions
    engine: Engine = request.app.state.engine
    export_format, include_all, suffix = _OPTIONS[format_]

    def chunks() -> Iterator[str]:
        with Session(engine) as own:  # the response outlives the request's session
            yield from export_crud.iter_export(
                own, campaign_id, format=export_format, include_all=include_all
            )

    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="campaign-{campaign_id}-results{suffix}.csv"'
            ),
            "Cache-Control": "no-store",
        },
    )
