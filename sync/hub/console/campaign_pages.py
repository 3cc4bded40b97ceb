"""What the per-campaign pages share: the campaign or a 404 page, and the section's front door
(`/console/<section>?campaign=N` or the default campaign, else the "no campaigns yet" page)."""

from __future__ import annotations

from fastapi import HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from sync.hub.console.render import render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.models import Campaign


def default_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The newest active campaign, else the newest one."""
    active = [c for c in campaigns if c.status == "active"]
    choices = active or campaigns
    return choices[-1] if choices else None


def campaign_or_404(session: Session, campaign_id: int) -> Campaign:
    campaign = campaigns_crud.get_campaign(session, campaign_id)
    if campaign is None:
        raise HTTPException(404, f"There is no campaign with id {campaign_id}.")
    return campaign


def to_campaign(request: Request, session: Session, section: str, campaign: int | None) -> Response:
    """The section's page for `campaign` when there is one by that id, else for the default."""
    campaigns = campaigns_crud.list_campaigns(session)
    chosen = next((c for c in campaigns if c.id == campaign), None) or default_campaign(campaigns)
    session.rollback()
    if chosen is None:
        return render(request, "no_campaigns.html", section=section)
    return RedirectResponse(f"/console/{section}/{chosen.id}", status_code=303)
