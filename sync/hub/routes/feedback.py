"""Feedback from volunteers to organizers."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from sync.hub.crud import feedback as feedback_crud
from sync.hub.crud import membership
from sync.hub.deps import CurrentVolunteer, HubRoute, Organizer, SessionDep, answers
from sync.hub.refusals import Refusal
from sync.messages import Code, Message
from sync.protocol import FeedbackIn

router = APIRouter(tags=["feedback"], route_class=HubRoute)


class FeedbackOut(BaseModel):
    id: int
    volunteer_id: int
    campaign_id: int | None
    text: str
    created_at: datetime


@router.post(
    "/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackOut,
    responses=answers(401, 404, 413, 422, 426),
)
def send_feedback(body: FeedbackIn, session: SessionDep, user: CurrentVolunteer) -> FeedbackOut:
    assert user.id is not None
    try:
        if body.campaign_id is not None and not membership.may_see(session, user, body.campaign_id):
            raise feedback_crud.UnknownCampaign(body.campaign_id)
        feedback = feedback_crud.add_feedback(session, user.id, body.text, body.campaign_id)
    except feedback_crud.UnknownCampaign as exc:
        raise Refusal(
            status.HTTP_404_NOT_FOUND, Message(Code.UNKNOWN_CAMPAIGN, {"id": exc.campaign_id})
        ) from exc
    session.commit()
    return FeedbackOut.model_validate(feedback, from_attributes=True)


@router.get("/feedback", response_model=list[FeedbackOut], responses=answers(401, 403, 422, 426))
def read_feedback(
    session: SessionDep,
    user: Organizer,
    campaign_id: int | None = Query(default=None),
) -> list[FeedbackOut]:
    """Organizers read what volunteers sent, newest first."""
    return [
        FeedbackOut.model_validate(row, from_attributes=True)
        for row in feedback_crud.list_feedback(session, campaign_id)
    ]
