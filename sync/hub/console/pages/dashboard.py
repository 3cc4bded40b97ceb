"""The dashboard: one campaign's progress, lists, funnel, calls per hour and callers,
refreshing itself every 10 seconds (console.js fetches the live part)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.campaign_pages import to_campaign
from sync.hub.console.charts import HEIGHT, WIDTH, hour_bars
from sync.hub.console.clock import now
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render, zone_of
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import cap_alerts
from sync.hub.crud import dashboard as dashboard_crud
from sync.hub.deps import HubRoute, IdPath, SessionDep
from sync.hub.types import utcnow

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Dashboard", "/console/dashboard", 10, "dashboard"))
REFRESH_SECONDS = 10


@router.get("/console/dashboard")
def dashboard_home(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign: int | None = None
) -> Response:
    return to_campaign(request, session, "dashboard", campaign)


def _context(request: Request, session: SessionDep, campaign_id: int) -> dict[str, object]:
    campaign = campaigns_crud.get_campaign(session, campaign_id)
    if campaign is None:
        raise HTTPException(404, f"There is no campaign with id {campaign_id}.")
    figures = dashboard_crud.dashboard(session, campaign, now(request))
    alerts = cap_alerts.recent(session, now(request), campaign_id=campaign_id)
    session.rollback()  # done reading
    return {
        "campaign": campaign,
        "d": figures,
        "cap_alerts": alerts,
        "bars": hour_bars(figures.hours, zone_of(request)),
        "chart_width": WIDTH,
        "chart_height": HEIGHT,
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": utcnow(),
    }


@router.get("/console/dashboard/{campaign_id}")
def dashboard_page(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign_id: IdPath
) -> Response:
    context = _context(request, session, campaign_id)
    context["campaigns"] = campaigns_crud.list_campaigns(session)
    session.rollback()
    return render(request, "dashboard.html", context, section="dashboard")


@router.get("/console/dashboard/{campaign_id}/live")
def dashboard_live(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign_id: IdPath
) -> Response:
    """The part of the dashboard that refreshes itself."""
    return render(request, "_dashboard_live.html", _context(request, session, campaign_id))
