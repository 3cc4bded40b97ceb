"""Who may see and call for a campaign: every volunteer when it is open, else its members
(and organizers always). Every route and the sync snapshot go through `visible`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, or_
from sqlmodel import Session, col, select

from sync.hub.crud.campaigns import CampaignError, get_campaign
from sync.hub.crud.ids import is_db_id
from sync.hub.crud.users import normalize_email
from sync.hub.models import Campaign, CampaignMember, User


def visible(user: User) -> Any:
    """A condition on `Campaign` rows: those `user` may see (use in a `where`)."""
    if user.role == "organizer":
        return col(Campaign.id).is_not(None)
    member = exists().where(
        col(CampaignMember.campaign_id) == col(Campaign.id),
        col(CampaignMember.user_id) == user.id,
    )
    return or_(col(Campaign.open).is_(True), member)


def may_see(session: Session, user: User, campaign_id: int) -> bool:
    """Any int is safe to pass (out of the database's range: False)."""
    if not is_db_id(campaign_id):
        return False
    found = session.exec(
        select(Campaign.id).where(Campaign.id == campaign_id, visible(user))
    ).first()
    return found is not None


def _users(session: Session, emails: Sequence[str]) -> list[User]:
    wanted = [normalize_email(e) for e in emails]
    found = {u.email: u for u in session.exec(select(User).where(col(User.email).in_(wanted)))}
    missing = [e for e in wanted if e not in found]
    if missing:
        raise CampaignError("no account for " + ", ".join(missing))
    return [found[e] for e in wanted]


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = get_campaign(session, campaign_id)
    if campaign is None:
        raise CampaignError(f"there is no campaign with id {campaign_id}")
    return campaign


def add_members(session: Session, campaign_id: int, emails: Sequence[str]) -> list[str]:
    """Assign accounts to the campaign (already a member: no change). Flushes; the caller
    commits. Raises CampaignError naming the campaign or emails that do not exist."""
    _campaign(session, campaign_id)
    current = set(members_of(session, campaign_id))
    added = []
    for user in _users(session, emails):
        if user.email not in current:
            assert user.id is not None
            session.add(CampaignMember(campaign_id=campaign_id, user_id=user.id))
            current.add(user.email)
            added.append(user.email)
    session.flush()
    return added


def remove_members(session: Session, campaign_id: int, emails: Sequence[str]) -> None:
    _campaign(session, campaign_id)
    ids = [u.id for u in _users(session, emails)]
    session.execute(
        delete(CampaignMember).where(
            col(CampaignMember.campaign_id) == campaign_id, col(CampaignMember.user_id).in_(ids)
        )
    )
    session.flush()


def members_of(session: Session, campaign_id: int) -> list[str]:
    """The members' emails, sorted."""
    query = (
        select(User.email)
        .join(CampaignMember, col(CampaignMember.user_id) == col(User.id))
        .where(CampaignMember.campaign_id == campaign_id)
        .order_by(col(User.email))
    )
    return list(session.exec(query).all())


def set_open(session: Session, campaign_id: int, is_open: bool) -> None:
    campaign = _campaign(session, campaign_id)
    campaign.open = is_open
    session.add(campaign)
    session.flush()


def visible_campaigns(session: Session, user: User) -> list[Campaign]:
    """What the app's picker and a laptop's sync show `user`: not the archived ones."""
    query = (
        select(Campaign)
        .where(visible(user), col(Campaign.status) != "archived")
        .order_by(col(Campaign.id))
    )
    return list(session.exec(query).all())
