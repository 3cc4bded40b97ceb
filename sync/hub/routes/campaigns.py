"""Campaigns with their lists, policy, script version and progress; script versions."""

from __future__ import annotations

from fastapi import APIRouter, status

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import membership
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import read_only
from sync.hub.deps import CurrentVolunteer, HubRoute, IdPath, SessionDep, answers
from sync.hub.refusals import Refusal
from sync.messages import Code, Message
from sync.protocol import CampaignPublic, Script

router = APIRouter(tags=["campaigns"], route_class=HubRoute)


@router.get("/campaigns", response_model=list[CampaignPublic], responses=answers(401, 426))
def list_campaigns(session: SessionDep, user: CurrentVolunteer) -> list[CampaignPublic]:
    """The campaigns the caller may call for (open ones, and closed ones they are a member
    of; organizers see all), archived ones left out. A paused campaign is listed (`status`)
    but hands out no new lists."""
    read_only(session)
    return [
        campaigns_crud.campaign_public(session, campaign)
        for campaign in membership.visible_campaigns(session, user)
    ]


@router.get("/scripts/{script_id}", response_model=Script, responses=answers(401, 404, 422, 426))
def get_script(script_id: IdPath, session: SessionDep, user: CurrentVolunteer) -> Script:
    version = scripts_crud.get_script_version(session, script_id)
    if version is None or not membership.may_see(session, user, version.campaign_id):
        raise Refusal(status.HTTP_404_NOT_FOUND, Message(Code.UNKNOWN_SCRIPT, {"id": script_id}))
    return scripts_crud.script_public(version)
