"""Volunteers' messages to organizers."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sync.hub.crud.ids import is_db_id
from sync.hub.models import Campaign, Feedback


class UnknownCampaign(LookupError):
    def __init__(self, campaign_id: int) -> None:
        super().__init__(f"there is no campaign with id {campaign_id}")
        self.campaign_id = campaign_id


def add_feedback(
    session: Session, volunteer_id: int, text: str, campaign_id: int | None = None
) -> Feedback:
    """Store a message. Flushes; the caller commits."""
    if campaign_id is not None and (
        not is_db_id(campaign_id) or session.get(Campaign, campaign_id) is None
    ):
        raise UnknownCampaign(campaign_id)
    # PostgreSQL text cannot hold NUL: keep the message, with U+FFFD in its place.
    text = text.strip().replace("\x00", "\ufffd")
    feedback = Feedback(volunteer_id=volunteer_id, campaign_id=campaign_id, text=text)
    session.add(feedback)
    session.flush()
    return feedback


def list_feedback(
    session: Session, campaign_id: int | None = None, limit: int = 500
) -> list[Feedback]:
    """Newest first; only one campaign's when `campaign_id` is given."""
    statement = select(Feedback).order_by(col(Feedback.id).desc()).limit(limit)
    if campaign_id is not None and not is_db_id(campaign_id):
        return []
    if campaign_id is not None:
        statement = statement.where(Feedback.campaign_id == campaign_id)
    return list(session.exec(statement).all())
